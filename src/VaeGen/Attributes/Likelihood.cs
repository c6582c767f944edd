namespace VaeGen;

/// <summary>The observation model p(x|z) of a generated VAE.</summary>
/// <remarks>The numeric values are part of the generator's contract; never renumber them.</remarks>
public enum Likelihood
{
    /// <summary>Independent Bernoulli per feature; the decoder outputs logits. For binary or [0, 1] data.</summary>
    Bernoulli = 0,

    /// <summary>Independent Gaussian per feature with the fixed variance <see cref="VaeAttribute.ObservationVariance"/>; the decoder outputs the mean.</summary>
    Gaussian = 1,

    /// <summary>Independent Gaussian per feature whose log-variance the decoder outputs beside the mean.</summary>
    GaussianLearnedVariance = 2,
}
