using VaeGen;

namespace FashionMnistSample;

// The classic AEVB architecture for 28x28 images: 784 -> 400 -> z -> 400 -> 784 with a Bernoulli likelihood.
// The latent size is part of the compiled model, so each size the sample offers is its own declaration.

/// <summary>784-400-2: a latent plane that can be drawn as a manifold.</summary>
[Vae(784, 2)] [Encoder(400)] [Decoder(400)]
public partial class FashionVae2;

/// <summary>784-400-10.</summary>
[Vae(784, 10)] [Encoder(400)] [Decoder(400)]
public partial class FashionVae10;

/// <summary>784-400-20, the setup of Kingma and Welling's experiments and of pytorch/examples; the default.</summary>
[Vae(784, 20)] [Encoder(400)] [Decoder(400)]
public partial class FashionVae20;

/// <summary>784-400-50.</summary>
[Vae(784, 50)] [Encoder(400)] [Decoder(400)]
public partial class FashionVae50;

/// <summary>Creates the model for a latent size.</summary>
public static class Models
{
    /// <summary>The latent sizes with a declared model.</summary>
    public static readonly int[] LatentSizes = [2, 10, 20, 50];

    /// <summary>A new model with <paramref name="latentSize"/> latent dimensions.</summary>
    public static IVariationalAutoencoder Create(int latentSize) => latentSize switch
    {
        2 => new FashionVae2(),
        10 => new FashionVae10(),
        20 => new FashionVae20(),
        50 => new FashionVae50(),
        _ => throw new System.ArgumentOutOfRangeException(nameof(latentSize), latentSize, $"No model is declared with that latent size; choose one of {string.Join(", ", LatentSizes)}."),
    };
}
