using VaeGen;

namespace OnnxDeployment;

/// <summary>The classic AEVB model of the README: 784-400-20, Bernoulli pixels, ReLU hidden layers.</summary>
[Vae(784, 20, Likelihood = Likelihood.Bernoulli)]
[Encoder(400)]
[Decoder(400)]
public partial class FashionVae;
