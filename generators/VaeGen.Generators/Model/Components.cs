namespace VaeGen.Generators.Model;

// The parts of a VAE that the attributes choose, each a closed set of cases that own their parameters. Validation
// builds them once; the emitter picks one component per case (LikelihoodText, PriorText, PosteriorText) and never
// asks for a parameter that its case does not have.

/// <summary>The observation model p(x|z).</summary>
/// <param name="Kind">Which likelihood; its value is the runtime <c>VaeGen.Likelihood</c> member's.</param>
internal abstract record LikelihoodSpec(LikelihoodKind Kind)
{
    /// <summary>The case for <paramref name="kind"/>, with the fixed variance or scale it owns when it has one.</summary>
    public static LikelihoodSpec Create(LikelihoodKind kind, double variance, double scale) => kind switch
    {
        LikelihoodKind.Gaussian => new FixedGaussian(variance),
        LikelihoodKind.Laplace => new FixedLaplace(scale),
        _ => new Plain(kind),
    };

    /// <summary>Decoder outputs per feature: 2 with a learned variance or scale, 256 for the categorical, else 1.</summary>
    public int OutputsPerFeature => Facts.OutputsPerFeature;

    /// <summary>What validation and the layer plan know of this likelihood.</summary>
    public LikelihoodFacts Facts => LikelihoodFacts.All[Kind];

    /// <summary>The decoder's location output, as the Output property names it: Logits, Mean, Location or LogRate.</summary>
    public string Location => Facts.Location;

    /// <summary>The decoder's learned second output (LogVar or LogScale), or null when the likelihood has none.</summary>
    public string? Second => Facts.Second;

    /// <summary>A likelihood whose parameters all come from the decoder.</summary>
    public sealed record Plain(LikelihoodKind Kind) : LikelihoodSpec(Kind);

    /// <summary>The Gaussian with a fixed variance for every feature.</summary>
    public sealed record FixedGaussian(double Variance) : LikelihoodSpec(LikelihoodKind.Gaussian);

    /// <summary>The Laplace with a fixed scale b for every feature.</summary>
    public sealed record FixedLaplace(double Scale) : LikelihoodSpec(LikelihoodKind.Laplace);
}

/// <summary>The prior p(z).</summary>
internal abstract record PriorSpec
{
    /// <summary>N(0, I): no parameters, a closed-form KL against the diagonal Gaussian posterior.</summary>
    public sealed record StandardNormal : PriorSpec;

    /// <summary>A mixture of <paramref name="Components"/> diagonal Gaussians with learned means, variances and weights.</summary>
    public sealed record GaussianMixture(int Components) : PriorSpec;

    /// <summary>The VampPrior: the average of the model's own posteriors at <paramref name="PseudoInputs"/> learned inputs.</summary>
    public sealed record Vamp(int PseudoInputs) : PriorSpec;
}

/// <summary>The approximate posterior q(z|x): a diagonal Gaussian, optionally pushed through a normalizing flow.</summary>
internal abstract record PosteriorSpec
{
    /// <summary>Steps of the flow; 0 for none.</summary>
    public virtual int Steps => 0;

    /// <summary>N(mu(x), diag(sigma^2(x))) as the encoder gives it.</summary>
    public sealed record DiagonalGaussian : PosteriorSpec;

    /// <summary>The Gaussian followed by <paramref name="FlowSteps"/> planar steps f(z) = z + u h(w'z + b).</summary>
    public sealed record PlanarFlow(int FlowSteps) : PosteriorSpec
    {
        /// <inheritdoc />
        public override int Steps => FlowSteps;
    }

    /// <summary>The Gaussian followed by <paramref name="FlowSteps"/> inverse autoregressive steps, each a MADE of width <paramref name="HiddenSize"/>.</summary>
    public sealed record InverseAutoregressiveFlow(int FlowSteps, int HiddenSize) : PosteriorSpec
    {
        /// <inheritdoc />
        public override int Steps => FlowSteps;
    }
}

/// <summary>What training minimizes, and how many samples of z one example gets in a pass.</summary>
/// <param name="Samples">Reparameterized samples of z per example: L for the ELBO, k for the importance-weighted bound.</param>
internal abstract record ObjectiveSpec(int Samples)
{
    /// <summary>The negative ELBO, its KL term weighted by <paramref name="Beta"/> and floored per dimension at <paramref name="FreeBits"/>.</summary>
    public sealed record Elbo(int Samples, double Beta, double FreeBits) : ObjectiveSpec(Samples);

    /// <summary>The negative importance-weighted bound of Burda et al. with k = <paramref name="Samples"/>.</summary>
    public sealed record ImportanceWeighted(int Samples) : ObjectiveSpec(Samples);
}
