using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeGen.Maths;

/// <summary>
/// The shapes of a convolution between a thin map (a few channels: an image going into the encoder's first convolution,
/// or coming out of the decoder's last transposed one) and a wide map (many channels). A <c>Conv2d</c> takes the thin map
/// to the wide one; a <c>ConvTranspose2d</c> takes the wide map back to the thin one. Both relate wide position
/// (wy, wx), kernel offset (ky, kx) and thin position (wy * stride - padding + ky, wx * stride - padding + kx), and both
/// keep their weight as [wide channels, thin channels, kernel, kernel]: one matrix W of <see cref="Wide"/> rows and
/// <see cref="Rows"/> = thin channels x kernel² columns, in either direction.
/// </summary>
/// <param name="Thin">Channels of the thin map.</param>
/// <param name="Wide">Channels of the wide map.</param>
/// <param name="Kernel">The square kernel's side.</param>
/// <param name="Stride">The stride, in both directions.</param>
/// <param name="Padding">The padding, in both directions.</param>
/// <param name="ThinHeight">The thin map's height.</param>
/// <param name="ThinWidth">The thin map's width.</param>
/// <param name="WideHeight">The wide map's height.</param>
/// <param name="WideWidth">The wide map's width.</param>
internal readonly record struct ThinGeometry(int Thin, int Wide, int Kernel, int Stride, int Padding,
    int ThinHeight, int ThinWidth, int WideHeight, int WideWidth)
{
    /// <summary>Columns of the weight matrix, rows of an example's columns: thin channels x kernel².</summary>
    public int Rows => Thin * Kernel * Kernel;

    /// <summary>Positions of the wide map.</summary>
    public int Positions => WideHeight * WideWidth;

    /// <summary>Values of one example's thin map.</summary>
    public int ThinSize => Thin * ThinHeight * ThinWidth;

    /// <summary>Values of one example's wide map.</summary>
    public int WideSize => Wide * Positions;
}

/// <summary>
/// The per-example passes of a thin convolution in C#, on float32 spans: the thin map unrolled into columns (one row per
/// thin channel and kernel offset, one column per wide position) and folded back, and the three products with the
/// weight that the forward and backward passes of both layer kinds are made of. oneDNN, which libtorch calls for
/// convolutions, runs layers with one input or output channel several times slower than their arithmetic needs; these
/// passes are a handful of 8-lane loops over the wide positions.
/// </summary>
/// <remarks>
/// Every sum is taken in a fixed order, so a result depends only on its inputs, not on the thread that computed it.
/// </remarks>
internal static class ThinConvolution
{
    /// <summary>
    /// Unrolls one example's thin map into <paramref name="columns"/> ([Rows, Positions]): row (c, ky, kx), column
    /// (wy, wx) holds thin[c, wy * stride - padding + ky, wx * stride - padding + kx], or 0 where that is outside.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unfold(in ThinGeometry g, ReadOnlySpan<float> thin, Span<float> columns)
    {
        if (thin.Length < g.ThinSize || columns.Length < g.Rows * g.Positions) throw new ArgumentException("The spans are shorter than the geometry.");
        ref var source = ref MemoryMarshal.GetReference(thin);
        ref var target = ref MemoryMarshal.GetReference(columns);
        var positions = g.Positions;
        for (var c = 0; c < g.Thin; c++)
        for (var ky = 0; ky < g.Kernel; ky++)
        for (var kx = 0; kx < g.Kernel; kx++)
        {
            var row = ((c * g.Kernel + ky) * g.Kernel + kx) * positions;
            var (first, end) = Inside(g.Stride, g.Padding, kx, g.ThinWidth, g.WideWidth);
            for (var wy = 0; wy < g.WideHeight; wy++)
            {
                ref var line = ref Unsafe.Add(ref target, row + wy * g.WideWidth);
                var ty = wy * g.Stride - g.Padding + ky;
                if (ty < 0 || ty >= g.ThinHeight)
                {
                    MemoryMarshal.CreateSpan(ref line, g.WideWidth).Clear();
                    continue;
                }
                for (var wx = 0; wx < first; wx++) Unsafe.Add(ref line, wx) = 0f;
                var from = (c * g.ThinHeight + ty) * g.ThinWidth - g.Padding + kx;
                for (var wx = first; wx < end; wx++) Unsafe.Add(ref line, wx) = Unsafe.Add(ref source, from + wx * g.Stride);
                for (var wx = end; wx < g.WideWidth; wx++) Unsafe.Add(ref line, wx) = 0f;
            }
        }
    }

