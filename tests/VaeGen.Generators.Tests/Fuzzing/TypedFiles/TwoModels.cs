using VaeGen;

namespace Demo.Fashion;

// Two sizes of one architecture: the latent size is compiled into each model.

/// <summary>784-400-2: a latent plane to draw.</summary>
[Vae(784, 2)] [Encoder(400)] [Decoder(400)]
public partial class FashionVae2;

/// <summary>784-512-256-20 with a Gaussian likelihood of fixed variance.</summary>
[Vae(784, 20, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.1)]
[Encoder(512, 256, Activation = Activation.SiLU)]
[Decoder(256, 512, Activation = Activation.SiLU, OutputActivation = Activation.Sigmoid)]
public partial class FashionVae20
{
    /// <summary>How many epochs the sample trains it for.</summary>
    public const int Epochs = 10;
}
