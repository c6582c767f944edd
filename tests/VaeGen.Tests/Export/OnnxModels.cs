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
