using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// Everything the generated code says differently per posterior: the flow's field and construction, and how a draw
/// from the base Gaussian becomes z with its log q(z|x). Chosen once per model from <see cref="PosteriorSpec"/>.
/// </summary>
internal abstract class PosteriorText
{
    /// <summary>The component for the model's posterior.</summary>
    public static PosteriorText For(VaeSpec spec) => spec.Posterior switch
    {
        PosteriorSpec.PlanarFlow planar => new Planar(planar),
        PosteriorSpec.InverseAutoregressiveFlow iaf => new InverseAutoregressive(iaf),
        _ => new DiagonalGaussian(),
    };

    /// <summary>"a diagonal Gaussian", for the class summary and documentation.</summary>
    public abstract string Description { get; }

    /// <summary>True when a flow follows the Gaussian.</summary>
    public bool HasFlow => Field is not null;

    /// <summary>The field of the flow, or null.</summary>
    public virtual string? Field => null;

    /// <summary>The constructor statement that creates <see cref="Field"/>, or null.</summary>
    public virtual string? Construction => null;

    /// <summary>
    /// Writes, inside ExportOnnx, the statements that declare <c>z</c> and <c>logPosterior</c> on the scoring graph
    /// <c>scoreGraph</c> from <c>scoreMu</c>, <c>scoreLogVar</c> and the noise <c>eps</c>, as DrawPosterior does.
    /// </summary>
    public void WriteOnnxDraw(SourceWriter writer)
    {
        if (OnnxFlow is not { } flow)
        {
            writer.Line("var z = scoreGraph.Reparameterize(scoreMu, scoreLogVar, eps); // z = mu + exp(0.5 * logVar) * eps");
            writer.Line("// log q(z|x) = log N(z; mu, diag(exp(logVar))) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)), from the noise directly.");
            writer.Line("var logPosterior = scoreGraph.DiagonalGaussianAtSample(eps, scoreLogVar);");
            return;
        }
        writer.Line("// log N(z0; mu, diag(exp(logVar))) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)), from the noise directly.");
        writer.Line("var logBase = scoreGraph.DiagonalGaussianAtSample(eps, scoreLogVar);");
        writer.Line($"// z = f(z0), z0 = mu + exp(0.5 * logVar) * eps, f {Description.Substring("a diagonal Gaussian followed by ".Length)}.");
        writer.Line($"var (z, logDet) = scoreGraph.{flow}(scoreGraph.Reparameterize(scoreMu, scoreLogVar, eps), flow, \"flow\");");
        writer.Line("// The change of variables: each step divides the density by its |det J|.");
        writer.Line("var logPosterior = scoreGraph.SubtractLogDeterminant(logBase, logDet);");
    }

    /// <summary>The OnnxGraph method that writes the flow, or null without one.</summary>
    protected virtual string? OnnxFlow => null;

    private sealed class DiagonalGaussian : PosteriorText
    {
        public override string Description => "a diagonal Gaussian";
    }

    private sealed class Planar(PosteriorSpec.PlanarFlow spec) : PosteriorText
    {
        public override string Description => $"a diagonal Gaussian followed by a planar flow of {Text.Count(spec.FlowSteps, "step")}";

        public override string? Field => $"private readonly {Maths}.PlanarFlow flow;";

        protected override string? OnnxFlow => "PlanarFlow";

        public override string? Construction => $"flow = new {Maths}.PlanarFlow(\"flow\", {spec.FlowSteps}, LatentSize); // per step u and w of the latent size, and b";
    }

    private sealed class InverseAutoregressive(PosteriorSpec.InverseAutoregressiveFlow spec) : PosteriorText
    {
        public override string Description =>
            $"a diagonal Gaussian followed by an inverse autoregressive flow of {Text.Count(spec.FlowSteps, "step")} (MADE layers of {spec.HiddenSize} units)";

        public override string? Field => $"private readonly {Maths}.InverseAutoregressiveFlow flow;";

        protected override string? OnnxFlow => "InverseAutoregressiveFlow";

        public override string? Construction => $"flow = new {Maths}.InverseAutoregressiveFlow(\"flow\", {spec.FlowSteps}, LatentSize, {spec.HiddenSize});";
    }
}
