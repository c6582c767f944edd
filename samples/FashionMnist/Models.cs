using System.Linq;
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

/// <summary>
/// A small convolutional VAE: two strided 4x4 convolutions halve the image twice (28 -> 14 -> 7), linear heads read the
/// 64x7x7 maps, and two transposed convolutions mirror them back; Bernoulli likelihood, 20 latent dimensions.
/// </summary>
[Vae(20)] [ImageInput(1, 28, 28)]
[EncoderConv(32, 4, 2, 1)] [EncoderConv(64, 4, 2, 1)] [Encoder]
[Decoder] [DecoderConvTranspose(32, 4, 2, 1)] [DecoderConvTranspose(1, 4, 2, 1)]
public partial class ConvFashionVae;

/// <summary>784-400-20 conditioned on the class label: the label, one-hot, joins the input of the encoder and of the decoder.</summary>
[Vae(784, 20)] [Condition(Classes = 10)] [Encoder(400)] [Decoder(400)]
public partial class ConditionalFashionVae;

// The variants of 784-400-20 beyond the diagonal Gaussian and N(0, I): the same encoder and decoder, one change each.

/// <summary>784-400-20 with a learned mixture of 10 Gaussians as the prior.</summary>
[Vae(784, 20)] [Encoder(400)] [Decoder(400)] [MixturePrior(10)]
public partial class MixtureFashionVae;

/// <summary>784-400-20 with the VampPrior over 500 pseudo-inputs, as Tomczak and Welling use on MNIST.</summary>
[Vae(784, 20)] [Encoder(400)] [Decoder(400)] [VampPrior(500)]
public partial class VampFashionVae;

/// <summary>784-400-20 with a planar flow of 10 steps after the Gaussian posterior.</summary>
[Vae(784, 20)] [Encoder(400)] [Decoder(400)] [PlanarFlow(10)]
public partial class PlanarFashionVae;

/// <summary>784-400-20 with an inverse autoregressive flow of 2 steps (MADE layers of 200 units) after the Gaussian posterior.</summary>
[Vae(784, 20)] [Encoder(400)] [Decoder(400)] [InverseAutoregressiveFlow(2, 200)]
public partial class IafFashionVae;

/// <summary>784-400-20 trained on the importance-weighted bound with k = 5 (Burda et al.).</summary>
[Vae(784, 20, Objective = Objective.ImportanceWeighted, Samples = 5)] [Encoder(400)] [Decoder(400)]
public partial class IwaeFashionVae;

/// <summary>784-400-20 trained on the importance-weighted bound with k = 50, the largest k of Burda et al.'s one-layer results.</summary>
[Vae(784, 20, Objective = Objective.ImportanceWeighted, Samples = 50)] [Encoder(400)] [Decoder(400)]
public partial class Iwae50FashionVae;

/// <summary>Which of the sample's model families to train.</summary>
public enum ModelKind
{
    /// <summary>The dense 784-400-z VAE, one declaration per latent size.</summary>
    Mlp,

    /// <summary><see cref="ConvFashionVae"/>.</summary>
    Conv,

    /// <summary><see cref="ConditionalFashionVae"/>, trained and evaluated with the class labels.</summary>
    Conditional,

    /// <summary><see cref="MixtureFashionVae"/>.</summary>
    Mixture,

    /// <summary><see cref="VampFashionVae"/>.</summary>
    Vamp,

    /// <summary><see cref="PlanarFashionVae"/>.</summary>
    Planar,

    /// <summary><see cref="IafFashionVae"/>.</summary>
    Iaf,

    /// <summary><see cref="IwaeFashionVae"/>.</summary>
    Iwae,

    /// <summary><see cref="Iwae50FashionVae"/>.</summary>
    Iwae50,
}

/// <summary>Creates the model for a kind and latent size.</summary>
public static class Models
{
    /// <summary>The latent sizes with a declared dense model.</summary>
    public static readonly int[] LatentSizes = [2, 10, 20, 50];

    /// <summary>The latent sizes with a declared model of <paramref name="kind"/>.</summary>
    public static int[] LatentSizesOf(ModelKind kind) => kind == ModelKind.Mlp ? LatentSizes : [20];

    /// <summary>Where a kind writes when --output is not given; the dense model keeps the folder it always had.</summary>
    public static string DefaultOutput(ModelKind kind) => kind switch
    {
        ModelKind.Mlp => "out/fashion-mnist",
        _ => $"out/fashion-mnist-{kind.ToString().ToLowerInvariant()}",
    };