    /// <summary>
    /// The reverse of <see cref="Unfold"/>: adds each column value into the thin position it was read from, row by row
    /// in order (positions outside the map are dropped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldAdd(in ThinGeometry g, ReadOnlySpan<float> columns, Span<float> thin)
    {
        if (thin.Length < g.ThinSize || columns.Length < g.Rows * g.Positions) throw new ArgumentException("The spans are shorter than the geometry.");
        ref var source = ref MemoryMarshal.GetReference(columns);
        ref var target = ref MemoryMarshal.GetReference(thin);
        var positions = g.Positions;
        for (var c = 0; c < g.Thin; c++)
        for (var ky = 0; ky < g.Kernel; ky++)
        for (var kx = 0; kx < g.Kernel; kx++)
        {
            var row = ((c * g.Kernel + ky) * g.Kernel + kx) * positions;
            var (first, end) = Inside(g.Stride, g.Padding, kx, g.ThinWidth, g.WideWidth);
            for (var wy = 0; wy < g.WideHeight; wy++)
            {
                var ty = wy * g.Stride - g.Padding + ky;
                if (ty < 0 || ty >= g.ThinHeight) continue;
                ref var line = ref Unsafe.Add(ref source, row + wy * g.WideWidth);
                var to = (c * g.ThinHeight + ty) * g.ThinWidth - g.Padding + kx;
                for (var wx = first; wx < end; wx++) Unsafe.Add(ref target, to + wx * g.Stride) += Unsafe.Add(ref line, wx);
            }
        }
    }

    /// <summary>The wide columns [first, end) whose thin column wx * stride - padding + kx lies inside [0, thinWidth).</summary>
    private static (int First, int End) Inside(int stride, int padding, int kx, int thinWidth, int wideWidth)
    {
        var first = Math.Max(0, (padding - kx + stride - 1) / stride);
        var end = Math.Max(0, Math.Min(wideWidth, (thinWidth + padding - kx + stride - 1) / stride));
        return (Math.Min(first, end), end);
    }

