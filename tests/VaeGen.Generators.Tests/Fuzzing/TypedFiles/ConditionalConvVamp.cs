using VaeGen;

namespace Demo.Priors
{
    /// <summary>
    /// A convolutional VAE for 28x28 images conditioned on the class label, with a VampPrior over 50 pseudo-inputs,
    /// each with a learned soft label.
    /// </summary>
    [Vae(16, Data = DataKind.UnitInterval)]
    [ImageInput(1, 28, 28)]
    [EncoderConv(32, 4, 2, 1)]
    [EncoderConv(64, 4, 2, 1, Activation = Activation.LeakyReLU)]
    [Encoder(256)]
    [Decoder(256)]
    [DecoderConvTranspose(32, 4, 2, 1)]
    [DecoderConvTranspose(1, 4, 2, 1)]
    [Condition(Classes = 10)]
    [VampPrior(50)]
    internal sealed partial class LabelledVampConvVae
    {
    }
}
