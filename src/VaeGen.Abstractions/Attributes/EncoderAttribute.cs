using System;

namespace VaeGen;

/// <summary>
/// The hidden layers of the encoder, from the input towards the latent space. Each is a fully connected layer followed by
/// <see cref="Activation"/>; two linear heads then give the posterior mean and log-variance.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EncoderAttribute : Attribute
{
    /// <summary>Declares the encoder's hidden layer sizes, in order; none gives a linear encoder.</summary>
    /// <param name="hiddenSizes">The width of each hidden layer.</param>
    public EncoderAttribute(params int[] hiddenSizes) => HiddenSizes = hiddenSizes;

    /// <summary>The width of each hidden layer, from the input side.</summary>
    public int[] HiddenSizes { get; }

    /// <summary>The nonlinearity after each hidden layer. Default: <see cref="VaeGen.Activation.ReLU"/>.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;
}
