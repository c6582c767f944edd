using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// The generated source of representative declarations, compared with the committed snapshots in Snapshots/. Each
/// declaration must also compile, generated code included, against .NET 10 and TorchSharp with no warning or error.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void BernoulliClassicMlp() => Check("""
        using VaeGen;

        namespace Demo
        {
            [Vae(784, 20, Likelihood = Likelihood.Bernoulli)]
            [Encoder(400)]
            [Decoder(400)]
            public partial class FashionVae;
        }
        """);

    [Fact]
    public void GaussianTwoLayersTanh() => Check("""
        using VaeGen;

        namespace Demo.Continuous;

        [Vae(64, 8, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.25)]
        [Encoder(128, 64, Activation = Activation.Tanh)]
        [Decoder(64, 128, Activation = Activation.SiLU)]
        public partial class SensorVae;
        """);

    [Fact]
    public void StandardizedGaussianForTables() => Check("""
        using VaeGen;

        namespace Demo.Tables;

        [Vae(13, 2, Likelihood = Likelihood.Gaussian, Scaling = FeatureScaling.Standardize)]
        [Encoder(32)]
        [Decoder(32)]
        public partial class WineVae;
        """);

    [Fact]
    public void MinMaxBernoulliConditional() => Check("""
        using VaeGen;

        namespace Demo.Tables;

        [Vae(6, 2, Scaling = FeatureScaling.MinMax)] [Condition(Classes = 3)]
        [Encoder(16)]
        [Decoder(16)]
        public partial class FlagsVae;
        """);

    [Fact]
    public void GaussianLearnedVarianceGelu() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(32, 4, Likelihood = Likelihood.GaussianLearnedVariance)]
        [Encoder(48, Activation = Activation.GELU)]
        [Decoder(48, Activation = Activation.LeakyReLU)]
        internal sealed partial class HeteroscedasticVae;
        """);

    [Fact]
    public void FiveReconstructionSamples() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(100, 10, Samples = 5)]
        [Encoder(50, 25, Activation = Activation.ELU)]
        [Decoder(25, 50, Activation = Activation.Softplus)]
        public partial class MultiSampleVae;
        """);

    [Fact]
    public void GlobalNamespaceLinear() => Check("""
        using VaeGen;

        [Vae(10, 2)]
        [Encoder]
        [Decoder]
        public partial class LinearVae;
        """);

    [Fact]
    public void NestedInPartialParents() => Check("""
        using VaeGen;

        namespace Demo.Zoo;

        /// <summary>Holds models.</summary>
        public static partial class Models
        {
            /// <summary>A nested container.</summary>
            public partial struct Shelf
            {
                [Vae(16, 3)]
                [Encoder(8)]
                [Decoder(8)]
                public partial class TinyVae;
            }
        }
        """);

    [Fact]
    public void PartialAcrossTwoFiles() => Check([
        """
        using VaeGen;

        namespace Demo;

        [Vae(20, 5)]
        public partial class SplitVae;
        """,
        """
        using VaeGen;

        namespace Demo;

        [Encoder(12)]
        [Decoder(12)]
        public partial class SplitVae
        {
            /// <summary>A user member beside the generated ones.</summary>
            public int Epochs { get; set; }
        }
        """]);

    [Fact]
    public void WarningStillGenerates() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(6, 2, ObservationVariance = 2.0)]
        [Encoder(4)]
        [Decoder(4)]
        public partial class BernoulliWithUnusedVariance;
        """);

    [Fact]
    public void ConvolutionalBernoulli() => Check("""
        using VaeGen;

        namespace Demo.Images;

        [Vae(16, Data = DataKind.UnitInterval)]
        [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, 2, 1)]
        [EncoderConv(64, 4, 2, 1)]
        [Encoder(256)]
        [Decoder(256)]
        [DecoderConvTranspose(32, 4, 2, 1)]
        [DecoderConvTranspose(1, 4, 2, 1)]
        public partial class ConvFashionVae;
        """);

    [Fact]
    public void ConvolutionalLaplaceLearnedScaleNonSquare() => Check("""
        using VaeGen;

        namespace Demo.Images;

        [Vae(720, 8, Likelihood = Likelihood.LaplaceLearnedScale)]
        [ImageInput(3, 20, 12)]
        [EncoderConv(8, 3, 2, 1, Activation = Activation.SiLU)]
        [EncoderConv(16, 3, 2, 1, Activation = Activation.SiLU)]
        [Encoder]
        [Decoder(Activation = Activation.SiLU, OutputActivation = Activation.Sigmoid)]
        [DecoderConvTranspose(8, 3, 2, 1, 1, Activation = Activation.SiLU)]
        [DecoderConvTranspose(3, 3, 2, 1, 1)]
        public partial class RgbPatchVae;
        """);

    [Fact]
    public void ConvolutionalCategoricalLevels() => Check("""
        using VaeGen;

        namespace Demo.Images;

        [Vae(8, Likelihood = Likelihood.Categorical256, Data = DataKind.Levels256)]
        [ImageInput(1, 8, 8)]
        [EncoderConv(4, 3, 2, 1)]
        [Encoder]
        [Decoder]
        [DecoderConvTranspose(1, 4, 2, 1)]
        public partial class PixelLevelsVae;
        """);

    [Fact]
    public void ConditionalOnClassLabel() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(784, 10)]
        [Condition(Classes = 10)]
        [Encoder(256)]
        [Decoder(256)]
        public partial class LabelledVae;
        """);

    [Fact]
    public void ConditionalOnFeaturesContinuousBernoulliThreeSamples() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(32, 4, Likelihood = Likelihood.ContinuousBernoulli, Samples = 3)]
        [Condition(Features = 5)]
        [Encoder(24)]
        [Decoder(24)]
        public partial class SteeredVae;
        """);

    [Fact]
    public void CategoricalDense() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(64, 4, Likelihood = Likelihood.Categorical256, Data = DataKind.Levels256)]
        [Encoder(32)]
        [Decoder(32)]
        public partial class LevelsVae;
        """);

    [Fact]
    public void PoissonWithBetaAndFreeBits() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(20, 3, Likelihood = Likelihood.Poisson, Data = DataKind.Counts, Beta = 0.5, FreeBits = 0.25)]
        [Encoder(16)]
        [Decoder(16)]
        public partial class CountsVae;
        """);

    [Fact]
    public void LaplaceFixedScaleSigmoidMean() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(16, 2, Likelihood = Likelihood.Laplace, ObservationScale = 0.1)]
        [Encoder(8)]
        [Decoder(8, OutputActivation = Activation.Sigmoid)]
        public partial class RobustVae;
        """);

    [Fact]
    public void MixturePriorMlp() => Check("""
        using VaeGen;

        namespace Demo.Priors;

        [Vae(784, 20)]
        [Encoder(400)]
        [Decoder(400)]
        [MixturePrior(10)]
        public partial class MixtureVae;
        """);

    [Fact]
    public void VampPriorConvolutional() => Check("""
        using VaeGen;

        namespace Demo.Priors;

        [Vae(8)]
        [ImageInput(1, 28, 28)]
        [EncoderConv(16, 4, 2, 1)]
        [Encoder(64)]
        [Decoder(64)]
        [DecoderConvTranspose(1, 4, 2, 1)]
        [VampPrior(50)]
        public partial class VampConvVae;
        """);

    [Fact]
    public void VampPriorConditionalGaussian() => Check("""
        using VaeGen;

        namespace Demo.Priors;

        [Vae(12, 3, Likelihood = Likelihood.GaussianLearnedVariance)]
        [Encoder(32)]
        [Decoder(32)]
        [Condition(Classes = 4)]
        [VampPrior(7)]
        public partial class LabelledVampVae;
        """);

    [Fact]
    public void PlanarFlowTwoSamples() => Check("""
        using VaeGen;

        namespace Demo.Flows;

        [Vae(50, 6, Samples = 2)]
        [Encoder(40)]
        [Decoder(40)]
        [PlanarFlow(4)]
        public partial class PlanarVae;
        """);

    [Fact]
    public void InverseAutoregressiveFlowWithMixturePrior() => Check("""
        using VaeGen;

        namespace Demo.Flows;

        [Vae(30, 5, Likelihood = Likelihood.Poisson)]
        [Encoder(24)]
        [Decoder(24)]
        [InverseAutoregressiveFlow(2, 16)]
        [MixturePrior(3)]
        public partial class IafMixtureVae;
        """);

    [Fact]
    public void ImportanceWeightedFiveSamples() => Check("""
        using VaeGen;

        namespace Demo;

        [Vae(784, 20, Objective = Objective.ImportanceWeighted, Samples = 5)]
        [Encoder(400)]
        [Decoder(400)]
        public partial class IwaeVae;
        """);

    private static void Check(string source, [CallerMemberName] string test = "") => Check([source], test);

    private static void Check(string[] sources, [CallerMemberName] string test = "")
    {
        var run = GeneratorHarness.Run(sources);
        Assert.Null(run.Generator.Exception);
        Assert.Single(run.Generator.GeneratedSources);
        Assert.DoesNotContain(run.VaeDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(run.CompilationProblems.Count == 0,
            "The generated code does not compile cleanly:\n" + string.Join("\n", run.CompilationProblems.Select(Snapshot.Describe)));
        Snapshot.Verify(run, method: test);

        // The generated text does not depend on the compiling machine's culture (a decimal comma, another minus sign).
        var culture = System.Threading.Thread.CurrentThread.CurrentCulture;
        try
        {
            foreach (var name in new[] { "de-DE", "sv-SE" })
            {
                System.Threading.Thread.CurrentThread.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo(name);
                var elsewhere = GeneratorHarness.Run(sources);
                Assert.Equal(run.Generator.GeneratedSources[0].SourceText.ToString(), elsewhere.Generator.GeneratedSources[0].SourceText.ToString());
            }
        }
        finally
        {
            System.Threading.Thread.CurrentThread.CurrentCulture = culture;
        }
    }
}
