using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace VaeGen.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type byte, a dimension-count byte, one
/// big-endian int32 size per dimension, then the elements in row-major order. Files may be gzip-compressed.
/// </summary>
public static class IdxReader
{
    /// <summary>The type byte of unsigned-byte data, the only type the MNIST-family datasets use.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>The most dimensions a file may declare; image files have 3, label files 1.</summary>
    public const int MaxDimensions = 4;

    private const int HeaderLength = 4;

    /// <summary>Reads an unsigned-byte IDX file, plain or gzip-compressed (recognized by its first two bytes, 1f 8b).</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The file's dimension sizes and data.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is not a well-formed IDX file: empty, bad magic, unknown type, a dimension count outside 1..4, a size
    /// below 1, too many elements, too few or too many data bytes, or a corrupt gzip stream. The message names the
    /// file and the numbers involved.
    /// </exception>
    /// <exception cref="NotSupportedException">The file is valid IDX of a type other than unsigned byte.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = File.OpenRead(path);
        var compressed = IsGzip(file);
        // The file stream is seekable: rewind after peeking at the magic so gzip sees its own header.
        file.Position = 0;
        if (!compressed)
            return ReadIdx(file, path, compressed);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return ReadIdx(gzip, path, compressed);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxArray ReadIdx(Stream stream, string path, bool compressed)
    {
        var bytesWord = compressed ? "decompressed bytes" : "bytes";
        Span<byte> header = stackalloc byte[HeaderLength];
        var headerRead = Fill(stream, header, path);
        if (headerRead == 0)
            throw Invalid(path, compressed ? "the gzip stream yields no data (it is empty or cut short); an IDX file has at least a 4-byte header." : "the file is empty; an IDX file has at least a 4-byte header.");
        if (headerRead < HeaderLength)
            throw Invalid(path, $"the file holds only {headerRead} {bytesWord}, fewer than the 4-byte IDX header.");
        if (header[0] != 0 || header[1] != 0)
            throw Invalid(path, $"it starts with 0x{header[0]:x2} 0x{header[1]:x2}, not the IDX magic 0x00 0x00.");

        var type = header[2];
        if (type != UnsignedByteType)
        {
            if (IdxTypeName(type) is { } name)
                throw new NotSupportedException($"IDX file '{path}' holds {name} data (type 0x{type:x2}); only unsigned bytes (type 0x08) are supported.");
            throw Invalid(path, $"type byte 0x{type:x2} is not an IDX data type (0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e).");
        }

        var dimensionCount = header[3];
        if (dimensionCount < 1 || dimensionCount > MaxDimensions)
            throw Invalid(path, $"it declares {dimensionCount} dimensions; between 1 and {MaxDimensions} are supported.");

        Span<byte> sizeBytes = stackalloc byte[4 * MaxDimensions];
        sizeBytes = sizeBytes[..(4 * dimensionCount)];
        var sizesRead = Fill(stream, sizeBytes, path);
        if (sizesRead < sizeBytes.Length)
            throw Invalid(path, $"the header declares {dimensionCount} dimensions ({HeaderLength + sizeBytes.Length} header bytes), but the file ends after {HeaderLength + sizesRead} {bytesWord}.");

        var dimensions = new int[dimensionCount];
        for (var i = 0; i < dimensionCount; i++)
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(sizeBytes.Slice(4 * i, 4));
        var shape = $"{Checks.ShapeText.Of(dimensions)}";
        for (var i = 0; i < dimensionCount; i++)
        {
            if (dimensions[i] < 1)
                throw Invalid(path, $"dimension {i} of {shape} has size {dimensions[i]}; every size must be at least 1.");
        }

        // At most four int32 factors: the product fits in Int128, so the limit check itself cannot overflow.
        Int128 count = 1;
        foreach (var size in dimensions)
            count *= size;
        if (count > Array.MaxLength)
            throw Invalid(path, $"dimensions {shape} hold {count} elements, more than the {Array.MaxLength} a .NET array can hold.");

        var data = new byte[(int)count];
        var dataRead = Fill(stream, data, path);
        var headerTotal = HeaderLength + sizeBytes.Length;
        if (dataRead < data.Length)
            throw Invalid(path, $"dimensions {shape} need {data.Length} data bytes after the {headerTotal}-byte header, but the file has only {dataRead} (truncated; {headerTotal + dataRead} {bytesWord} in all).");
        var trailing = CountRemaining(stream, path);
        if (trailing > 0)
            throw Invalid(path, $"dimensions {shape} need {data.Length} data bytes after the {headerTotal}-byte header, but {data.Length + trailing} follow it ({trailing} trailing {bytesWord}).");
        return new IdxArray(path, dimensions, data);
    }

    /// <summary>The element type an IDX type byte stands for, or null when it is not an IDX type.</summary>
    private static string? IdxTypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => null,
    };

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes it read.</summary>
    private static int Fill(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException error)
        {
            throw CorruptGzip(path, error);
        }
    }

    /// <summary>Reads the stream to its end and counts the bytes, so a message can say how many trailing bytes there are.</summary>
    private static long CountRemaining(Stream stream, string path)
    {
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                total += read;
        }
        catch (InvalidDataException error)
        {
            throw CorruptGzip(path, error);
        }
        return total;
    }

    private static InvalidDataException CorruptGzip(string path, InvalidDataException error) =>
        new($"IDX file '{path}' is not a valid gzip stream: {error.Message}", error);

    private static InvalidDataException Invalid(string path, string problem) => new($"IDX file '{path}' is malformed: {problem}");
}
