namespace VaeGen.Tests;

// Models for the ONNX export that the other test models leave out: the sigmoid as a hidden activation, every output
// activation on the location, and an output activation after a convolutional decoder's split of its two parameters.

/// <summary>Sigmoid hidden layers in the encoder, no hidden activation in the decoder, Tanh on the means.</summary>
[Vae(6, 2, Likelihood = Likelihood.Gaussian)]
[Encoder(8, Activation = Activation.Sigmoid)]
[Decoder(8, Activation = Activation.Identity, OutputActivation = Activation.Tanh)]
public partial class SigmoidTanhVae;

/// <summary>ReLU on the means.</summary>
[Vae(6, 2, Likelihood = Likelihood.Gaussian)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.ReLU)]
public partial class ReluMeanVae;

/// <summary>LeakyReLU on the means.</summary>
[Vae(6, 2, Likelihood = Likelihood.Gaussian)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.LeakyReLU)]
public partial class LeakyReluMeanVae;

/// <summary>GELU on the means of a learned-variance Gaussian.</summary>
[Vae(6, 2, Likelihood = Likelihood.GaussianLearnedVariance)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.GELU)]
public partial class GeluMeanVae;

/// <summary>SiLU on the locations of a fixed-scale Laplace.</summary>
[Vae(6, 2, Likelihood = Likelihood.Laplace)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.SiLU)]
public partial class SiluLocationVae;

/// <summary>ELU on the means.</summary>
[Vae(6, 2, Likelihood = Likelihood.Gaussian)]
[Encoder(8)]
[Decoder(8, OutputActivation = Activation.ELU)]
public partial class EluMeanVae;

/// <summary>Softplus on the locations of a learned-scale Laplace from a convolutional decoder: split, then activation.</summary>
[Vae(2, Likelihood = Likelihood.LaplaceLearnedScale)]
[ImageInput(2, 4, 6)]
[EncoderConv(3, 3, 2, 1, Activation = Activation.GELU)]
[Encoder(5, Activation = Activation.Sigmoid)]
[Decoder(5)]
[DecoderConvTranspose(4, 3, 2, 1, 1, Activation = Activation.ELU)]
[DecoderConvTranspose(2, 3, 1, 1)]
public partial class ConvSoftplusLocationVae;

/// <summary>Standardized features under a fixed-variance Gaussian: the graphs take raw x, and the score is in raw-unit nats.</summary>
[Vae(6, 2, Likelihood = Likelihood.Gaussian, Scaling = FeatureScaling.Standardize)]
[Encoder(8)]
[Decoder(8)]
public partial class StandardizedGaussianVae;

/// <summary>Min-max features under a Bernoulli, conditioned on a label: scaling before the condition joins, no change of variables.</summary>
[Vae(6, 2, Scaling = FeatureScaling.MinMax)]
[Condition(Classes = 3)]
[Encoder(8)]
[Decoder(8)]
public partial class MinMaxLabelBernoulliVae;

/// <summary>Standardized images under a learned-scale Laplace from convolutions: scaling per pixel, location restored.</summary>
[Vae(2, Likelihood = Likelihood.LaplaceLearnedScale, Scaling = FeatureScaling.Standardize)]
[ImageInput(1, 4, 4)]
[EncoderConv(3, 3, 2, 1)]
[Encoder(5)]
[Decoder(5)]
[DecoderConvTranspose(1, 3, 2, 1, 1)]
public partial class StandardizedConvLaplaceVae;

/// <summary>Min-max features under a learned-variance Gaussian with a planar flow: the mean is output scaled and restored.</summary>
[Vae(5, 2, Likelihood = Likelihood.GaussianLearnedVariance, Scaling = FeatureScaling.MinMax)]
[Encoder(8)]
[Decoder(8)]
[PlanarFlow(2)]
public partial class MinMaxFlowLearnedVarianceVae;
