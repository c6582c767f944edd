using VaeGen;

namespace ContinuousData;

/// <summary>12 continuous features, 3 latent dimensions, a Gaussian likelihood whose per-feature variance the decoder learns.</summary>
[Vae(12, 3, Likelihood = Likelihood.GaussianLearnedVariance)]
[Encoder(64, Activation = Activation.Tanh)]
[Decoder(64, Activation = Activation.Tanh)]
public partial class LearnedNoiseVae;

/// <summary>The same with the observation variance fixed at the data's true noise level, 0.1^2.</summary>
[Vae(12, 3, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.01)]
[Encoder(64, Activation = Activation.Tanh)]
[Decoder(64, Activation = Activation.Tanh)]
public partial class FixedNoiseVae;
