using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>The diagnostics of feature scaling: a known kind, and one whose scaled values the likelihood can describe.</summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void VAE0045_UnknownScaling() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Gaussian, [|Scaling = (FeatureScaling)7|])] [Encoder] [Decoder]
        public partial class Stretched;
        """, "VAE0045", DiagnosticSeverity.Error, "Scaling 7 of 'Stretched' is not a member of VaeGen.FeatureScaling (None, Standardize, MinMax)");

    [Fact]
    public void VAE0046_StandardizedBernoulli() => AssertDiagnostic("""
        [Vae(20, 4, [|Scaling = FeatureScaling.Standardize|])] [Encoder] [Decoder]
        public partial class Centred;
        """, "VAE0046", DiagnosticSeverity.Error,
        "Scaling Standardize of 'Centred' gives values outside [0, 1] (mean 0, standard deviation 1), which the Bernoulli likelihood cannot describe",
        "use Scaling = FeatureScaling.MinMax");

    [Fact]
    public void VAE0046_StandardizedContinuousBernoulli() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.ContinuousBernoulli, [|Scaling = FeatureScaling.Standardize|])] [Encoder] [Decoder]
        public partial class Centred;
        """, "VAE0046", DiagnosticSeverity.Error, "which the ContinuousBernoulli likelihood cannot describe");

    [Fact]
    public void VAE0046_ScaledLevels() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Categorical256, [|Scaling = FeatureScaling.MinMax|])] [Encoder] [Decoder]
        public partial class Levelled;
        """, "VAE0046", DiagnosticSeverity.Error, "Scaling MinMax of 'Levelled' turns the 256 levels k / 255 into other values");

    [Fact]
    public void VAE0046_ScaledCounts() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Poisson, [|Scaling = FeatureScaling.Standardize|])] [Encoder] [Decoder]
        public partial class Counted;
        """, "VAE0046", DiagnosticSeverity.Error, "Scaling Standardize of 'Counted' turns counts into fractions, which the Poisson likelihood cannot describe");

    [Theory]
    [InlineData("Bernoulli", "MinMax")]
    [InlineData("ContinuousBernoulli", "MinMax")]
    [InlineData("Gaussian", "Standardize")]
    [InlineData("GaussianLearnedVariance", "MinMax")]
    [InlineData("Laplace", "Standardize")]
    [InlineData("LaplaceLearnedScale", "Standardize")]
    [InlineData("Poisson", "None")]
    public void ScalingThatFitsTheLikelihoodIsAccepted(string likelihood, string scaling) => AssertNoDiagnostics($$"""
        [Vae(20, 4, Likelihood = Likelihood.{{likelihood}}, Scaling = FeatureScaling.{{scaling}})] [Encoder(8)] [Decoder(8)]
        public partial class Fine;
        """);

    [Fact]
    public void AnAbstractModelGetsSaveButNoLoadAndCompiles()
    {
        AssertNoDiagnostics("""
            [Vae(6, 2, Likelihood = Likelihood.Gaussian, Scaling = FeatureScaling.Standardize)] [Encoder(4)] [Decoder(4)]
            public abstract partial class Template;
            """);
        var generated = Infrastructure.GeneratorHarness.Run(Usings + "[Vae(6, 2)] [Encoder] [Decoder] public abstract partial class Template;")
            .Generator.GeneratedSources.Single().SourceText.ToString();
        Assert.Contains("public void Save(string path)", generated);
        Assert.DoesNotContain("Load(string path)", generated);
    }

    /// <summary>No diagnostic, and the generated model compiles against TorchSharp without a warning.</summary>
    private static void AssertNoDiagnostics(string source)
    {
        var run = Infrastructure.GeneratorHarness.Run(Usings + source);
        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.VaeDiagnostics);
        Assert.Single(run.Generator.GeneratedSources);
        Assert.Empty(run.CompilationProblems);
    }
}
