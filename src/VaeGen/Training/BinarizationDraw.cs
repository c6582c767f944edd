using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading.Tasks;
using TorchSharp;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// Dynamic binarization's draw, [u &lt; p] with u uniform on [0, 1), from a counter-based generator: each u is a
/// function of the run's seed, the epoch, the step, the draw's number within the step and the element's place in the
/// batch (SplitMix64's mixing of a Weyl sequence, the generator of Java's SplittableRandom; see
/// <see cref="SplitMix64"/>). Nothing is consumed from
/// TorchSharp's generator, no state needs saving for a resumed run to draw what the uninterrupted one drew, and the
/// elements can be drawn in any order on any number of threads with the same result. About 0.25 ms for a batch of 128
/// images against 0.42 for libtorch's rand_like and lt_, which draw element by element with a Mersenne Twister. With
/// 24-bit uniforms, P(1) = ceil(p 2^24) / 2^24: p to within 2^-24, as with libtorch's float draw.
/// </summary>
internal static class BinarizationDraw
{
    /// <summary>
    /// Below this many elements per thread, one thread draws the batch: a batch of 128 images takes about 0.2 ms on
    /// one, and a second thread would compete with libtorch's, which spin for a while after each operation.
    /// </summary>
    private const int ElementsPerThread = 1 << 17;

    /// <summary>The key of one draw: the seed, epoch, step and the draw's number within the step, mixed, so neighbouring draws share nothing.</summary>
    public static ulong Key(long seed, int epoch, int step, int draw)
    {
        var key = SplitMix64.Mix((ulong)seed + SplitMix64.Gamma);
        key = SplitMix64.Mix(key + (ulong)epoch * SplitMix64.Gamma);
        key = SplitMix64.Mix(key + (ulong)step * SplitMix64.Gamma);
        return SplitMix64.Mix(key + (ulong)draw * SplitMix64.Gamma);
    }

    /// <summary>
    /// The uniform of element <paramref name="index"/> under <paramref name="key"/>: 24 bits of the mixed counter
    /// index / 2, over 2^24; an even element takes bits 40 to 63, an odd one bits 16 to 39, so one mixing serves two.
    /// </summary>
    public static float Uniform(ulong key, long index)
    {
        var bits = SplitMix64.Mix(key + (ulong)(index / 2 + 1) * SplitMix64.Gamma);
        return ToUnit(index % 2 == 0 ? bits >> 40 : bits >> 16);
    }

    /// <summary>
    /// 1 where u &lt; p and 0 elsewhere, for float32 or float64 probabilities on the CPU; other dtypes and devices (and
    /// tensors past 2^31 bytes) take libtorch's rand_like and lt_, from TorchSharp's generator.
    /// </summary>
    /// <param name="probabilities">The grey levels, each the probability of a 1.</param>
    /// <param name="key">The draw's key (<see cref="Key"/>).</param>
    /// <param name="vectorized">False keeps float32 to the scalar loop, for the benchmark that compares the two.</param>
    /// <param name="into">
    /// A contiguous tensor of the probabilities' shape and dtype to draw into and return, rather than a new one; not
    /// used (a new tensor is returned) when libtorch draws.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Draw(Tensor probabilities, ulong key, bool vectorized = true, Tensor? into = null)
    {
        // Spans index with int: a batch of 2^31 bytes or more (never one of a training step) takes libtorch's draw.
        if (probabilities.device_type != DeviceType.CPU || probabilities.dtype is not (ScalarType.Float32 or ScalarType.Float64)
            || probabilities.numel() * probabilities.element_size() > int.MaxValue)
            return rand_like(probabilities).lt_(probabilities);

        // A contiguous batch (every training step's) is read as it is: contiguous() would make a new tensor handle.
        using var copy = probabilities.is_contiguous() ? null : probabilities.contiguous();
        var source = copy ?? probabilities;
        var result = into ?? empty_like(source);
        if (into is not null && (into.dtype != source.dtype || into.numel() != source.numel() || into.dim() != source.dim()
                                 || into.size(0) != source.size(0) || !into.is_contiguous()))
            throw new ArgumentException(
                $"The draw's destination must be a contiguous {source.dtype} tensor of shape {Checks.ShapeText.Of(source.shape)}, but it is {into.dtype} of shape {Checks.ShapeText.Of(into.shape)}.",
                nameof(into));
        var total = source.numel();
        var parts = (int)Math.Clamp(total / ElementsPerThread, 1, Math.Min(Environment.ProcessorCount, 4));
        if (parts == 1)
        {
            DrawRange(source, result, key, 0, total, vectorized);
            return result;
        }

        // Parts start at even elements, so no pair of elements that share a mixed counter is split.
        var share = ((total + parts - 1) / parts + 1) / 2 * 2;
        Parallel.For(0, parts, part =>
        {
            var start = part * share;
            if (start < total) DrawRange(source, result, key, start, Math.Min(total, start + share), vectorized);
        });
        return result;
    }

