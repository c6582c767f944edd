namespace VaeGen.Tests.Training;

// Models the compiled training step covers, one per activation it can follow (BernoulliVae and LinearVae cover ReLU
// and no hidden layers).

/// <summary>Two Tanh layers in the encoder, two Sigmoid layers in the decoder, an input width no vector divides.</summary>
[Vae(13, 3)]
[Encoder(20, 10, Activation = Activation.Tanh)]
[Decoder(10, 20, Activation = Activation.Sigmoid)]
public partial class TanhSigmoidVae;

/// <summary>LeakyReLU (slope 0.01) in the encoder, Identity in the decoder.</summary>
[Vae(9, 2)]
[Encoder(11, Activation = Activation.LeakyReLU)]
[Decoder(7, 5, Activation = Activation.Identity)]
public partial class LeakyIdentityVae;
