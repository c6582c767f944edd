using Microsoft.CodeAnalysis;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>The diagnostics of learned priors, flow posteriors and the importance-weighted objective.</summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void VAE0039_MixtureWithoutComponents() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [MixturePrior([|0|])]
        public partial class Empty;
        """, "VAE0039", DiagnosticSeverity.Error, "[MixturePrior] on 'Empty' has components = 0; it must be at least 1");

    [Fact]
    public void VAE0039_InverseAutoregressiveFlowWithoutUnits() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [InverseAutoregressiveFlow(2, [|-8|])]
        public partial class Narrow;
        """, "VAE0039", DiagnosticSeverity.Error, "[InverseAutoregressiveFlow] on 'Narrow' has hiddenSize = -8");

    [Fact]
    public void VAE0039_PlanarFlowWithoutSteps() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [PlanarFlow([|0|])]
        public partial class Still;
        """, "VAE0039", DiagnosticSeverity.Error, "[PlanarFlow] on 'Still' has steps = 0");

    [Fact]
    public void VAE0040_TwoPriors() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [MixturePrior(10)] [[|VampPrior(50)|]]
        public partial class Undecided;
        """, "VAE0040", DiagnosticSeverity.Error, "'Undecided' declares both [MixturePrior] and [VampPrior]; a model has one prior");

    [Fact]
    public void VAE0040_TwoFlows() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [PlanarFlow(4)] [[|InverseAutoregressiveFlow(2, 16)|]]
        public partial class Layered;
        """, "VAE0040", DiagnosticSeverity.Error, "both [PlanarFlow] and [InverseAutoregressiveFlow]; a model has one flow");

    [Fact]
    public void VAE0041_FreeBitsWithMixturePrior() => AssertDiagnostic("""
        [Vae(20, 4, [|FreeBits = 0.5|])] [Encoder] [Decoder] [MixturePrior(10)]
        public partial class Floored;
        """, "VAE0041", DiagnosticSeverity.Error, "FreeBits of 'Floored' is 0.5, but with the learned prior [MixturePrior]", "remove FreeBits or the prior");

    [Fact]
    public void VAE0041_FreeBitsWithPlanarFlow() => AssertDiagnostic("""
        [Vae(20, 4, [|FreeBits = 1|])] [Encoder] [Decoder] [PlanarFlow(2)]
        public partial class FlowFloored;
        """, "VAE0041", DiagnosticSeverity.Error, "the flow posterior [PlanarFlow]", "remove FreeBits or the flow");

    [Fact]
    public void VAE0041_ZeroFreeBitsIsNoFloor()
    {
        // FreeBits = 0 declares no floor, so it conflicts with nothing: the model generates.
        var run = Infrastructure.GeneratorHarness.Run(Usings + """
            [Vae(20, 4, FreeBits = 0)] [Encoder] [Decoder] [VampPrior(5)]
            public partial class Unfloored;
            """);
        Assert.Empty(run.VaeDiagnostics);
        Assert.Single(run.Generator.GeneratedSources);
    }

    [Fact]
    public void VAE0042_BetaWithImportanceWeighting() => AssertDiagnostic("""
        [Vae(20, 4, Objective = Objective.ImportanceWeighted, Samples = 5, [|Beta = 4|])] [Encoder] [Decoder]
        public partial class Weighted;
        """, "VAE0042", DiagnosticSeverity.Error, "Beta of 'Weighted' is 4, but the objective is ImportanceWeighted");

    [Fact]
    public void VAE0042_FreeBitsWithImportanceWeighting() => AssertDiagnostic("""
        [Vae(20, 4, Objective = Objective.ImportanceWeighted, Samples = 5, [|FreeBits = 0.25|])] [Encoder] [Decoder]
        public partial class Floored;
        """, "VAE0042", DiagnosticSeverity.Error, "FreeBits of 'Floored' is 0.25", "remove FreeBits or use Objective.Elbo");

    [Fact]
    public void VAE0043_UnknownObjective() => AssertDiagnostic("""
        [Vae(20, 4, [|Objective = (Objective)5|])] [Encoder] [Decoder]
        public partial class Aimless;
        """, "VAE0043", DiagnosticSeverity.Error, "Objective 5 of 'Aimless' is not a member of VaeGen.Objective (Elbo, ImportanceWeighted)");

    [Fact]
    public void VAE0044_ImportanceWeightedWithOneSample() => AssertDiagnostic("""
        [Vae(20, 4, [|Objective = Objective.ImportanceWeighted|])] [Encoder] [Decoder]
        public partial class Single;
        """, "VAE0044", DiagnosticSeverity.Warning, "'Single' trains on the importance-weighted bound with Samples = 1, which is exactly the ELBO");
}