    /// <summary>Elements [start, end) of the draw; <paramref name="start"/> is even.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DrawRange(Tensor source, Tensor result, ulong key, long start, long end, bool vectorized)
    {
        if (source.dtype == ScalarType.Float32)
        {
            var p = CpuSpans.Floats(source);
            var x = CpuSpans.Floats(result);
            var i = vectorized && Avx2.IsSupported ? DrawEightAtATime(p, x, key, (int)start, (int)end) : (int)start;
            for (; i + 1 < end; i += 2)
            {
                var bits = SplitMix64.Mix(key + (ulong)(i / 2 + 1) * SplitMix64.Gamma);
                x[i] = Below(ToUnit(bits >> 40), p[i]);
                x[i + 1] = Below(ToUnit(bits >> 16), p[i + 1]);
            }
            if (i < end) x[i] = Below(Uniform(key, i), p[i]);
        }
        else
        {
            var p = CpuSpans.Doubles(source);
            var x = CpuSpans.Doubles(result);
            for (var i = (int)start; i < end; i++) x[i] = Below(Uniform(key, i), p[i]);
        }
    }

    /// <summary>
    /// The float32 draw of elements [<paramref name="start"/>, ...) eight at a time with AVX2, the same bits as the scalar
    /// loop: four counters mixed at once, their 64-bit products by SplitMix64's constants built from 32-bit ones (AVX2 has
    /// no 64-bit multiply), each mixed counter's bits 40-63 and 16-39 placed side by side as the even and odd element's
    /// 24-bit integers. Returns the first element it left for the scalar loop; <paramref name="start"/> is even.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DrawEightAtATime(Span<float> p, Span<float> x, ulong key, int start, int end)
    {
        var counter = Vector256.Create(
            key + (ulong)(start / 2 + 1) * SplitMix64.Gamma, key + (ulong)(start / 2 + 2) * SplitMix64.Gamma,
            key + (ulong)(start / 2 + 3) * SplitMix64.Gamma, key + (ulong)(start / 2 + 4) * SplitMix64.Gamma);
        var step = Vector256.Create(unchecked(4 * SplitMix64.Gamma));
        var mask = Vector256.Create(0xFFFFFFUL);
        var scale = Vector256.Create(1f / (1 << 24));
        var i = start;
        for (; i + 8 <= end; i += 8)
        {
            var z = Avx2.Xor(counter, Avx2.ShiftRightLogical(counter, 30));
            z = MultiplyLow(z, SplitMix64.Multiplier1);
            z = Avx2.Xor(z, Avx2.ShiftRightLogical(z, 27));
            z = MultiplyLow(z, SplitMix64.Multiplier2);
            z = Avx2.Xor(z, Avx2.ShiftRightLogical(z, 31));
            var even = Avx2.And(Avx2.ShiftRightLogical(z, 40), mask);
            var odd = Avx2.And(Avx2.ShiftRightLogical(z, 16), mask);
            var integers = Avx2.Or(even, Avx2.ShiftLeftLogical(odd, 32)).AsInt32(); // e0, o0, e1, o1, ...
            var u = Avx.Multiply(Avx.ConvertToVector256Single(integers), scale);
            var below = Avx2.ShiftRightLogical(Avx.Subtract(u, Vector256.Create<float>(p.Slice(i, 8))).AsInt32(), 31);
            Avx.ConvertToVector256Single(below).CopyTo(x.Slice(i, 8));
            counter = Avx2.Add(counter, step);
        }
        return i;
    }

    /// <summary>The low 64 bits of each lane times <paramref name="constant"/>, from three 32 x 32 -> 64-bit products.</summary>
    private static Vector256<ulong> MultiplyLow(Vector256<ulong> value, ulong constant)
    {
        var low = Vector256.Create(constant & 0xFFFFFFFF).AsUInt32();
        var high = Vector256.Create(constant >> 32).AsUInt32();
        var lowProduct = Avx2.Multiply(value.AsUInt32(), low);
        var cross = Avx2.Add(Avx2.Multiply(Avx2.ShiftRightLogical(value, 32).AsUInt32(), low), Avx2.Multiply(value.AsUInt32(), high));
        return Avx2.Add(lowProduct, Avx2.ShiftLeftLogical(cross, 32));
    }

    /// <summary>The low 24 bits of <paramref name="bits"/> over 2^24, a uniform on [0, 1).</summary>
    private static float ToUnit(ulong bits) => (int)(bits & 0xFFFFFF) * (1f / (1 << 24));

    /// <summary>
    /// 1 when u &lt; p, else 0, without a branch: the draws are random, so a branch would be mispredicted half the time
    /// (three times slower). u - p is negative exactly when u &lt; p, and its sign bit is the answer.
    /// </summary>
    private static float Below(float u, float p) => BitConverter.SingleToInt32Bits(u - p) >>> 31;

    private static double Below(float u, double p) => BitConverter.DoubleToInt64Bits(u - p) >>> 63;
}
