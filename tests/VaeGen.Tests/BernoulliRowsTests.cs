using System;
using System.Linq;
using System.Numerics;
using System.Runtime.Intrinsics;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The Bernoulli log-density's C# row pass (evaluation without a gradient) against float64 and against the libtorch
/// path it replaces; its float32 polynomials against float64 over their whole range, in both forms.
/// </summary>
public sealed class BernoulliRowsTests
{
    /// <summary>Logits across every range the polynomials meet: 0, tiny, the halving bound of log(1 + e) (e = sqrt(2) - 1 at |l| = 0.8814), the clamp at 87, beyond it, huge.</summary>
    private static float[] Logits()
    {
        var special = new[] { 0f, 1e-30f, 1e-8f, 0.3465736f, 0.5f, 0.8813735f, 0.88137f, 0.8814f, 1f, 2f, 10f, 16.6f, 30f, 86.9f, 87f, 87.1f, 88.8f, 100f, 1e4f, 3e38f };
        var sweep = Enumerable.Range(0, 20001).Select(i => (i - 10000) * 0.0123f + 0.001f * MathF.Sin(i));
        return special.Concat(special.Select(l => -l)).Concat(sweep).ToArray();
    }

    /// <summary>x l - softplus(l) in float64, softplus stable at any logit.</summary>
    private static double Term(double x, double l) => x * l - (Math.Max(l, 0) + Math.Log(1 + Math.Exp(-Math.Abs(l))));

    /// <summary>Float32 rounding of x l and max(l, 0) bounds what any float32 formula can do; the polynomials add 4e-7 of log(1 + e).</summary>
    private static double Tolerance(double x, double l) =>
        2e-7 + 6e-8 * (Math.Abs(x * l) + Math.Max(l, 0)) + 4e-7 * Math.Log(1 + Math.Exp(-Math.Abs(l)));

    private static void CheckTerms(Func<float[], float[], float[]> terms, string form)
    {
        var logits = Logits();
        foreach (var target in new[] { 0f, 1f, 0.3f })
        {
            var x = Enumerable.Repeat(target, logits.Length).ToArray();
            var actual = terms(x, logits);
            for (var i = 0; i < logits.Length; i++)
            {
                var expected = Term(target, logits[i]);
                Assert.True(Math.Abs(actual[i] - expected) <= Tolerance(target, logits[i]),
                    $"{form}: x = {target}, l = {logits[i]:R}: expected {expected:R}, got {actual[i]:R}");
            }
        }
    }

    [Fact]
    public void Portable_polynomials_match_float64_from_tiny_to_huge_logits()
    {
        CheckTerms((x, l) =>
        {
            var width = Vector<float>.Count;
            var padded = l.Length + width - l.Length % width;
            var xs = x.Concat(new float[padded - l.Length]).ToArray();
            var ls = l.Concat(new float[padded - l.Length]).ToArray();
            var all = new float[padded];
            for (var i = 0; i < padded; i += width)
                SoftplusPolynomials.Terms(new Vector<float>(xs, i), new Vector<float>(ls, i)).CopyTo(all, i);
            return all[..l.Length];
        }, "portable");
    }

    [Fact]
    public void Fused_polynomials_match_float64_from_tiny_to_huge_logits()
    {
        if (!SoftplusPolynomials.FmaAvailable) return; // nothing to test on a processor without AVX2 and FMA: the portable form runs there
        CheckTerms((x, l) =>
        {
            var padded = l.Length + 8 - l.Length % 8;
            var xs = x.Concat(new float[padded - l.Length]).ToArray();
            var ls = l.Concat(new float[padded - l.Length]).ToArray();
            var all = new float[padded];
            for (var i = 0; i < padded; i += 8)
                SoftplusPolynomials.Terms(Vector256.Create(xs, i), Vector256.Create(ls, i)).CopyTo(all, i);
            return all[..l.Length];
        }, "fused");
    }

    [Theory]
    [InlineData(new long[] { 7, 784 }, new long[] { 7, 784 })] // the sample's shape, whole vectors
    [InlineData(new long[] { 3, 2, 61 }, new long[] { 2, 61 })] // x repeated over a sample dimension; a padded last vector
    [InlineData(new long[] { 5, 1 }, new long[] { 5, 1 })] // one feature: the padded vector only
    [InlineData(new long[] { 2, 100, 784 }, new long[] { 100, 784 })] // above SplitFrom: two threads
    [InlineData(new long[] { 13 }, new long[] { 13 })] // one row
    public void Rows_agree_with_the_libtorch_path_and_with_float64(long[] logitShape, long[] targetShape)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        var logits = randn(logitShape, generator: generator).mul_(8);
        var x = bernoulli(rand(targetShape, generator: generator), generator: generator);
        x.view(-1)[0].fill_(0.3f); // a fractional target too
        Assert.True(BernoulliRows.Covers(x, logits));

