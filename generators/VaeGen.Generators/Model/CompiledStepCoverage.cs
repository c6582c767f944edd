namespace VaeGen.Generators.Model;

/// <summary>
/// Whether <c>Fit</c> can train a model with the runtime's compiled step (<c>VaeGen.Training.DenseBernoulliStep</c>:
/// closed-form gradients, element-wise work in C#), and if not, why. Everything it asks is fixed at compile time; what
/// is not the generated code checks when it runs (<c>TrainingOptions.CompiledStep</c>, a subclass training), and so does
/// <c>DenseBernoulliStep.For</c> (parameters float32 on the CPU, none frozen, none beyond the layers).
/// </summary>
internal static class CompiledStepCoverage
{
    /// <summary>What the step covers, for the comment in the generated loop.</summary>
    public const string Scope = "dense Bernoulli models with the Gaussian posterior, N(0, I) and the ELBO";

    /// <summary>
    /// The activations whose derivative the step reads from a layer's output. The runtime's
    /// <c>DenseBernoulliStep.UnsupportedActivation</c> accepts the same ones; a test holds the two together.
    /// </summary>
    public static bool Follows(ActivationKind activation) =>
        activation is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.Tanh or ActivationKind.Sigmoid or ActivationKind.Identity;

    /// <summary>Null when the step covers <paramref name="spec"/>; otherwise why not, as a clause ("its likelihood is Gaussian").</summary>
    public static string? Blocker(VaeSpec spec)
    {
        if (ModelBlocker(spec) is { } blocker) return blocker;
        if (spec.Objective is not ObjectiveSpec.Elbo) return "it trains on the importance-weighted bound";
        if (spec.Samples != 1) return $"it draws {spec.Samples} reconstruction samples";
        if (spec.FreeBits > 0) return "it has free bits";
        if (!Follows(spec.Encoder.Activation)) return $"its encoder's activation is {spec.Encoder.Activation}, whose derivative needs the layer's input";
        if (!Follows(spec.Decoder.Activation)) return $"its decoder's activation is {spec.Decoder.Activation}, whose derivative needs the layer's input";
        return null;
    }

    /// <summary>What the compiled evaluation covers, for the comment in the generated <c>LogLikelihood</c>.</summary>
    public const string EvaluationScope = "dense Bernoulli decoders with the Gaussian posterior and N(0, I)";

    /// <summary>
    /// Null when <c>LogLikelihood</c> can score <paramref name="spec"/>'s importance samples with the runtime's compiled
    /// evaluation (<c>VaeGen.Training.DenseBernoulliEvaluation</c>: the decoder's layers and log-density in C#, its
    /// products in register tiles or, without AVX2 and FMA, libtorch's into kept buffers); otherwise why not. The training options (objective, samples, free bits) and
    /// the encoder, which libtorch runs once per batch, do not matter; the decoder's activation must be one the step applies.
    /// </summary>
    public static string? EvaluationBlocker(VaeSpec spec)
    {
        if (ModelBlocker(spec) is { } blocker) return blocker;
        if (!Follows(spec.Decoder.Activation)) return $"its decoder's activation is {spec.Decoder.Activation}";
        return null;
    }

    private static string? ModelBlocker(VaeSpec spec)
    {
        if (spec.Likelihood.Kind != LikelihoodKind.Bernoulli) return $"its likelihood is {spec.Likelihood.Kind}";
        if (spec.EncoderConvs.Count > 0 || spec.DecoderConvs.Count > 0) return "it has convolutions";
        if (spec.Condition is not null) return "it is conditional";
        if (spec.Scaled) return $"it scales its features ({spec.Scaling})";
        if (spec.Prior is not PriorSpec.StandardNormal) return $"its prior is {PriorName(spec.Prior)}";
        if (spec.Posterior is not PosteriorSpec.DiagonalGaussian) return "its posterior has a flow";
        if (spec.OutputActivation != ActivationKind.Identity) return $"its output activation is {spec.OutputActivation}";
        return null;
    }

    private static string PriorName(PriorSpec prior) => prior switch
    {
        PriorSpec.GaussianMixture => "a Gaussian mixture",
        PriorSpec.Vamp => "a VampPrior",
        _ => prior.GetType().Name,
    };
}