    /// <summary>A new model of <paramref name="kind"/> with <paramref name="latentSize"/> latent dimensions, with its model card.</summary>
    // The architecture strings repeat the chain the generator writes in each class's summary; the counts are its constants.
    internal static SampleModel Create(ModelKind kind, int latentSize) => (kind, latentSize) switch
    {
        (ModelKind.Mlp, 2) => new SampleModel.Unconditional(new FashionVae2(), kind, Dense(2), FashionVae2.ParameterCount, FashionVae2.MultiplyAccumulates),
        (ModelKind.Mlp, 10) => new SampleModel.Unconditional(new FashionVae10(), kind, Dense(10), FashionVae10.ParameterCount, FashionVae10.MultiplyAccumulates),
        (ModelKind.Mlp, 20) => new SampleModel.Unconditional(new FashionVae20(), kind, Dense(20), FashionVae20.ParameterCount, FashionVae20.MultiplyAccumulates),
        (ModelKind.Mlp, 50) => new SampleModel.Unconditional(new FashionVae50(), kind, Dense(50), FashionVae50.ParameterCount, FashionVae50.MultiplyAccumulates),
        (ModelKind.Conv, 20) => new SampleModel.Unconditional(new ConvFashionVae(), kind,
            "1x28x28 -> conv 4x4/2 32x14x14 -> conv 4x4/2 64x7x7 -> 20 -> 64x7x7 -> deconv 4x4/2 32x14x14 -> deconv 4x4/2 1x28x28, Bernoulli",
            ConvFashionVae.ParameterCount, ConvFashionVae.MultiplyAccumulates),
        (ModelKind.Conditional, 20) => new SampleModel.Conditional(new ConditionalFashionVae(), kind,
            "784 + label -> 400 -> 20; 20 + label -> 400 -> 784, Bernoulli, conditioned on the class (10, one-hot)",
            ConditionalFashionVae.ParameterCount, ConditionalFashionVae.MultiplyAccumulates),
        (ModelKind.Mixture, 20) => Variant(new MixtureFashionVae(), kind, "prior: mixture of 10 Gaussians", MixtureFashionVae.ParameterCount, MixtureFashionVae.MultiplyAccumulates),
        (ModelKind.Vamp, 20) => Variant(new VampFashionVae(), kind, "prior: VampPrior, 500 pseudo-inputs", VampFashionVae.ParameterCount, VampFashionVae.MultiplyAccumulates),
        (ModelKind.Planar, 20) => Variant(new PlanarFashionVae(), kind, "posterior: planar flow, 10 steps", PlanarFashionVae.ParameterCount, PlanarFashionVae.MultiplyAccumulates),
        (ModelKind.Iaf, 20) => Variant(new IafFashionVae(), kind, "posterior: IAF, 2 steps of 200 units", IafFashionVae.ParameterCount, IafFashionVae.MultiplyAccumulates),
        (ModelKind.Iwae, 20) => Variant(new IwaeFashionVae(), kind, "trained on the IWAE bound, k = 5", IwaeFashionVae.ParameterCount, IwaeFashionVae.MultiplyAccumulates),
        (ModelKind.Iwae50, 20) => Variant(new Iwae50FashionVae(), kind, "trained on the IWAE bound, k = 50", Iwae50FashionVae.ParameterCount, Iwae50FashionVae.MultiplyAccumulates),
        _ => throw new System.ArgumentOutOfRangeException(nameof(latentSize), latentSize,
            $"No {kind.ToString().ToLowerInvariant()} model is declared with that latent size; choose one of {string.Join(", ", LatentSizesOf(kind))}."),
    };

    private static string Dense(int latentSize) => $"784 -> 400 -> {latentSize} -> 400 -> 784, Bernoulli";

    private static SampleModel Variant(IVariationalAutoencoder model, ModelKind kind, string change, long parameters, long macs) =>
        new SampleModel.Unconditional(model, kind, $"{Dense(20)}; {change}", parameters, macs);

    /// <summary>Whether <paramref name="kind"/> has a model with <paramref name="latentSize"/> latent dimensions.</summary>
    public static bool IsDeclared(ModelKind kind, int latentSize) => LatentSizesOf(kind).Contains(latentSize);
}
