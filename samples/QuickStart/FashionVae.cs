using VaeGen;

namespace QuickStart;

/// <summary>The classic AEVB model for 28x28 images: 784 inputs, 400 hidden units, a 20-dimensional latent space.</summary>
[Vae(784, 20, Likelihood = Likelihood.Bernoulli)]
[Encoder(400)]
[Decoder(400)]
public partial class FashionVae;
