namespace VaeGen;

/// <summary>The nonlinearity that follows each hidden layer of an encoder or decoder.</summary>
/// <remarks>The numeric values are part of the generator's contract; never renumber them.</remarks>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    ReLU = 0,

    /// <summary>max(0.01 x, x).</summary>
    LeakyReLU = 1,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh = 2,

    /// <summary>Gaussian error linear unit (exact, erf form).</summary>
    GELU = 3,

    /// <summary>x * sigmoid(x), also called swish.</summary>
    SiLU = 4,

    /// <summary>x for x &gt; 0, exp(x) - 1 otherwise.</summary>
    ELU = 5,

    /// <summary>log(1 + exp(x)).</summary>
    Softplus = 6,

    /// <summary>1 / (1 + exp(-x)).</summary>
    Sigmoid = 7,

    /// <summary>No nonlinearity: x itself. The default <see cref="DecoderAttribute.OutputActivation"/>.</summary>
    Identity = 8,
}
