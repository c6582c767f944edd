using System;
using System.Linq;
using VaeGen.Maths;
using VaeGen.Training;
using Xunit;

namespace VaeGen.Tests.Training;

/// <summary>
/// The compiled step's likelihood pass in both of its forms (one fused pass with polynomials, where AVX2 and FMA run;
/// four passes with TensorPrimitives elsewhere) against float64: the summed -log p(x|z) and every gradient, for row
/// widths with and without a padded last vector.
/// </summary>
public sealed class LikelihoodPassTests
{
    [Theory]
    [InlineData(13, 5)]
    [InlineData(784, 4)]
    [InlineData(16, 3)]
    [InlineData(3, 2)]
    public void Both_forms_give_the_loss_and_gradient_of_float64(int width, int rows)
    {
        var random = new Random(width * 31 + rows);
        var raw = Enumerable.Range(0, width * rows).Select(_ => (float)(random.NextDouble() * 60 - 30)).ToArray();
        raw[0] = 0; raw[1] = 100; // with bias[1] = 0, a logit far beyond the exponential's clamp
        var bias = Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        bias[1] = 0;
        var x = Enumerable.Range(0, width * rows).Select(i => i % 7 == 0 ? 0.25f : random.Next(2)).ToArray();
        const float scale = 1f / 40;

        double expectedLoss = 0;
        var expectedGradient = new double[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            double l = (double)raw[i] + bias[i % width], t = x[i];
            expectedLoss += Math.Max(l, 0) + Math.Log(1 + Math.Exp(-Math.Abs(l))) - t * l;
            expectedGradient[i] = (1 / (1 + Math.Exp(-l)) - t) * scale;
        }

        var portable = (float[])raw.Clone();
        var portableLoss = DenseBernoulliStep.PortableLikelihoodPass(portable, x, bias, scale, new float[width], new float[width]);
        Check("portable", portableLoss, portable);
        if (!SoftplusPolynomials.FmaAvailable) return; // the fused form does not run on this processor
        var fused = (float[])raw.Clone();
        var fusedLoss = DenseBernoulliStep.FusedLikelihoodPass(fused, x, bias, scale);
        Check("fused", fusedLoss, fused);

        void Check(string form, double loss, float[] gradient)
        {
            // Float32 terms of up to 32 nats summed in float32 per row: a few units in the last place of each.
            Hand.Close(expectedLoss, loss, 1e-6 * raw.Length, 1e-6, $"{form}: loss");
            Hand.Close(expectedGradient, gradient.Select(g => (double)g).ToArray(), 1e-7 * scale, 1e-6, $"{form}: gradient");
        }
    }

    [Fact]
    public void A_nan_logit_gives_a_nan_gradient_in_both_forms()
    {
        var bias = new float[9];
        var x = new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 1 };
        foreach (var fused in SoftplusPolynomials.FmaAvailable ? new[] { false, true } : new[] { false })
        {
            var logits = new float[] { 1, 2, float.NaN, 3, 4, 5, 6, 7, float.NaN };
            var loss = fused
                ? DenseBernoulliStep.FusedLikelihoodPass(logits, x, bias, 1)
                : DenseBernoulliStep.PortableLikelihoodPass(logits, x, bias, 1, new float[9], new float[9]);
            Assert.True(double.IsNaN(loss), $"fused = {fused}: loss");
            Assert.Equal(new[] { false, false, true, false, false, false, false, false, true }, logits.Select(float.IsNaN));
        }
    }
}
