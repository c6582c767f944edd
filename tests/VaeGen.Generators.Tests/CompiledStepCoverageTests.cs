using System;
using System.Linq;
using VaeGen.Generators.Tests.Infrastructure;
using VaeGen.Training;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// Which declarations Fit trains with the compiled step (the runtime's DenseBernoulliStep), and that every other one says
/// in its generated loop why autograd trains it.
/// </summary>
public sealed class CompiledStepCoverageTests
{
    private const string Compiled = "global::VaeGen.Training.DenseBernoulliStep.For(";

    private static string Generate(string attributes)
    {
        var run = GeneratorHarness.Run($$"""
            using VaeGen;

            namespace Demo;

            /// <summary>The model under test.</summary>
            {{attributes}}
            public partial class Model;
            """);
        Assert.Empty(run.CompilationProblems);
        return run.Generator.GeneratedSources.Single().SourceText.ToString();
    }

    [Fact]
    public void The_generator_hands_the_step_exactly_the_activations_the_runtime_can_follow()
    {
        foreach (var activation in Enum.GetValues<Activation>())
        {
            foreach (var side in new[] { "Encoder", "Decoder" })
            {
                var other = side == "Encoder" ? "Decoder" : "Encoder";
                var text = Generate($"[Vae(8, 2)] [{side}(6, 5, Activation = Activation.{activation})] [{other}(4)]");
                if (DenseBernoulliStep.UnsupportedActivation(activation) is null)
                {
                    Assert.Contains(Compiled, text);
                    Assert.Contains($"global::VaeGen.Activation.{activation})", text);
                    Assert.DoesNotContain("Autograd trains this model", text);
                }
                else
                {
                    Assert.DoesNotContain(Compiled, text);
                    Assert.Contains($"Autograd trains this model: the compiled step (DenseBernoulliStep) covers dense Bernoulli models with the Gaussian posterior, N(0, I) and the ELBO, and its {side.ToLowerInvariant()}'s activation is {activation}, whose derivative needs the layer's input.", text);
                }
            }
        }
    }

    [Fact]
    public void Each_hidden_layer_is_handed_over_with_its_place_in_the_Sequential()
    {
        var text = Generate("[Vae(8, 2)] [Encoder(7, 6, 5, Activation = Activation.Tanh)] [Decoder]");
        Assert.Contains("new global::VaeGen.Training.DenseBernoulliStep.Layer[] { new((global::TorchSharp.Modules.Linear)encoder[0], global::VaeGen.Activation.Tanh), new((global::TorchSharp.Modules.Linear)encoder[2], global::VaeGen.Activation.Tanh), new((global::TorchSharp.Modules.Linear)encoder[4], global::VaeGen.Activation.Tanh) },", text);
        // No decoder layers: the logits layer reads z.
        Assert.Contains("global::System.Array.Empty<global::VaeGen.Training.DenseBernoulliStep.Layer>(),", text);
    }

    [Theory]
    [InlineData("[Vae(8, 2, Likelihood = Likelihood.Gaussian)] [Encoder(6)] [Decoder(6)]", "its likelihood is Gaussian")]
    [InlineData("[Vae(2)] [ImageInput(1, 8, 8)] [EncoderConv(4, 4, 2, 1)] [Encoder] [Decoder] [DecoderConvTranspose(1, 4, 2, 1)]", "it has convolutions")]
    [InlineData("[Vae(8, 2)] [Condition(Classes = 3)] [Encoder(6)] [Decoder(6)]", "it is conditional")]
    [InlineData("[Vae(8, 2, Scaling = FeatureScaling.MinMax)] [Encoder(6)] [Decoder(6)]", "it scales its features (MinMax)")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)] [MixturePrior(3)]", "its prior is a Gaussian mixture")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)] [VampPrior(4)]", "its prior is a VampPrior")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)] [PlanarFlow(2)]", "its posterior has a flow")]
    [InlineData("[Vae(8, 2, Objective = Objective.ImportanceWeighted, Samples = 3)] [Encoder(6)] [Decoder(6)]", "it trains on the importance-weighted bound")]
    [InlineData("[Vae(8, 2, Samples = 2)] [Encoder(6)] [Decoder(6)]", "it draws 2 reconstruction samples")]
    [InlineData("[Vae(8, 2, FreeBits = 0.5)] [Encoder(6)] [Decoder(6)]", "it has free bits")]
    public void A_declaration_outside_the_step_says_why_autograd_trains_it(string attributes, string reason)
    {
        var text = Generate(attributes);
        Assert.DoesNotContain(Compiled, text);
        Assert.Contains($"// Autograd trains this model: the compiled step (DenseBernoulliStep) covers dense Bernoulli models with the Gaussian posterior, N(0, I) and the ELBO, and {reason}.", text);
    }

    private const string CompiledEvaluation = "global::VaeGen.Training.DenseBernoulliEvaluation.For(";

    [Theory]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)]")]
    [InlineData("[Vae(8, 2, Objective = Objective.ImportanceWeighted, Samples = 3)] [Encoder(6)] [Decoder(6)]")] // training options do not matter
    [InlineData("[Vae(8, 2, FreeBits = 0.5, Samples = 2)] [Encoder(6, Activation = Activation.GELU)] [Decoder(6, 4, Activation = Activation.Tanh)]")] // nor the encoder's activation
    [InlineData("[Vae(8, 2)] [Encoder] [Decoder]")]
    public void LogLikelihood_hands_a_covered_decoder_to_the_compiled_evaluation(string attributes)
    {
        var text = Generate(attributes);
        Assert.Contains(CompiledEvaluation, text);
        Assert.Contains("logWeights.Add(compiled is null ? LogImportanceWeights(x, mu, logVar, eps) : compiled.LogImportanceWeights(x, mu, logVar, eps));", text);
        Assert.DoesNotContain("// The model's own LogImportanceWeights scores each chunk", text);
    }

    [Theory]
    [InlineData("[Vae(8, 2, Likelihood = Likelihood.Gaussian)] [Encoder(6)] [Decoder(6)]", "its likelihood is Gaussian")]
    [InlineData("[Vae(8, 2)] [Condition(Classes = 3)] [Encoder(6)] [Decoder(6)]", "it is conditional")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)] [VampPrior(4)]", "its prior is a VampPrior")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6)] [PlanarFlow(2)]", "its posterior has a flow")]
    [InlineData("[Vae(8, 2)] [Encoder(6)] [Decoder(6, Activation = Activation.GELU)]", "its decoder's activation is GELU")]
    public void A_decoder_outside_the_compiled_evaluation_says_why_its_own_method_scores_it(string attributes, string reason)
    {
        var text = Generate(attributes);
        Assert.DoesNotContain(CompiledEvaluation, text);
        Assert.Contains($"// The model's own LogImportanceWeights scores each chunk: the compiled evaluation (DenseBernoulliEvaluation) covers dense Bernoulli decoders with the Gaussian posterior and N(0, I), and {reason}.", text);
    }
}
