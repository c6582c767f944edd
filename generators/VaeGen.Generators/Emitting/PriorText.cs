using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// Everything the generated code says differently per prior: its field and construction, log p(z), and how to draw
/// from it. Chosen once per model from <see cref="PriorSpec"/>; the runtime maths lives in VaeGen.Maths.
/// </summary>
internal abstract class PriorText
{
    /// <summary>The component for the model's prior.</summary>
    public static PriorText For(VaeSpec spec) => spec.Prior switch
    {
        PriorSpec.GaussianMixture mixture => new Mixture(mixture, spec.LatentSize),
        PriorSpec.Vamp vamp => new Vamp(vamp, spec),
        _ => new StandardNormal(),
    };

    /// <summary>"N(0, I)" or "a learned mixture of 10 diagonal Gaussians", for documentation.</summary>
    public abstract string Description { get; }

    /// <summary>The prior named in running text: "the prior N(0, I)", or with a description in parentheses.</summary>
    public string Named => this is StandardNormal ? "the prior N(0, I)" : $"the prior ({Description})";

    /// <summary>The class summary's sentence: "Prior p(z) = N(0, I)." or "Prior p(z): a learned ...".</summary>
    public string Sentence => this is StandardNormal ? "Prior p(z) = N(0, I)." : $"Prior p(z): {Description}.";

    /// <summary>The field that holds the prior's parameters, or null when it has none.</summary>
    public virtual string? Field => null;

    /// <summary>The constructor statement that creates <see cref="Field"/>, or null.</summary>
    public virtual string? Construction => null;

    /// <summary>Writes the statements, inside a dispose scope, that return log p(z) for a tensor named z, moved out of the scope.</summary>
    public abstract void WriteLogProb(SourceWriter writer);

    /// <summary>Writes the statements, inside a dispose scope, that declare z: <c>count</c> draws from the prior with <c>generator</c>.</summary>
    public abstract void WriteDraw(SourceWriter writer);

    /// <summary>Writes, inside ExportOnnx, the statements that declare <c>logPrior</c>: log p(z) on the scoring graph <c>scoreGraph</c> at <c>z</c>.</summary>
    public abstract void WriteOnnxLogProb(SourceWriter writer);

    /// <summary>Writes, at the start of ExportOnnx, what the prior's graphs need computed from the weights; nothing for most priors.</summary>
    public virtual void WriteOnnxConstants(SourceWriter writer)
    {
    }

    /// <summary>Writes, inside ExportOnnx, the prior graph's output z from <c>priorGraph</c>'s noise <c>priorEps</c> (and uniform numbers it declares).</summary>
    public abstract void WriteOnnxSample(SourceWriter writer);

    /// <summary>What the prior graph takes besides eps, for the documentation: "" or ", u [batch] (uniform in [0, 1))".</summary>
    public virtual string OnnxSampleInputs => ", u [batch] (uniform in [0, 1), picks the component)";

    private sealed class StandardNormal : PriorText
    {
        public override string Description => "N(0, I)";

        public override void WriteLogProb(SourceWriter writer)
        {
            writer.Line("// log N(z; 0, I) = -0.5 * sum_j (z_j^2 + log(2 pi))");
            writer.Line($"return {Maths}.LogDensity.StandardNormal(z).MoveToOuterDisposeScope();");
        }

        public override void WriteOnnxLogProb(SourceWriter writer)
        {
            writer.Line("// log p(z) = log N(z; 0, I) = -0.5 * sum_j (z_j^2 + log(2 pi))");
            writer.Line("var logPrior = scoreGraph.StandardNormalLogDensity(z);");
        }

        public override string OnnxSampleInputs => string.Empty;

        public override void WriteOnnxSample(SourceWriter writer)
        {
            writer.Line("// z ~ N(0, I) is the noise itself.");
            writer.Line("priorGraph.Output(\"z\", priorEps, LatentSize);");
        }

        public override void WriteDraw(SourceWriter writer)
        {
            writer.Line("var weight = encoderMu.weight!;");
            writer.Line($"var z = {Torch}.randn(new long[] {{ count, LatentSize }}, dtype: weight.dtype, device: weight.device, generator: generator);");
        }
    }

    private sealed class Mixture(PriorSpec.GaussianMixture spec, int latentSize) : PriorText
    {
        public override string Description => $"a learned mixture of {spec.Components} diagonal Gaussians";

        public override string? Field => $"private readonly {Maths}.MixturePrior prior;";

        public override string? Construction =>
            $"prior = new {Maths}.MixturePrior(\"prior\", {spec.Components}, LatentSize); // means and log-variances {spec.Components}x{latentSize}, {spec.Components} logits";

        public override void WriteLogProb(SourceWriter writer)
        {
            writer.Line("// log p(z) = logsumexp_k (log pi_k + log N(z; m_k, diag(exp(v_k)))), pi = softmax(logits)");
            writer.Line("return prior.LogProb(z).MoveToOuterDisposeScope();");
        }

