using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace VaeGen.Maths;

/// <summary>
/// The Bernoulli log-density without a gradient, row by row in C#: log p(x) = sum_j x_j l_j - max(l_j, 0) -
/// log(1 + exp(-|l_j|)) in one pass over each row of logits (<see cref="SoftplusPolynomials"/>'s float32 polynomials), where
/// libtorch makes three passes over the whole tensor (logaddexp, addcmul, sum) and a tensor of their size.
/// Importance-weighted evaluation scores k decoder outputs per example this way.
/// </summary>
/// <remarks>
/// Large tensors are split into two halves of rows scored on two threads (no more than libtorch's own thread count):
/// each row is summed by one thread in the same order, so the result does not depend on the split.
/// </remarks>
internal static class BernoulliRows
{
    /// <summary>From this many logits on, the rows are shared between two threads.</summary>
    internal const long SplitFrom = 1 << 17;

    /// <summary>
    /// Whether <see cref="LogDensity(Tensor, Tensor)"/> can score these tensors: both float32 on the CPU and contiguous,
    /// x of the logits' trailing shape (the same shape, or one without leading sample dimensions), and the logits
    /// within one span (2 GB). Anything else takes libtorch's general path.
    /// </summary>
    public static bool Covers(Tensor x, Tensor logits)
    {
        if (logits.dtype != ScalarType.Float32 || x.dtype != ScalarType.Float32) return false;
        if (logits.device_type != DeviceType.CPU || x.device_type != DeviceType.CPU) return false;
        if (logits.dim() < 1 || x.dim() < 1 || x.dim() > logits.dim()) return false;
        if (logits.shape[^1] < 1 || logits.numel() > int.MaxValue / sizeof(float)) return false;
        var trailing = logits.shape.AsSpan(logits.shape.Length - x.shape.Length);
        if (!trailing.SequenceEqual(x.shape)) return false;
        return logits.is_contiguous() && x.is_contiguous();
    }

    /// <summary>
    /// log p(x | l) summed over the last dimension, one float32 per row of <paramref name="logits"/>; x repeats over the
    /// logits' leading sample dimensions. Call only where <see cref="Covers"/> holds and no gradient is wanted.
    /// </summary>
    public static Tensor LogDensity(Tensor x, Tensor logits)
    {
        var result = empty(logits.shape[..^1], dtype: ScalarType.Float32, device: logits.device);
        ScoreInto(x, logits, result, bias: null);
        return result;
    }

    /// <summary>
    /// Writes each row's log-density into <paramref name="sums"/> (float32, one value per row, contiguous); with a
    /// <paramref name="bias"/>, first adds it to each row of <paramref name="logits"/> in place (the logits of a dense
    /// layer whose product alone was written there). Large tensors are scored on two threads.
    /// </summary>
    internal static void ScoreInto(Tensor x, Tensor logits, Tensor sums, Tensor? bias)
    {
        var rows = (int)sums.numel();
        var half = rows / 2;
        SecondThread.Shared.For(2, (_, part) => Score(x, logits, sums, part == 0 ? 0 : half, part == 0 ? half : rows, bias),
            share: logits.numel() >= SplitFrom && SecondThread.Worthwhile());
    }

    /// <summary>Scores rows [<paramref name="first"/>, <paramref name="end"/>) into <paramref name="sums"/>, adding <paramref name="bias"/> to each first if given.</summary>
    internal static void Score(Tensor x, Tensor logits, Tensor sums, int first, int end, Tensor? bias = null)
    {
        var features = (int)logits.shape[^1];
        var values = CpuSpans.Floats(logits);
        ReadOnlySpan<float> targets = CpuSpans.Floats(x);
        ReadOnlySpan<float> offsets = bias is null ? default : CpuSpans.Floats(bias);
        var results = CpuSpans.Floats(sums);
        var targetRows = targets.Length / features;
        for (var row = first; row < end; row++)
        {
            var l = values.Slice(row * features, features);
            if (bias is not null) TensorPrimitives.Add(l, offsets, l);
            results[row] = Row(targets.Slice(row % targetRows * features, features), l);
        }
    }

    /// <summary>
    /// One row's sum of x l - softplus(l), softplus(l) = max(l, 0) + log(1 + exp(-|l|)) (stable for logits of any size),
    /// in one pass; a row whose length is not a multiple of the vector width ends with one zero-padded vector.
    /// </summary>
    internal static float Row(ReadOnlySpan<float> x, ReadOnlySpan<float> l) =>
        SoftplusPolynomials.FmaAvailable ? FusedRow(x, l) : PortableRow(x, l);

    /// <summary><see cref="Row"/> with fused multiply-adds; needs <see cref="SoftplusPolynomials.FmaAvailable"/>.</summary>
    internal static float FusedRow(ReadOnlySpan<float> x, ReadOnlySpan<float> l)
    {
        const int width = 8;
        var whole = l.Length - l.Length % width;
        var accumulated = Vector256<float>.Zero;
        for (var i = 0; i < whole; i += width)
            accumulated += SoftplusPolynomials.Terms(Vector256.Create(x.Slice(i, width)), Vector256.Create(l.Slice(i, width)));
        var sum = Vector256.Sum(accumulated);
        if (whole == l.Length) return sum;
        Span<float> last = stackalloc float[3 * width];
        Pad(x[whole..], l[whole..], last, width);
        SoftplusPolynomials.Terms(Vector256.Create<float>(last[..width]), Vector256.Create<float>(last[width..])).CopyTo(last[(2 * width)..]);
        return sum + TensorPrimitives.Sum(last.Slice(2 * width, l.Length - whole));
    }

    /// <summary><see cref="Row"/> on any processor, <see cref="Vector{T}"/> wide.</summary>
    internal static float PortableRow(ReadOnlySpan<float> x, ReadOnlySpan<float> l)
    {
        var width = Vector<float>.Count;
        var whole = l.Length - l.Length % width;
        var accumulated = Vector<float>.Zero;
        for (var i = 0; i < whole; i += width)
            accumulated += SoftplusPolynomials.Terms(new Vector<float>(x.Slice(i, width)), new Vector<float>(l.Slice(i, width)));
        var sum = Vector.Sum(accumulated);
        if (whole == l.Length) return sum;
        Span<float> last = stackalloc float[3 * width];
        Pad(x[whole..], l[whole..], last, width);
        SoftplusPolynomials.Terms(new Vector<float>(last[..width]), new Vector<float>(last[width..])).CopyTo(last[(2 * width)..]);
        return sum + TensorPrimitives.Sum(last.Slice(2 * width, l.Length - whole));
    }

    /// <summary>A row's last, partial vector, zero-padded: its targets at [0, width), its logits at [width, 2 width), room for the terms after.</summary>
    private static void Pad(ReadOnlySpan<float> x, ReadOnlySpan<float> l, Span<float> last, int width)
    {
        last.Clear();
        x.CopyTo(last);
        l.CopyTo(last[width..]);
    }
}
