using System;
using System.Collections.Generic;
using TorchSharp;
using VaeGen.Maths;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>Every call leaves behind only the tensors it returns: the intermediates die with its dispose scope.</summary>
public sealed class NoLeakTests
{
    private static long Live => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

    /// <summary>Runs the call once to warm up (an IAF converts its masks on first use), then counts tensors around a second call.</summary>
    private static void AssertNoLeak(string what, Func<IEnumerable<Tensor>> call)
    {
        foreach (var result in call()) result.Dispose();
        var before = Live;
        foreach (var result in call()) result.Dispose();
        Assert.True(before == Live, $"{what} left {Live - before} tensors behind");
    }

    [Fact]
    public void Densities_samples_and_modules_leave_nothing_behind()
    {
        using var z = randn(4, 3, 2);
        using var eps = randn(4, 3, 2);
        using var mu = randn(3, 2);
        using var logVar = randn(3, 2);
        using var means = randn(5, 2);
        using var logVars = randn(5, 2);
        using var logWeights = randn(5).log_softmax(-1);
        using var prior = new MixturePrior("prior", 5, 2);
        using var pseudo = new PseudoInputs("pseudo", 3, 4, unitInterval: true, conditionSize: 2, conditionIsClassLabel: true);
        using var planar = new PlanarFlow("planar", 3, 2);
        using var iaf = new InverseAutoregressiveFlow("iaf", 3, 2, 6);
        using var generator = new Generator(81);

        AssertNoLeak("LogDensity.StandardNormal", () => new[] { LogDensity.StandardNormal(z) });
        AssertNoLeak("LogDensity.GaussianWithLogVar", () => new[] { LogDensity.GaussianWithLogVar(z, mu, logVar) });
        AssertNoLeak("LogDensity.DiagonalGaussianAtSample", () => new[] { LogDensity.DiagonalGaussianAtSample(eps, logVar) });
        AssertNoLeak("GaussianMixture.LogProb", () => new[] { GaussianMixture.LogProb(z, means, logVars, logWeights) });
        AssertNoLeak("GaussianMixture.LogProb, equal weights", () => new[] { GaussianMixture.LogProb(z, means, logVars, null) });
        AssertNoLeak("GaussianMixture.Sample", () => new[] { GaussianMixture.Sample(7, means, logVars, logWeights, generator) });
        AssertNoLeak("MixturePrior.LogProb", () => new[] { prior.LogProb(z) });
        AssertNoLeak("MixturePrior.Sample", () => new[] { prior.Sample(7, generator) });
        AssertNoLeak("MixturePrior.LogWeights", () => new[] { prior.LogWeights() });
        AssertNoLeak("PseudoInputs", () => new[] { pseudo.Values(), pseudo.Conditions() });
        AssertNoLeak("PlanarFlow", () => { var (output, logDet) = planar.forward(z); return new[] { output, logDet }; });
        AssertNoLeak("InverseAutoregressiveFlow", () => { var (output, logDet) = iaf.forward(z); return new[] { output, logDet }; });
        AssertNoLeak("PlanarFlow backward", () =>
        {
            var (output, logDet) = planar.forward(z);
            using var outputSum = output.sum();
            using var logDetSum = logDet.sum();
            using var loss = outputSum.Plus(logDetSum);
            loss.backward();
            return new[] { output, logDet };
        });
        AssertNoLeak("InverseAutoregressiveFlow backward", () =>
        {
            var (output, logDet) = iaf.forward(z);
            using var outputSum = output.sum();
            using var logDetSum = logDet.sum();
            using var loss = outputSum.Plus(logDetSum);
            loss.backward();
            return new[] { output, logDet };
        });
    }

    [Fact]
    public void Modules_built_inside_a_dispose_scope_outlive_it()
    {
        MixturePrior prior;
        PseudoInputs pseudo;
        PlanarFlow planar;
        InverseAutoregressiveFlow iaf;
        using (NewDisposeScope())
        {
            prior = new MixturePrior("prior", 3, 2);
            pseudo = new PseudoInputs("pseudo", 3, 2, unitInterval: true, conditionSize: 2);
            planar = new PlanarFlow("planar", 2, 2);
            iaf = new InverseAutoregressiveFlow("iaf", 2, 2, 4);
        }
        using var scope = NewDisposeScope();
        var z = randn(5, 2);
        Assert.True(prior.LogProb(z).isfinite().all().item<bool>());
        Assert.True(pseudo.Values().isfinite().all().item<bool>());
        Assert.True(pseudo.Conditions().isfinite().all().item<bool>());
        Assert.True(planar.forward(z).LogDet.isfinite().all().item<bool>());
        Assert.True(iaf.forward(z).LogDet.isfinite().all().item<bool>());
        foreach (var module in new nn.Module[] { prior, pseudo, planar, iaf }) module.Dispose();
    }
}
