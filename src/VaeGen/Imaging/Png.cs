using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

using VaeGen.IO;

namespace VaeGen.Imaging;

/// <summary>
/// A small PNG encoder for 8-bit grayscale and 8-bit RGB images: no interlacing, zlib through
/// <see cref="ZLibStream"/>, and for each row the filter (None, Sub, Up, Average or Paeth) whose output has the
/// smallest sum of absolute signed bytes, the heuristic the PNG specification suggests.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A };

    // Keeps each IDAT chunk well below the 2^31 - 1 limit on a chunk's length.
    private const int MaxIdatLength = 1 << 20;

    /// <summary>Encodes pixels as a PNG file in memory.</summary>
    /// <param name="pixels">Row-major pixels, top row first: one byte per pixel (grey) or three (red, green, blue).</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="channels">1 for 8-bit grayscale, 3 for 8-bit RGB.</param>
    /// <returns>The bytes of the PNG file.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or <paramref name="channels"/> is not 1 or 3.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> does not hold width * height * channels bytes.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        Validate(pixels.Length, width, height, channels);
        using var file = new MemoryStream();
        file.Write(Signature);
        WriteChunk(file, "IHDR", Header(width, height, channels));
        var compressed = Compress(pixels, width * channels, height, channels);
        for (var start = 0; start < compressed.Length; start += MaxIdatLength)
            WriteChunk(file, "IDAT", compressed.AsSpan(start, Math.Min(MaxIdatLength, compressed.Length - start)));
        WriteChunk(file, "IEND", ReadOnlySpan<byte>.Empty);
        return file.ToArray();
    }

    /// <summary>
    /// Encodes pixels as PNG and writes the file atomically: the bytes go to a temporary file in the same folder,
    /// which then replaces <paramref name="path"/>. Missing folders are created.
    /// </summary>
    /// <param name="path">The PNG file to write; an existing file is replaced.</param>
    /// <param name="pixels">Row-major pixels, top row first: one byte per pixel (grey) or three (red, green, blue).</param>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="channels">1 for 8-bit grayscale, 3 for 8-bit RGB.</param>
    /// <exception cref="ArgumentException">The path is empty or names a folder, or <paramref name="pixels"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or <paramref name="channels"/> is not 1 or 3.</exception>
    public static void Save(string path, ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.WriteAllBytes(path, Encode(pixels, width, height, channels));
    }

    private static void Validate(int length, int width, int height, int channels)
    {
        if (width < 1)
            throw new ArgumentOutOfRangeException(nameof(width), width, "A PNG image must be at least 1 pixel wide.");
        if (height < 1)
            throw new ArgumentOutOfRangeException(nameof(height), height, "A PNG image must be at least 1 pixel high.");
        if (channels != 1 && channels != 3)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Channels must be 1 (grayscale) or 3 (RGB).");
        var expected = (long)width * height * channels;
        if (length != expected)
            throw new ArgumentException(
                $"A {width}x{height} image with {channels} channel(s) needs {expected} bytes of pixels, but {length} were given.",
                "pixels");
    }

    private static byte[] Header(int width, int height, int channels)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8;                                   // bit depth
        header[9] = (byte)(channels == 1 ? 0 : 2);       // colour type: 0 grey, 2 truecolour
        header[10] = 0;                                  // compression: deflate
        header[11] = 0;                                  // filter method: adaptive, five types
        header[12] = 0;                                  // no interlace
        return header;
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int rowBytes, int height, int bytesPerPixel)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var filter = new RowFilter(rowBytes, bytesPerPixel);
            var previous = ReadOnlySpan<byte>.Empty;
            for (var y = 0; y < height; y++)
            {
                var row = pixels.Slice(y * rowBytes, rowBytes);
                zlib.Write(filter.Apply(row, previous));
                previous = row;
            }
        }
        return output.ToArray();
    }

    private static void WriteChunk(Stream file, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        file.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        file.Write(typeBytes);
        file.Write(data);
        // The CRC covers the chunk type and data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        file.Write(word);
    }
}
