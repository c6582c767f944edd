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

/// <summary>Tanh in the decoder, which the compiled evaluation applies (the encoder runs in libtorch).</summary>
[Vae(10, 2)]
[Encoder(8)]
[Decoder(6, Activation = Activation.Tanh)]
public partial class TanhDecoderVae;

/// <summary>LeakyReLU (slope 0.01) in a two-layer decoder.</summary>
[Vae(11, 3)]
[Encoder(8)]
[Decoder(7, 5, Activation = Activation.LeakyReLU)]
public partial class LeakyDecoderVae;
