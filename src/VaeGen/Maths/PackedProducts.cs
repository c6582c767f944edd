using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VaeGen.Maths;

/// <summary>
/// Float32 matrix products in C# for x86 with AVX2 and FMA, in tiles of <see cref="TileRows"/> x
/// <see cref="TileColumns"/>, each written with its bias into rows the caller chooses (the compiled evaluation keeps a
/// few dozen rows of a layer's output at a time, in the core's cache, for the activation or the likelihood's pass).
/// </summary>
/// <remarks>
/// The layout is the usual one for a register-tiled product: the left operand packed in blocks of 6 rows, interleaved
/// by depth (<see cref="PackRows"/>), the right one, a layer's weight, in panels of 16 outputs, interleaved by depth
/// (<see cref="PackWeight"/>). <see cref="Tile"/> keeps the 6 x 16 sums in twelve 8-lane registers and adds one depth
/// step with six broadcasts, two loads and twelve fused multiply-adds. Each sum is taken over the depth in order, one
/// term after another, so a result depends only on its inputs, not on which thread computed it or what else was computed.
/// </remarks>
internal static class PackedProducts
{
    /// <summary>Rows per tile: six broadcast values, each multiplying two vectors of the panel.</summary>
    public const int TileRows = 6;

    /// <summary>Columns per tile (outputs of the layer): two 8-lane vectors.</summary>
    public const int TileColumns = 16;

    /// <summary>Whether this processor runs the tiles (x86 with AVX2 and FMA).</summary>
    public static bool Available => SoftplusPolynomials.FmaAvailable;

    /// <summary>Panels of <see cref="TileColumns"/> outputs that <paramref name="outputs"/> outputs need.</summary>
    public static int Panels(int outputs) => (outputs + TileColumns - 1) / TileColumns;

    /// <summary>Blocks of <see cref="TileRows"/> rows that <paramref name="rows"/> rows need.</summary>
    public static int Blocks(int rows) => (rows + TileRows - 1) / TileRows;

    /// <summary>
    /// A layer's weight W ([outputs, inputs], row-major, as <c>Linear.weight</c> holds it) as the right operand of
    /// x W^T: panel p holds, for each input k in order, W[16 p + j, k] for j = 0..15, zero past the last output.
    /// </summary>
    public static float[] PackWeight(ReadOnlySpan<float> weight, int outputs, int inputs)
    {
        if (weight.Length != outputs * inputs)
            throw new ArgumentException($"The weight holds {weight.Length} values, not {outputs} x {inputs}.", nameof(weight));
        var packed = new float[Panels(outputs) * inputs * TileColumns];
        for (var output = 0; output < outputs; output++)
        {
            var panel = packed.AsSpan(output / TileColumns * inputs * TileColumns);
            var column = output % TileColumns;
            var row = weight.Slice(output * inputs, inputs);
            for (var k = 0; k < inputs; k++) panel[k * TileColumns + column] = row[k];
        }
        return packed;
    }

    /// <summary>
    /// <paramref name="count"/> rows of a row-major matrix of <paramref name="width"/> columns, rows
    /// <paramref name="stride"/> values apart, as the left operand: block b holds, for each column k in order, rows 6 b
    /// to 6 b + 5, zero past the last row.
    /// </summary>
    public static void PackRows(ReadOnlySpan<float> source, int width, int stride, int count, Span<float> packed)
    {
        var blocks = Blocks(count);
        packed[..(blocks * TileRows * width)].Clear();
        for (var row = 0; row < count; row++)
        {
            var values = source.Slice(row * stride, width);
            var block = packed.Slice(row / TileRows * TileRows * width);
            var lane = row % TileRows;
            for (var k = 0; k < width; k++) block[k * TileRows + lane] = values[k];
        }
    }

    /// <summary>
    /// The 6 x 16 tile bias[j] + sum_k a[k, i] b[k, j] over <paramref name="depth"/> steps, into six rows of
    /// <paramref name="output"/> that start <paramref name="stride"/> values apart: <paramref name="a"/> one block of
    /// <see cref="PackRows"/>, <paramref name="b"/> one panel of <see cref="PackWeight"/>, <paramref name="bias"/> that
    /// panel's 16 biases. Rows and columns past the matrices' ends are written too (from the packing's zeros), so the
    /// output must have room for whole tiles. Needs <see cref="Available"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int depth, ReadOnlySpan<float> bias, Span<float> output, int stride)
    {
        if (a.Length < depth * TileRows || b.Length < depth * TileColumns || bias.Length < TileColumns || stride < TileColumns || output.Length < (TileRows - 1) * stride + TileColumns)
            throw new ArgumentException("A tile's operands are shorter than its depth, or its output than six rows.");
        ref var left = ref MemoryMarshal.GetReference(a);
        ref var right = ref MemoryMarshal.GetReference(b);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector256.LoadUnsafe(ref right);
            var b1 = Vector256.LoadUnsafe(ref right, 8);
            var x = Vector256.Create(left);
            c00 = Fma.MultiplyAdd(x, b0, c00);
            c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(Unsafe.Add(ref left, 1));
            c10 = Fma.MultiplyAdd(x, b0, c10);
            c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(Unsafe.Add(ref left, 2));
            c20 = Fma.MultiplyAdd(x, b0, c20);
            c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(Unsafe.Add(ref left, 3));
            c30 = Fma.MultiplyAdd(x, b0, c30);
            c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(Unsafe.Add(ref left, 4));
            c40 = Fma.MultiplyAdd(x, b0, c40);
            c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(Unsafe.Add(ref left, 5));
            c50 = Fma.MultiplyAdd(x, b0, c50);
            c51 = Fma.MultiplyAdd(x, b1, c51);
            left = ref Unsafe.Add(ref left, TileRows);
            right = ref Unsafe.Add(ref right, TileColumns);
        }
        var d0 = Vector256.Create(bias);
        var d1 = Vector256.Create(bias[8..]);
        ref var o = ref MemoryMarshal.GetReference(output);
        var step = (nuint)stride;
        (c00 + d0).StoreUnsafe(ref o, 0);
        (c01 + d1).StoreUnsafe(ref o, 8);
        (c10 + d0).StoreUnsafe(ref o, step);
        (c11 + d1).StoreUnsafe(ref o, step + 8);
        (c20 + d0).StoreUnsafe(ref o, 2 * step);
        (c21 + d1).StoreUnsafe(ref o, 2 * step + 8);
        (c30 + d0).StoreUnsafe(ref o, 3 * step);
        (c31 + d1).StoreUnsafe(ref o, 3 * step + 8);
        (c40 + d0).StoreUnsafe(ref o, 4 * step);
        (c41 + d1).StoreUnsafe(ref o, 4 * step + 8);
        (c50 + d0).StoreUnsafe(ref o, 5 * step);
        (c51 + d1).StoreUnsafe(ref o, 5 * step + 8);
    }
}
