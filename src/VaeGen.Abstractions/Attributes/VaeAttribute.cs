using System;

namespace VaeGen;

/// <summary>
/// Declares a variational autoencoder. VaeGen's source generator turns the partial class it marks into a
/// <c>torch.nn.Module</c> with an encoder q(z|x), a decoder p(x|z), the reparameterized forward pass and the negative ELBO.
/// </summary>
/// <remarks>The class also needs <see cref="EncoderAttribute"/> and <see cref="DecoderAttribute"/>.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class VaeAttribute : Attribute
{
    /// <summary>Declares a VAE over <paramref name="inputSize"/> features with a <paramref name="latentSize"/>-dimensional latent space.</summary>
    /// <param name="inputSize">Number of features of one example (784 for a 28x28 image).</param>
    /// <param name="latentSize">Dimension of the latent variable z.</param>
    public VaeAttribute(int inputSize, int latentSize)
    {
        InputSize = inputSize;
        LatentSize = latentSize;
    }

    /// <summary>
    /// Declares a VAE with a <paramref name="latentSize"/>-dimensional latent space over images whose shape
    /// <see cref="ImageInputAttribute"/> gives; the input size is its channels x height x width.
    /// </summary>
    /// <param name="latentSize">Dimension of the latent variable z.</param>
    public VaeAttribute(int latentSize) => LatentSize = latentSize;

    /// <summary>Number of features of one example; 0 when it comes from <see cref="ImageInputAttribute"/>.</summary>
    public int InputSize { get; }

    /// <summary>Dimension of the latent variable z.</summary>
    public int LatentSize { get; }

    /// <summary>The observation model p(x|z). Default: <see cref="VaeGen.Likelihood.Bernoulli"/>.</summary>
    public Likelihood Likelihood { get; set; } = Likelihood.Bernoulli;

    /// <summary>
    /// The number of reparameterized samples of z per example in a pass: L in the reconstruction term of the ELBO, or k
    /// of the importance-weighted bound when <see cref="Objective"/> is <see cref="VaeGen.Objective.ImportanceWeighted"/>. Default: 1.
    /// </summary>
    public int Samples { get; set; } = 1;

    /// <summary>What training minimizes. Default: <see cref="VaeGen.Objective.Elbo"/>.</summary>
    public Objective Objective { get; set; } = Objective.Elbo;

    /// <summary>The fixed per-feature variance of a <see cref="VaeGen.Likelihood.Gaussian"/> likelihood. Default: 1.0.</summary>
    public double ObservationVariance { get; set; } = 1.0;

    /// <summary>The fixed per-feature scale b of a <see cref="VaeGen.Likelihood.Laplace"/> likelihood. Default: 1.0.</summary>
    public double ObservationScale { get; set; } = 1.0;

    /// <summary>
    /// The weight on the KL term of the training objective (beta-VAE). The ELBO the model reports always uses 1; the
    /// weighted objective is reported separately. Default: 1.0.
    /// </summary>
    public double Beta { get; set; } = 1.0;

    /// <summary>
    /// Free bits: a floor, in nats, on each latent dimension's batch-mean KL in the training objective,
    /// sum_j max(FreeBits, KL_j) (Kingma et al., 2016), so no dimension is pushed all the way to the prior. The ELBO
    /// the model reports is the true one, without the floor. Default: 0 (no floor).
    /// </summary>
    public double FreeBits { get; set; }

    /// <summary>What the data is; lets the generator check that the likelihood can describe it. Default: unspecified.</summary>
    public DataKind Data { get; set; } = DataKind.Unspecified;

    /// <summary>
    /// Per-feature scaling fitted on the training data and kept with the model: every method takes and gives data in raw
    /// units, and log-likelihoods stay in nats of the raw data. Default: <see cref="FeatureScaling.None"/>.
    /// </summary>
    public FeatureScaling Scaling { get; set; } = FeatureScaling.None;
}