        var rows = Hand.Values(LogDensity.Bernoulli(x, logits));
        var libtorch = Hand.Values(LogDensity.BernoulliWithoutGradient(x, logits));
        var exact = Hand.Values(LogDensity.Bernoulli(x.to_type(ScalarType.Float64), logits.to_type(ScalarType.Float64)));
        Assert.Equal(logitShape[..^1].Aggregate(1L, (a, b) => a * b), rows.Length);
        // Each row may be off by its terms' own tolerances plus float32 summation (8 lanes, then across them).
        var features = (int)logitShape[^1];
        var xs = Hand.Values(x);
        var ls = Hand.Values(logits);
        var targetRows = xs.Length / features;
        for (var row = 0; row < rows.Length; row++)
        {
            double tolerance = 0, magnitude = 0;
            for (var j = 0; j < features; j++)
            {
                double target = xs[row % targetRows * features + j], logit = ls[row * features + j];
                tolerance += Tolerance(target, logit);
                magnitude += Math.Abs(Term(target, logit));
            }
            tolerance += 1e-7 * Math.Log2(features + 1) * magnitude;
            Hand.Close(exact[row], rows[row], tolerance, 0, $"row {row} against float64");
            Hand.Close(libtorch[row], rows[row], 2 * tolerance, 0, $"row {row} against libtorch's passes");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(784)]
    public void Both_row_forms_sum_a_row_as_float64_does(int width)
    {
        var random = new Random(width);
        var l = Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * 40 - 20)).ToArray();
        var x = Enumerable.Range(0, width).Select(i => i % 5 == 0 ? 0.3f : random.Next(2)).ToArray();
        double expected = 0, tolerance = 0, magnitude = 0;
        for (var j = 0; j < width; j++)
        {
            expected += Term(x[j], l[j]);
            tolerance += Tolerance(x[j], l[j]);
            magnitude += Math.Abs(Term(x[j], l[j]));
        }
        tolerance += 1e-7 * Math.Log2(width + 1) * magnitude;
        Hand.Close(expected, BernoulliRows.PortableRow(x, l), tolerance, 0, "portable row");
        if (SoftplusPolynomials.FmaAvailable) Hand.Close(expected, BernoulliRows.FusedRow(x, l), tolerance, 0, "fused row");
    }

    [Fact]
    public void Views_with_an_offset_and_empty_batches_are_scored_where_they_lie()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var all = randn(new long[] { 6, 20 }, generator: generator).mul_(6);
        var x = bernoulli(rand(new long[] { 4, 20 }, generator: generator), generator: generator);
        var view = all.narrow(0, 2, 4); // contiguous, starting 40 floats into its storage
        Assert.True(BernoulliRows.Covers(x, view));
        Hand.Close(Hand.Values(LogDensity.BernoulliWithoutGradient(x, view)), Hand.Values(LogDensity.Bernoulli(x, view)), 1e-4, 1e-6, "view with an offset");

        var none = LogDensity.Bernoulli(x.narrow(0, 0, 0), all.narrow(0, 0, 0));
        Assert.Equal(new long[] { 0 }, none.shape);
        var noSamples = LogDensity.Bernoulli(x, empty(0, 4, 20));
        Assert.Equal(new long[] { 0, 4 }, noSamples.shape);
    }

    [Fact]
    public void Two_threads_give_the_bits_of_one()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(3);
        var logits = randn(new long[] { 3, 100, 784 }, generator: generator).mul_(5);
        var x = bernoulli(rand(new long[] { 100, 784 }, generator: generator), generator: generator);
        Assert.True(logits.numel() >= BernoulliRows.SplitFrom);
        var split = Hand.Values(BernoulliRows.LogDensity(x, logits));
        var whole = empty(3, 100);
        BernoulliRows.Score(x, logits, whole, 0, 300);
        Assert.Equal(Hand.Values(whole), split);
    }

    [Fact]
    public void Tensors_the_rows_do_not_cover_take_the_libtorch_path_with_the_same_result()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var logits = randn(new long[] { 4, 6, 10 }, generator: generator).mul_(4);
        var x = bernoulli(rand(new long[] { 6, 10 }, generator: generator), generator: generator);
        var reference = Hand.Values(BernoulliRows.LogDensity(x, logits));

        var transposed = logits.transpose(0, 1).contiguous().transpose(0, 1); // same values, not contiguous
        var broadcastRow = x.narrow(0, 0, 1); // [1, 10] against [4, 6, 10]: libtorch broadcasts, the rows do not
        Assert.False(BernoulliRows.Covers(x, transposed));
        Assert.False(BernoulliRows.Covers(x.to_type(ScalarType.Float64), logits));
        Assert.False(BernoulliRows.Covers(broadcastRow, logits));
        Assert.False(BernoulliRows.Covers(x, logits.to_type(ScalarType.Float64)));

        Hand.Close(reference, Hand.Values(LogDensity.Bernoulli(x, transposed)), 1e-4, 1e-6, "not contiguous");
        var broadcast = Hand.Values(LogDensity.Bernoulli(broadcastRow, logits));
        var byRows = Hand.Values(BernoulliRows.LogDensity(broadcastRow.expand(6, 10).contiguous(), logits));
        Hand.Close(byRows, broadcast, 1e-4, 1e-6, "x broadcast over rows");
    }

    [Fact]
    public void A_nan_or_infinite_logit_spoils_its_own_row_as_the_libtorch_path_does()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 }, new long[] { 1, 9 });
        var logits = tensor(new float[]
        {
            float.NaN, 1, 2, 3, 4, 5, 6, 7, 8,
            float.PositiveInfinity, 1, 2, 3, 4, 5, 6, 7, 8, // x = 1: inf - inf
            1, float.NegativeInfinity, 2, 3, 4, 5, 6, 7, 8, // x = 0: 0 * -inf
            1, 2, 3, 4, 5, 6, 7, 8, 9,
        }, new long[] { 4, 9 });
        var rows = Hand.Values(LogDensity.Bernoulli(x, logits));
        var libtorch = Hand.Values(LogDensity.BernoulliWithoutGradient(x, logits));
        Assert.Equal(libtorch.Select(double.IsNaN), rows.Select(double.IsNaN));
        Assert.Equal(new[] { true, true, true, false }, rows.Select(double.IsNaN));
        Hand.Close(libtorch[3], rows[3], 1e-5, 1e-6, "the clean row");
    }
}
