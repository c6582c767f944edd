namespace VaeGen.Tests;

// Models for learned priors, flow posteriors and the importance-weighted objective.

/// <summary>A learned mixture of four Gaussians as the prior.</summary>
[Vae(6, 3)]
[Encoder(8)]
[Decoder(8)]
[MixturePrior(4)]
public partial class MixtureVae;

/// <summary>The VampPrior over five pseudo-inputs.</summary>
[Vae(6, 3)]
[Encoder(8)]
[Decoder(8)]
[VampPrior(5)]
public partial class VampVae;

/// <summary>A convolutional, label-conditioned model with a VampPrior: pseudo-inputs through convolutions, with learned soft labels.</summary>
[Vae(2)]
[ImageInput(1, 4, 4)]
[EncoderConv(2, 2, 2)]
[Encoder]
[Decoder]
[DecoderConvTranspose(1, 2, 2)]
[Condition(Classes = 3)]
[VampPrior(3)]
public partial class VampConvLabelVae;

/// <summary>A planar flow of three steps after the Gaussian, two samples of z per example.</summary>
[Vae(6, 3, Samples = 2)]
[Encoder(8)]
[Decoder(8)]
[PlanarFlow(3)]
public partial class PlanarVae;

/// <summary>An inverse autoregressive flow of two steps with MADE layers of ten units.</summary>
[Vae(6, 3)]
[Encoder(8)]
[Decoder(8)]
[InverseAutoregressiveFlow(2, 10)]
public partial class IafVae;

/// <summary>The importance-weighted bound with four samples, N(0, I) prior and Gaussian posterior.</summary>
[Vae(6, 3, Objective = Objective.ImportanceWeighted, Samples = 4)]
[Encoder(8)]
[Decoder(8)]
public partial class IwaeVae;

/// <summary>Everything at once: the importance-weighted bound, a flow and a learned prior, a Gaussian likelihood.</summary>
[Vae(6, 3, Likelihood = Likelihood.GaussianLearnedVariance, Objective = Objective.ImportanceWeighted, Samples = 3)]
[Encoder(8)]
[Decoder(8)]
[InverseAutoregressiveFlow(1, 6)]
[MixturePrior(2)]
public partial class IwaeFlowMixtureVae;

#pragma warning disable VAE0044 // k = 1 on purpose: the bound must then be the ELBO on the same noise.
/// <summary>The importance-weighted bound with one sample and a learned prior: its bound is its Monte-Carlo ELBO.</summary>
[Vae(6, 3, Objective = Objective.ImportanceWeighted)]
[Encoder(8)]
[Decoder(8)]
[MixturePrior(2)]
public partial class IwaeOneSampleVae;
#pragma warning restore VAE0044
