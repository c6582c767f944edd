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
        var sink = new IdxSink(path, compressed);
        // The bytes are pushed into the sink in chunks of a few megabytes (CopyTo; for gzip, DeflateStream's CopyTo
        // inflates each chunk of the file into the sink): a few dozen calls in all, where reading through the streams
        // calls the decompressor once per 8 KB of input. A method called that often is recompiled by the runtime later,
        // and it does so while the caller's next work runs, often the first epoch of training.
        try
        {
            if (compressed)
            {
                using var gzip = new GZipStream(file, CompressionMode.Decompress);
                gzip.CopyTo(sink, ChunkSize);
            }
            else
            {
                file.CopyTo(sink, ChunkSize);
            }
        }
        catch (InvalidDataException error) when (!sink.Refused)
        {
            throw CorruptGzip(path, error);
        }
        return sink.Finish();
    }

    /// <summary>The size of the chunks a file is read and decompressed in.</summary>
    private const int ChunkSize = 4 << 20;

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>
    /// Takes the file's bytes as they are written into it: checks the header as soon as it is complete (refusing a bad
    /// one before the rest is read), fills the data array the header asks for, and counts any bytes beyond it.
    /// </summary>
    private sealed class IdxSink(string path, bool compressed) : Stream
    {
        private readonly byte[] header = new byte[HeaderLength + 4 * MaxDimensions];
        private int headerLength = HeaderLength; // the whole header's once its dimension count is known
        private int headerRead;
        private int[]? dimensions;
        private byte[]? data;
        private int dataRead;
        private long trailing;

        /// <summary>True once the sink has refused the bytes (its exception is the file's problem, not the gzip stream's).</summary>
        public bool Refused { get; private set; }

        private string BytesWord => compressed ? "decompressed bytes" : "bytes";

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            // Only the header's checks throw here: whatever escapes is the file's problem.
            try
            {
                Take(buffer);
            }
            catch
            {
                Refused = true;
                throw;
            }
        }

        private void Take(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                if (data is null)
                {
                    var take = Math.Min(buffer.Length, headerLength - headerRead);
                    buffer[..take].CopyTo(header.AsSpan(headerRead));
                    headerRead += take;
                    buffer = buffer[take..];
                    if (headerRead == HeaderLength && headerLength == HeaderLength) headerLength = HeaderLength + 4 * CheckStart();
                    else if (headerRead == headerLength && headerLength > HeaderLength) data = Allocate();
                }
                else if (dataRead < data.Length)
                {
                    var take = Math.Min(buffer.Length, data.Length - dataRead);
                    buffer[..take].CopyTo(data.AsSpan(dataRead));
                    dataRead += take;
                    buffer = buffer[take..];
                }
                else
                {
                    trailing += buffer.Length;
                    buffer = default;
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        /// <summary>The file's array once every byte has been written; throws when the file ended early or ran on.</summary>
        public IdxArray Finish()
        {
            if (headerRead == 0)
                throw Invalid(path, compressed ? "the gzip stream yields no data (it is empty or cut short); an IDX file has at least a 4-byte header." : "the file is empty; an IDX file has at least a 4-byte header.");
            if (headerRead < HeaderLength)
                throw Invalid(path, $"the file holds only {headerRead} {BytesWord}, fewer than the 4-byte IDX header.");
            if (data is null)
                throw Invalid(path, $"the header declares {header[3]} dimensions ({headerLength} header bytes), but the file ends after {headerRead} {BytesWord}.");
            var shape = $"{Checks.ShapeText.Of(dimensions!)}";
            if (dataRead < data.Length)
                throw Invalid(path, $"dimensions {shape} need {data.Length} data bytes after the {headerLength}-byte header, but the file has only {dataRead} (truncated; {headerLength + dataRead} {BytesWord} in all).");
            if (trailing > 0)
                throw Invalid(path, $"dimensions {shape} need {data.Length} data bytes after the {headerLength}-byte header, but {data.Length + trailing} follow it ({trailing} trailing {BytesWord}).");
            return new IdxArray(path, dimensions!, data);
        }

        /// <summary>Checks the magic, the type and the dimension count; returns the count.</summary>
        private int CheckStart()
        {
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
            return dimensionCount;
        }

        /// <summary>Checks the dimension sizes and makes the data array they call for.</summary>
        private byte[] Allocate()
        {
            var count = (headerLength - HeaderLength) / 4;
            var sizes = new int[count];
            for (var i = 0; i < count; i++)
                sizes[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(HeaderLength + 4 * i, 4));
            var shape = $"{Checks.ShapeText.Of(sizes)}";
            for (var i = 0; i < count; i++)
            {
                if (sizes[i] < 1)
                    throw Invalid(path, $"dimension {i} of {shape} has size {sizes[i]}; every size must be at least 1.");
            }

            // At most four int32 factors: the product fits in Int128, so the limit check itself cannot overflow.
            Int128 elements = 1;
            foreach (var size in sizes)
                elements *= size;
            if (elements > Array.MaxLength)
                throw Invalid(path, $"dimensions {shape} hold {elements} elements, more than the {Array.MaxLength} a .NET array can hold.");
            dimensions = sizes;
            return new byte[(int)elements];
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
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

    private static InvalidDataException CorruptGzip(string path, InvalidDataException error) =>
        new($"IDX file '{path}' is not a valid gzip stream: {error.Message}", error);

    private static InvalidDataException Invalid(string path, string problem) => new($"IDX file '{path}' is malformed: {problem}");
}
