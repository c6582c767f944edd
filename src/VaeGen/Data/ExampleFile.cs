using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using VaeGen.IO;
using static TorchSharp.torch;

namespace VaeGen.Data;

/// <summary>
/// A binary file of examples to stream: float32 little-endian values, one example of <see cref="Features"/> values
/// after another, with no header, so example i starts at byte 4 * i * Features. <see cref="Write(string, IEnumerable{float[]}, int?)"/>
/// makes one from rows (a CSV read in pieces, a generator); <see cref="Open"/> checks its length against the width.
/// A pass reads it front to back through a 1 MiB buffer; the operating system's page cache does the rest.
/// </summary>
public sealed class ExampleFile : IExampleStream
{
    private const int BufferBytes = 1 << 20;

    private ExampleFile(string path, int features, long count)
    {
        Source = path;
        Features = features;
        Count = count;
    }

    /// <inheritdoc/>
    public int Features { get; }

    /// <inheritdoc/>
    public long Count { get; }

    /// <summary>The file's full path.</summary>
    public string Source { get; }

    /// <summary>Opens a file of <paramref name="features"/>-wide float32 rows for streaming; nothing is read yet.</summary>
    /// <param name="path">The file.</param>
    /// <param name="features">The width of one example.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, or its length is not a whole number of examples; the message gives both numbers.</exception>
    public static ExampleFile Open(string path, int features)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        RequireLittleEndian();
        var fullPath = Path.GetFullPath(path);
        var info = new FileInfo(fullPath);
        if (!info.Exists) throw new FileNotFoundException($"The example file {fullPath} does not exist.", fullPath);
        var rowBytes = 4L * features;
        if (info.Length == 0) throw new InvalidDataException($"{fullPath}: the file is empty; an example file holds at least one example.");
        if (info.Length % rowBytes != 0)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{fullPath}: the file has {info.Length} bytes, which is not a whole number of {features}-feature examples ({rowBytes} bytes each): {info.Length / rowBytes} examples and {info.Length % rowBytes} bytes over. Check the width, or whether the file was cut short."));
        return new ExampleFile(fullPath, features, info.Length / rowBytes);
    }

    /// <summary>
    /// Writes rows to an example file atomically (a temporary file beside it, flushed, then renamed), reading the
    /// sequence once: it can be larger than memory.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="rows">The examples, all of one width.</param>
    /// <param name="features">The width every row must have; null takes the first row's.</param>
    /// <returns>The written file, opened for streaming.</returns>
    /// <exception cref="ArgumentException">The sequence is empty, or a row is null or of another width; the message names its index. The target is untouched.</exception>
    public static ExampleFile Write(string path, IEnumerable<float[]> rows, int? features = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        RequireLittleEndian();
        var width = features ?? -1;
        long count = 0;
        AtomicFile.Write(path, stream =>
        {
            // Not disposed: that would close the temporary file before AtomicFile flushes it to disk; Flush below empties it.
            var buffered = new BufferedStream(stream, BufferBytes);
            foreach (var row in rows)
            {
                if (row is null || row.Length == 0 || (width >= 0 && row.Length != width))
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"rows[{count}] {(row is null ? "is null" : $"has {row.Length} values")}, but {(features is null ? count == 0 ? "an example needs at least one feature" : $"rows[0] has {width}" : $"features is {width}")}; nothing was written to {Path.GetFullPath(path)}."),
                        nameof(rows));
                width = row.Length;
                buffered.Write(MemoryMarshal.AsBytes(row.AsSpan()));
                count++;
            }
            if (count == 0) throw new ArgumentException($"rows is empty; nothing was written to {Path.GetFullPath(path)}.", nameof(rows));
            buffered.Flush();
        });
        return Open(path, width);
    }

    /// <summary>Writes a float32 tensor [count, features] to an example file atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="data">The examples.</param>
    /// <returns>The written file, opened for streaming.</returns>
    /// <exception cref="ArgumentException">The tensor is not float32 of shape [count, features] with count and features at least 1.</exception>
    public static ExampleFile Write(string path, Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dtype != ScalarType.Float32 || data.dim() != 2 || data.shape[0] < 1 || data.shape[1] < 1)
            throw new ArgumentException($"An example file holds float32 rows [count, features], but data is {data.dtype} of shape {Checks.ShapeText.Of(data.shape)}.", nameof(data));
        RequireLittleEndian();
        var features = (int)data.shape[1];
        var count = data.shape[0];
        AtomicFile.Write(path, stream =>
        {
            // A chunk of rows at a time, so a large tensor is not copied whole a second time.
            var chunkRows = Math.Max(1, BufferBytes / (4 * features));
            for (long start = 0; start < count; start += chunkRows)
            {
                using var chunk = data.narrow(0, start, Math.Min(chunkRows, count - start)).cpu().contiguous();
                stream.Write(chunk.bytes);
            }
        });
        return Open(path, features);
    }

    /// <inheritdoc/>
    public string Locate(long index) => string.Create(CultureInfo.InvariantCulture,
        $"example {index} of {Source} (bytes {index * 4L * Features} to {(index + 1) * 4L * Features - 1})");

    /// <inheritdoc/>
    public IExampleReader OpenReader() => new Reader(this);

    /// <summary>Float32 values are stored as the machine holds them; every platform .NET and TorchSharp run on is little-endian.</summary>
    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Example files hold little-endian float32 values, and this machine is big-endian.");
    }

    private sealed class Reader(ExampleFile file) : IExampleReader
    {
        private readonly FileStream stream = new(file.Source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, FileOptions.SequentialScan);
        private long read;

        public int Read(Span<float> destination)
        {
            var rows = (int)Math.Min(destination.Length / file.Features, file.Count - read);
            if (rows <= 0) return 0;
            var bytes = MemoryMarshal.AsBytes(destination[..(rows * file.Features)]);
            var got = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (got != bytes.Length)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{file.Source}: the file ended at byte {stream.Position} while {file.Locate(read + got / (4L * file.Features))} was read; it held {file.Count} examples when it was opened. Was it changed during training?"));
            read += rows;
            return rows;
        }

        public void Dispose() => stream.Dispose();
    }
}