    /// <summary>
    /// output[i, :] = sum over j of M[i, j] input[j, :], for <paramref name="outputRows"/> rows of
    /// <paramref name="width"/> values, where M[i, j] = weight[i * rowStride + j * columnStride]: the weight itself
    /// (wide rows from columns) or its transpose (columns from wide rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Combine(ReadOnlySpan<float> weight, int rowStride, int columnStride,
        ReadOnlySpan<float> input, int inputRows, Span<float> output, int outputRows, int width)
    {
        if (input.Length < inputRows * width || output.Length < outputRows * width
            || weight.Length <= (outputRows - 1) * rowStride + (inputRows - 1) * columnStride)
            throw new ArgumentException("The spans are shorter than the sizes given.");
        ref var w = ref MemoryMarshal.GetReference(weight);
        ref var x = ref MemoryMarshal.GetReference(input);
        ref var y = ref MemoryMarshal.GetReference(output);
        var i = 0;
        // Two output rows at a time: eight independent sums per input row, enough to keep the fused multiply-adds busy.
        for (; i + 2 <= outputRows; i += 2)
        {
            ref var row0 = ref Unsafe.Add(ref y, i * width);
            ref var row1 = ref Unsafe.Add(ref y, (i + 1) * width);
            var p = 0;
            for (; p + 32 <= width; p += 32)
            {
                Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (var j = 0; j < inputRows; j++)
                {
                    var m = Vector256.Create(Unsafe.Add(ref w, i * rowStride + j * columnStride));
                    var n = Vector256.Create(Unsafe.Add(ref w, (i + 1) * rowStride + j * columnStride));
                    ref var source = ref Unsafe.Add(ref x, j * width + p);
                    var v0 = Vector256.LoadUnsafe(ref source);
                    var v1 = Vector256.LoadUnsafe(ref source, 8);
                    var v2 = Vector256.LoadUnsafe(ref source, 16);
                    var v3 = Vector256.LoadUnsafe(ref source, 24);
                    a0 = Mad(m, v0, a0);
                    a1 = Mad(m, v1, a1);
                    a2 = Mad(m, v2, a2);
                    a3 = Mad(m, v3, a3);
                    b0 = Mad(n, v0, b0);
                    b1 = Mad(n, v1, b1);
                    b2 = Mad(n, v2, b2);
                    b3 = Mad(n, v3, b3);
                }
                a0.StoreUnsafe(ref row0, (nuint)p);
                a1.StoreUnsafe(ref row0, (nuint)(p + 8));
                a2.StoreUnsafe(ref row0, (nuint)(p + 16));
                a3.StoreUnsafe(ref row0, (nuint)(p + 24));
                b0.StoreUnsafe(ref row1, (nuint)p);
                b1.StoreUnsafe(ref row1, (nuint)(p + 8));
                b2.StoreUnsafe(ref row1, (nuint)(p + 16));
                b3.StoreUnsafe(ref row1, (nuint)(p + 24));
            }
            CombineTail(ref w, i * rowStride, columnStride, ref x, inputRows, ref row0, width, p);
            CombineTail(ref w, (i + 1) * rowStride, columnStride, ref x, inputRows, ref row1, width, p);
        }
        for (; i < outputRows; i++)
            CombineTail(ref w, i * rowStride, columnStride, ref x, inputRows, ref Unsafe.Add(ref y, i * width), width, 0);
    }

    /// <summary>One output row of <see cref="Combine"/> from position <paramref name="p"/> on, 8 lanes then one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CombineTail(ref float w, int offset, int columnStride, ref float x, int inputRows, ref float row, int width, int p)
    {
        for (; p + 8 <= width; p += 8)
        {
            var a = Vector256<float>.Zero;
            for (var j = 0; j < inputRows; j++)
                a = Mad(Vector256.Create(Unsafe.Add(ref w, offset + j * columnStride)), Vector256.LoadUnsafe(ref x, (nuint)(j * width + p)), a);
            a.StoreUnsafe(ref row, (nuint)p);
        }
        for (; p < width; p++)
        {
            var a = 0f;
            for (var j = 0; j < inputRows; j++)
                a = MathF.FusedMultiplyAdd(Unsafe.Add(ref w, offset + j * columnStride), Unsafe.Add(ref x, j * width + p), a);
            Unsafe.Add(ref row, p) = a;
        }
    }

    /// <summary>
    /// gradient[i * columns + j] += dot(wide[i, :], columns[j, :]) over <paramref name="width"/> values, for
    /// <paramref name="wideRows"/> x <paramref name="columnRows"/> pairs: one example's share of a weight gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddProducts(ReadOnlySpan<float> wide, int wideRows, ReadOnlySpan<float> columns, int columnRows,
        int width, Span<float> gradient)
    {
        if (wide.Length < wideRows * width || columns.Length < columnRows * width || gradient.Length < wideRows * columnRows)
            throw new ArgumentException("The spans are shorter than the sizes given.");
        ref var a = ref MemoryMarshal.GetReference(wide);
        ref var b = ref MemoryMarshal.GetReference(columns);
        var i = 0;
        // Two wide rows by four column rows at a time: eight independent sums, six loads per eight multiply-adds.
        for (; i + 2 <= wideRows; i += 2)
        {
            ref var left0 = ref Unsafe.Add(ref a, i * width);
            ref var left1 = ref Unsafe.Add(ref a, (i + 1) * width);
            var j = 0;
            for (; j + 4 <= columnRows; j += 4)
            {
                ref var r0 = ref Unsafe.Add(ref b, j * width);
                ref var r1 = ref Unsafe.Add(ref b, (j + 1) * width);
                ref var r2 = ref Unsafe.Add(ref b, (j + 2) * width);
                ref var r3 = ref Unsafe.Add(ref b, (j + 3) * width);
                Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0, t0 = s0, t1 = s0, t2 = s0, t3 = s0;
                var p = 0;
                for (; p + 8 <= width; p += 8)
                {
                    var l0 = Vector256.LoadUnsafe(ref left0, (nuint)p);
                    var l1 = Vector256.LoadUnsafe(ref left1, (nuint)p);
                    var v0 = Vector256.LoadUnsafe(ref r0, (nuint)p);
                    var v1 = Vector256.LoadUnsafe(ref r1, (nuint)p);
                    var v2 = Vector256.LoadUnsafe(ref r2, (nuint)p);
                    var v3 = Vector256.LoadUnsafe(ref r3, (nuint)p);
                    s0 = Mad(l0, v0, s0);
                    s1 = Mad(l0, v1, s1);
                    s2 = Mad(l0, v2, s2);
                    s3 = Mad(l0, v3, s3);
                    t0 = Mad(l1, v0, t0);
                    t1 = Mad(l1, v1, t1);
                    t2 = Mad(l1, v2, t2);
                    t3 = Mad(l1, v3, t3);
                }
                Finish(ref left0, ref r0, ref r1, ref r2, ref r3, p, width, s0, s1, s2, s3, gradient.Slice(i * columnRows + j, 4));
                Finish(ref left1, ref r0, ref r1, ref r2, ref r3, p, width, t0, t1, t2, t3, gradient.Slice((i + 1) * columnRows + j, 4));
            }
            for (; j < columnRows; j++)
            {
                gradient[i * columnRows + j] += Dot(ref left0, ref Unsafe.Add(ref b, j * width), width);
                gradient[(i + 1) * columnRows + j] += Dot(ref left1, ref Unsafe.Add(ref b, j * width), width);
            }
        }
        for (; i < wideRows; i++)
        for (var j = 0; j < columnRows; j++)
            gradient[i * columnRows + j] += Dot(ref Unsafe.Add(ref a, i * width), ref Unsafe.Add(ref b, j * width), width);
    }

    /// <summary>Adds four lane sums, each completed with its row's values from <paramref name="p"/> on, into <paramref name="target"/>.</summary>
    private static void Finish(ref float left, ref float r0, ref float r1, ref float r2, ref float r3, int p, int width,
        Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3, Span<float> target)
    {
        float t0 = Vector256.Sum(s0), t1 = Vector256.Sum(s1), t2 = Vector256.Sum(s2), t3 = Vector256.Sum(s3);
        for (; p < width; p++)
        {
            var l = Unsafe.Add(ref left, p);
            t0 = MathF.FusedMultiplyAdd(l, Unsafe.Add(ref r0, p), t0);
            t1 = MathF.FusedMultiplyAdd(l, Unsafe.Add(ref r1, p), t1);
            t2 = MathF.FusedMultiplyAdd(l, Unsafe.Add(ref r2, p), t2);
            t3 = MathF.FusedMultiplyAdd(l, Unsafe.Add(ref r3, p), t3);
        }
        target[0] += t0;
        target[1] += t1;
        target[2] += t2;
        target[3] += t3;
    }

    /// <summary>The dot product of two rows of <paramref name="width"/> values: 8 lanes, then one at a time.</summary>
    private static float Dot(ref float left, ref float right, int width)
    {
        var s = Vector256<float>.Zero;
        var p = 0;
        for (; p + 8 <= width; p += 8) s = Mad(Vector256.LoadUnsafe(ref left, (nuint)p), Vector256.LoadUnsafe(ref right, (nuint)p), s);
        var t = Vector256.Sum(s);
        for (; p < width; p++) t = MathF.FusedMultiplyAdd(Unsafe.Add(ref left, p), Unsafe.Add(ref right, p), t);
        return t;
    }

    /// <summary>sums[i] += the sum of row i's <paramref name="width"/> values, for each of <paramref name="rows"/> rows: a bias gradient's share.</summary>
    public static void AddRowSums(ReadOnlySpan<float> values, int rows, int width, Span<float> sums)
    {
        for (var i = 0; i < rows; i++)
        {
            var row = values.Slice(i * width, width);
            var s = Vector256<float>.Zero;
            var p = 0;
            for (; p + 8 <= width; p += 8) s += Vector256.Create(row.Slice(p, 8));
            var t = Vector256.Sum(s);
            for (; p < width; p++) t += row[p];
            sums[i] += t;
        }
    }

    /// <summary>A rented buffer of at least <paramref name="length"/> floats, cleared.</summary>
    public static float[] Rent(int length)
    {
        var buffer = ArrayPool<float>.Shared.Rent(length);
        Array.Clear(buffer, 0, length);
        return buffer;
    }

    /// <summary>Returns a buffer from <see cref="Rent"/>.</summary>
    public static void Return(float[] buffer) => ArrayPool<float>.Shared.Return(buffer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mad(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
}
