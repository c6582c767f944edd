using System;
using System.Collections.Generic;
using System.Globalization;

namespace VaeGen.Data;

/// <summary>Streams made from code: any sequence of rows that can be enumerated again, pass after pass.</summary>
public static class ExampleStream
{
    /// <summary>
    /// A stream whose every pass enumerates <paramref name="open"/>() afresh: a database query, rows decoded from
    /// compressed chunks, a generator. Each pass must yield the same <paramref name="count"/> rows in the same order.
    /// </summary>
    /// <param name="open">Starts a pass: returns the rows from the first.</param>
    /// <param name="features">The width of every row.</param>
    /// <param name="count">The rows one pass yields.</param>
    /// <param name="source">What the rows are, for messages.</param>
    /// <returns>The stream; nothing is enumerated until a pass starts.</returns>
    public static IExampleStream FromRows(Func<IEnumerable<float[]>> open, int features, long count, string source)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentException.ThrowIfNullOrEmpty(source);
        return new Rows(open, features, count, source);
    }

    private sealed class Rows(Func<IEnumerable<float[]>> open, int features, long count, string source) : IExampleStream
    {
        public int Features => features;

        public long Count => count;

        public string Source => source;

        public string Locate(long index) => string.Create(CultureInfo.InvariantCulture, $"row {index} of {source}");

        public IExampleReader OpenReader() => new Reader(this, (open() ?? throw new InvalidOperationException($"The pass over {source} returned null instead of its rows.")).GetEnumerator());

        private sealed class Reader(Rows stream, IEnumerator<float[]> rows) : IExampleReader
        {
            private long index;

            public int Read(Span<float> destination)
            {
                var copied = 0;
                while ((copied + 1) * stream.Features <= destination.Length && rows.MoveNext())
                {
                    var row = rows.Current;
                    if (row is null || row.Length != stream.Features)
                        throw new ArgumentException(
                            string.Create(CultureInfo.InvariantCulture,
                                $"{stream.Locate(index)} {(row is null ? "is null" : $"has {row.Length} values")}, but the stream's examples have {stream.Features} features."),
                            "open");
                    row.CopyTo(destination[(copied * stream.Features)..]);
                    copied++;
                    index++;
                }
                return copied;
            }

            public void Dispose() => rows.Dispose();
        }
    }
}