        public override void WriteDraw(SourceWriter writer) =>
            writer.Line("var z = prior.Sample(count, generator); // a component k ~ pi, then z ~ N(m_k, diag(exp(v_k)))");

        public override void WriteOnnxLogProb(SourceWriter writer)
        {
            writer.Line("// log p(z) = logsumexp_k (log pi_k + log N(z; m_k, diag(exp(v_k)))), pi = softmax(logits), from the prior's parameters.");
            writer.Line($"var logPrior = scoreGraph.MixturePriorLogDensity(z, \"prior\", {spec.Components});");
        }

        public override void WriteOnnxSample(SourceWriter writer)
        {
            writer.Line("// A component k ~ pi by inverse transform of u, then z = m_k + exp(0.5 * v_k) * eps.");
            writer.Line("var priorU = priorGraph.Input(\"u\");");
            writer.Line($"priorGraph.Output(\"z\", priorGraph.MixturePriorSample(priorU, priorEps, \"prior\", {spec.Components}), LatentSize);");
        }
    }

    private sealed class Vamp(PriorSpec.Vamp spec, VaeSpec model) : PriorText
    {
        private readonly bool conditional = model.Condition is not null;

        public override string Description => $"the VampPrior over {spec.PseudoInputs} learned pseudo-inputs";

        public override string? Field => $"private readonly {Maths}.PseudoInputs pseudoInputs;";

        public override string? Construction
        {
            get
            {
                // Pseudo-inputs stay in [0, 1] when the likelihood's data does, so the encoder sees the data it was made for.
                var unitInterval = model.Likelihood.Facts.UnitIntervalData;
                var condition = model.Condition is { } c ? $", ConditionSize, conditionIsClassLabel: {(c.IsClassLabel ? "true" : "false")}" : string.Empty;
                return $"pseudoInputs = new {Maths}.PseudoInputs(\"pseudoInputs\", {spec.PseudoInputs}, InputSize, unitInterval: {(unitInterval ? "true" : "false")}{condition});";
            }
        }

        public override void WriteLogProb(SourceWriter writer)
        {
            writer.Line("// p(z) = (1/K) sum_k q(z|u_k): the encoder's own posteriors at the K pseudo-inputs, a uniform mixture.");
            WriteComponents(writer);
            writer.Line($"return {Maths}.GaussianMixture.LogProb(z, priorMu, priorLogVar, null).MoveToOuterDisposeScope();");
        }

        public override void WriteDraw(SourceWriter writer)
        {
            writer.Line("// A pseudo-input k uniformly, then z ~ q(z|u_k).");
            WriteComponents(writer);
            writer.Line($"var z = {Maths}.GaussianMixture.Sample(count, priorMu, priorLogVar, null, generator);");
        }

        public override void WriteOnnxConstants(SourceWriter writer)
        {
            writer.Line("// p(z) = (1/K) sum_k q(z|u_k). With the weights fixed, the encoder's posteriors at the pseudo-inputs are constants:");
            writer.Line("// encoded here, by this model, and stored in the scoring and prior graphs as prior.means and prior.log_vars.");
            writer.Line($"using var priorScope = {Torch}.NewDisposeScope();");
            writer.Line($"{Tensor} priorMu, priorLogVar;");
            writer.Line($"using ({Torch}.no_grad())");
            using (writer.Indent())
            {
                writer.Line(conditional
                    ? "(priorMu, priorLogVar) = EncodeGiven(pseudoInputs.Values(), pseudoInputs.Conditions());"
                    : "(priorMu, priorLogVar) = Encode(pseudoInputs.Values());");
            }
            writer.Line();
        }

        public override void WriteOnnxLogProb(SourceWriter writer)
        {
            writer.Line("// log p(z) = logsumexp_k log N(z; mu_k, diag(exp(logVar_k))) - log K, the pseudo-inputs' posteriors.");
            writer.Line("var logPrior = scoreGraph.GaussianMixtureLogDensity(");
            writer.Line($"    z, scoreGraph.Constant(\"prior.means\", priorMu), scoreGraph.Constant(\"prior.log_vars\", priorLogVar), null, {spec.PseudoInputs});");
        }

        public override void WriteOnnxSample(SourceWriter writer)
        {
            writer.Line("// A pseudo-input k uniformly, by inverse transform of u, then z ~ q(z|u_k).");
            writer.Line("var priorU = priorGraph.Input(\"u\");");
            writer.Line("priorGraph.Output(\"z\", priorGraph.GaussianMixtureSample(");
            writer.Line($"    priorU, priorEps, priorGraph.Constant(\"prior.means\", priorMu), priorGraph.Constant(\"prior.log_vars\", priorLogVar), null, {spec.PseudoInputs}), LatentSize);");
        }

        /// <summary>The mixture's components: the encoder's posterior at each pseudo-input (and its learned condition).</summary>
        private void WriteComponents(SourceWriter writer) =>
            writer.Line(conditional
                ? "var (priorMu, priorLogVar) = EncodeGiven(pseudoInputs.Values(), pseudoInputs.Conditions());"
                : "var (priorMu, priorLogVar) = Encode(pseudoInputs.Values());");
    }
}
