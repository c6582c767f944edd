using System;

namespace VaeGen;

/// <summary>
/// The hidden layers of the decoder, from the latent space towards the output. Each is a fully connected layer followed by
/// <see cref="Activation"/>; a linear output layer then gives the parameters of p(x|z).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DecoderAttribute : Attribute
{
    /// <summary>Declares the decoder's hidden layer sizes, in order; none gives a linear decoder.</summary>
    /// <param name="hiddenSizes">The width of each hidden layer.</param>
    public DecoderAttribute(params int[] hiddenSizes) => HiddenSizes = hiddenSizes;

    /// <summary>The width of each hidden layer, from the latent side.</summary>
    public int[] HiddenSizes { get; }

    /// <summary>The nonlinearity after each hidden layer. Default: <see cref="VaeGen.Activation.ReLU"/>.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;

    /// <summary>
    /// A nonlinearity on the decoder's output location, for the Gaussian and Laplace likelihoods only (e.g.
    /// <see cref="VaeGen.Activation.Sigmoid"/> keeps means of [0, 1] data inside [0, 1]). The other likelihoods' outputs are
    /// logits or log-rates, which must stay unbounded. Default: <see cref="VaeGen.Activation.Identity"/>.
    /// </summary>
    public Activation OutputActivation { get; set; } = Activation.Identity;
}
