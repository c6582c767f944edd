using System;
using System.Linq;
using System.Threading;
using VaeGen.Maths;
using Xunit;

namespace VaeGen.Tests;

/// <summary>
/// The C# register-tiled product of the compiled evaluation (PackedProducts) against the product summed in float64, for
/// shapes that end inside a tile, and the second thread that shares its passes.
/// </summary>
public sealed class PackedProductsTests
{
    private static float[] Random(Random random, int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(6, 16, 5)]
    [InlineData(7, 17, 20)] // one row and one output past a whole tile
    [InlineData(13, 40, 37)]
    [InlineData(24, 784, 400)] // one unit of the evaluation's decoder, the sample's logits layer
    public void Tiles_give_the_product_plus_bias_for_every_row_and_output(int rows, int outputs, int depth)
    {
        if (!PackedProducts.Available) return; // the evaluation keeps libtorch's products there; nothing to test
        var random = new Random(rows * 1000 + outputs);
        var input = Random(random, rows * depth);
        var weight = Random(random, outputs * depth);
        var bias = Random(random, outputs);
        var panels = PackedProducts.Panels(outputs);
        var stride = panels * PackedProducts.TileColumns;
        var blocks = PackedProducts.Blocks(rows);
        var left = new float[blocks * PackedProducts.TileRows * depth];
        left.AsSpan().Fill(float.NaN); // the packing must write its zeros, not rely on a clean buffer
        PackedProducts.PackRows(input, depth, depth, rows, left);
        var right = PackedProducts.PackWeight(weight, outputs, depth);
        var paddedBias = new float[stride];
        bias.CopyTo(paddedBias, 0);
        var output = new float[blocks * PackedProducts.TileRows * stride];
        for (var block = 0; block < blocks; block++)
            for (var panel = 0; panel < panels; panel++)
                PackedProducts.Tile(left.AsSpan(block * PackedProducts.TileRows * depth), right.AsSpan(panel * depth * PackedProducts.TileColumns), depth,
                    paddedBias.AsSpan(panel * PackedProducts.TileColumns), output.AsSpan(block * PackedProducts.TileRows * stride + panel * PackedProducts.TileColumns), stride);

        for (var row = 0; row < rows; row++)
        {
            for (var o = 0; o < outputs; o++)
            {
                double expected = bias[o], magnitude = Math.Abs(bias[o]);
                for (var k = 0; k < depth; k++)
                {
                    expected += (double)input[row * depth + k] * weight[o * depth + k];
                    magnitude += Math.Abs((double)input[row * depth + k] * weight[o * depth + k]);
                }
                var actual = output[row * stride + o];
                Assert.True(Math.Abs(actual - expected) <= 1e-6 * magnitude + 1e-7, $"row {row}, output {o}: {actual} against {expected}");
            }
            // Past the last output, the zero-padded weights leave the padded bias, zero.
            for (var o = outputs; o < stride; o++) Assert.Equal(0f, output[row * stride + o]);
        }
        // Rows past the last give the bias alone: the packing padded them with zeros, not with the NaN fill.
        for (var row = rows; row < blocks * PackedProducts.TileRows; row++)
            for (var o = 0; o < outputs; o++) Assert.Equal(bias[o], output[row * stride + o]);
    }

    [Fact]
    public void A_tile_refuses_an_output_without_room_for_six_rows()
    {
        if (!PackedProducts.Available) return;
        var a = new float[PackedProducts.TileRows * 3];
        var b = new float[PackedProducts.TileColumns * 3];
        var bias = new float[PackedProducts.TileColumns];
        Assert.Throws<ArgumentException>(() => PackedProducts.Tile(a, b, 3, bias, new float[5 * 20 + 15], 20));
        Assert.Throws<ArgumentException>(() => PackedProducts.Tile(a, b, 4, bias, new float[6 * 20], 20));
    }

    [Fact]
    public void Packing_a_weight_puts_each_output_in_its_panel_by_depth_with_zeros_after_the_last()
    {
        var weight = Enumerable.Range(0, 17 * 3).Select(i => (float)(i + 1)).ToArray(); // W[o, k] = 3 o + k + 1
        var packed = PackedProducts.PackWeight(weight, 17, 3);
        Assert.Equal(2 * 3 * PackedProducts.TileColumns, packed.Length);
        for (var o = 0; o < 32; o++)
            for (var k = 0; k < 3; k++)
                Assert.Equal(o < 17 ? 3 * o + k + 1 : 0, packed[o / 16 * 3 * 16 + k * 16 + o % 16]);
        Assert.Throws<ArgumentException>(() => PackedProducts.PackWeight(weight, 16, 3));
    }

    [Fact]
    public void The_second_thread_runs_the_work_beside_the_caller_and_both_finish_before_Run_returns()
    {
        var threads = new int[2];
        var calls = -1;
        var finished = 0;
        using var bothStarted = new CountdownEvent(2);
        SecondThread.Shared.Run(() =>
        {
            threads[Interlocked.Increment(ref calls)] = Environment.CurrentManagedThreadId;
            bothStarted.Signal();
            Assert.True(bothStarted.Wait(TimeSpan.FromSeconds(30)), "the other call never started: the work did not run on two threads at once");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
        });
        Assert.Equal(2, finished);
        Assert.NotEqual(threads[0], threads[1]);
        Assert.Contains(Environment.CurrentManagedThreadId, threads);
    }

    [Fact]
    public void An_exception_on_either_thread_reaches_the_caller_and_the_thread_serves_again()
    {
        var callerThread = Environment.CurrentManagedThreadId;
        var fromSecond = Assert.Throws<InvalidOperationException>(() => SecondThread.Shared.Run(() =>
        {
            if (Environment.CurrentManagedThreadId != callerThread) throw new InvalidOperationException("second");
        }));
        Assert.Equal("second", fromSecond.Message);
        var fromCaller = Assert.Throws<InvalidOperationException>(() => SecondThread.Shared.Run(() =>
        {
            if (Environment.CurrentManagedThreadId == callerThread) throw new InvalidOperationException("caller");
        }));
        Assert.Equal("caller", fromCaller.Message);
        var count = 0;
        SecondThread.Shared.Run(() => Interlocked.Increment(ref count));
        Assert.Equal(2, count);
    }

    [Fact]
    public void A_caller_that_finds_the_thread_busy_does_its_work_alone()
    {
        var innerCalls = 0;
        var outerCalls = 0;
        SecondThread.Shared.Run(() =>
        {
            if (Interlocked.Increment(ref outerCalls) == 1)
                SecondThread.Shared.Run(() => Interlocked.Increment(ref innerCalls)); // the thread is taken by this very call
        });
        Assert.Equal(2, outerCalls);
        Assert.Equal(1, innerCalls);
    }
}
