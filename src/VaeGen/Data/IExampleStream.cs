using System;

namespace VaeGen.Data;

/// <summary>
/// A data set that is read, not held: each pass opens a reader that yields the examples from the first, in the same
/// order every time. <c>Fit</c> and <c>Evaluate</c> take one in place of a tensor, so a data set need not fit in
/// memory; training shuffles it through a buffer of <c>TrainingOptions.ShuffleBufferSize</c> examples.
/// </summary>
/// <remarks>
/// <see cref="ExampleFile"/> streams a binary file of float32 rows; <see cref="ExampleStream.FromRows"/> adapts any
/// repeatable sequence of rows (a database query, a generator). Implement it for another storage: a pass must yield
/// exactly <see cref="Count"/> examples, in an order that does not change between passes, or runs are not reproducible.
/// </remarks>
public interface IExampleStream
{
    /// <summary>The features of one example: the width of every row.</summary>
    int Features { get; }

    /// <summary>The examples one pass yields.</summary>
    long Count { get; }

    /// <summary>Where the examples come from, for messages: a file's full path, or a description.</summary>
    string Source { get; }

    /// <summary>Where example <paramref name="index"/> (zero-based, in pass order) is, for messages: "example 17 (bytes 53312 to 56447)".</summary>
    string Locate(long index);

    /// <summary>Starts a pass from the first example.</summary>
    IExampleReader OpenReader();
}

/// <summary>One pass over an <see cref="IExampleStream"/>, in order.</summary>
public interface IExampleReader : IDisposable
{
    /// <summary>
    /// Copies the next whole examples into <paramref name="destination"/>, row after row, as many as fit (its length is a
    /// multiple of the stream's features) or as remain; returns how many it copied, 0 only at the end of the pass.
    /// </summary>
    int Read(Span<float> destination);
}
