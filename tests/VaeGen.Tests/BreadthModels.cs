namespace VaeGen.Tests;

// Models for the convolutional, likelihood, objective and conditional branches of the generator.

/// <summary>Two strided convolutions, a dense bridge each side, two transposed convolutions back to 1x12x12.</summary>
[Vae(6)]
[ImageInput(1, 12, 12)]
[EncoderConv(4, 4, 2, 1)]
[EncoderConv(8, 3, 2, 1)]
[Encoder(16)]
[Decoder(16)]
[DecoderConvTranspose(4, 3, 2, 1, 1)]
[DecoderConvTranspose(1, 4, 2, 1)]
public partial class ConvVae;

/// <summary>RGB, non-square, learned variance from a convolutional decoder (two parameters per pixel), two samples of z.</summary>
[Vae(144, 4, Likelihood = Likelihood.GaussianLearnedVariance, Samples = 2)]
[ImageInput(3, 8, 6)]
[EncoderConv(5, 3, 1, 1, Activation = Activation.Tanh)]
[Encoder]
[Decoder(Activation = Activation.Tanh)]
[DecoderConvTranspose(3, 3, 1, 1)]
public partial class ConvLearnedVarianceVae;

/// <summary>256 levels per pixel from a convolutional decoder.</summary>
[Vae(3, Likelihood = Likelihood.Categorical256, Data = DataKind.Levels256)]
[ImageInput(1, 4, 4)]
[EncoderConv(2, 2, 2)]
[Encoder]
[Decoder]
[DecoderConvTranspose(1, 2, 2)]
public partial class ConvCategoricalVae;

/// <summary>Laplace with a fixed scale and a sigmoid on the location.</summary>
[Vae(6, 2, Likelihood = Likelihood.Laplace, ObservationScale = 0.5)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.Sigmoid)]
public partial class LaplaceVae;

/// <summary>Laplace with a learned per-feature scale.</summary>
[Vae(6, 2, Likelihood = Likelihood.LaplaceLearnedScale)]
[Encoder(8)]
[Decoder(8)]
public partial class LaplaceLearnedScaleVae;

/// <summary>Continuous Bernoulli, the normalized density on [0, 1].</summary>
[Vae(6, 2, Likelihood = Likelihood.ContinuousBernoulli, Data = DataKind.UnitInterval)]
[Encoder(8)]
[Decoder(8)]
public partial class ContinuousBernoulliVae;

/// <summary>A dense categorical decoder over 256 levels per feature.</summary>
[Vae(6, 2, Likelihood = Likelihood.Categorical256, Data = DataKind.Levels256)]
[Encoder(8)]
[Decoder(8)]
public partial class CategoricalVae;

/// <summary>Poisson counts.</summary>
[Vae(6, 2, Likelihood = Likelihood.Poisson, Data = DataKind.Counts)]
[Encoder(8)]
[Decoder(8)]
public partial class PoissonVae;

/// <summary>A beta below 1 and a free-bits floor.</summary>
[Vae(8, 3, Beta = 0.5, FreeBits = 0.2)]
[Encoder(12)]
[Decoder(12)]
public partial class FreeBitsVae;

/// <summary>Conditioned on a class label out of 3.</summary>
[Vae(6, 2)]
[Condition(Classes = 3)]
[Encoder(8)]
[Decoder(8)]
public partial class LabelVae;

/// <summary>Conditioned on 2 features, with 2 samples of z, over a convolutional encoder and decoder.</summary>
[Vae(2, Samples = 2)]
[ImageInput(1, 4, 4)]
[Condition(Features = 2)]
[EncoderConv(3, 2, 2)]
[Encoder(5)]
[Decoder(5)]
[DecoderConvTranspose(1, 2, 2)]
public partial class FeatureConditionVae;
