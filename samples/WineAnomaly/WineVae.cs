using VaeGen;

namespace WineAnomaly;

/// <summary>
/// The 13 chemical measurements of a wine, standardized with the training rows' means and deviations (kept with the
/// model), through a 2-dimensional latent space; a Gaussian with a learned variance per feature scores each row.
/// </summary>
[Vae(13, 2, Likelihood = Likelihood.GaussianLearnedVariance, Scaling = FeatureScaling.Standardize)]
[Encoder(32, Activation = Activation.Tanh)]
[Decoder(32, Activation = Activation.Tanh)]
public partial class WineVae;
