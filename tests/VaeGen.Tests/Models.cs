namespace VaeGen.Tests;

// The models under test. Each covers one branch of the generator: likelihood, sample count, layer stack, activation.

/// <summary>The basic shape: Bernoulli likelihood, one ReLU hidden layer each side.</summary>
[Vae(12, 3)]
[Encoder(16)]
[Decoder(16)]
public partial class BernoulliVae;

/// <summary>Gaussian likelihood with a fixed, non-default observation variance.</summary>
[Vae(10, 2, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.5)]
[Encoder(8)]
[Decoder(8)]
public partial class GaussianVae;

/// <summary>Gaussian likelihood whose per-feature log-variance the decoder outputs.</summary>
[Vae(10, 2, Likelihood = Likelihood.GaussianLearnedVariance)]
[Encoder(8)]
[Decoder(8)]
public partial class LearnedVarianceVae;

/// <summary>L = 4 reparameterized samples per example in the reconstruction term.</summary>
[Vae(12, 3, Samples = 4)]
[Encoder(16)]
[Decoder(16)]
public partial class MultiSampleVae;

/// <summary>No hidden layers: linear encoder heads and a linear decoder.</summary>
[Vae(12, 3)]
[Encoder]
[Decoder]
public partial class LinearVae;

/// <summary>Two hidden layers each side with non-default activations.</summary>
[Vae(12, 4)]
[Encoder(20, 10, Activation = Activation.Tanh)]
[Decoder(10, 20, Activation = Activation.SiLU)]
public partial class DeepVae;

/// <summary>Covers LeakyReLU and ELU.</summary>
[Vae(6, 2)]
[Encoder(8, Activation = Activation.LeakyReLU)]
[Decoder(8, Activation = Activation.ELU)]
public partial class LeakyEluVae;

/// <summary>Covers GELU and Softplus.</summary>
[Vae(6, 2)]
[Encoder(8, Activation = Activation.GELU)]
[Decoder(8, Activation = Activation.Softplus)]
public partial class GeluSoftplusVae;
