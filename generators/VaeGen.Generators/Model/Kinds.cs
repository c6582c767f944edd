namespace VaeGen.Generators.Model;

// Mirrors of the runtime library's enums: the generator reads attribute arguments as their underlying numbers.
// A test keeps the names and values in step with VaeGen.Likelihood and VaeGen.Activation.

/// <summary>The observation model p(x|z); values as in <c>VaeGen.Likelihood</c>.</summary>
internal enum LikelihoodKind
{
    Bernoulli = 0,
    Gaussian = 1,
    GaussianLearnedVariance = 2,
}

/// <summary>A hidden-layer nonlinearity; values as in <c>VaeGen.Activation</c>.</summary>
internal enum ActivationKind
{
    ReLU = 0,
    LeakyReLU = 1,
    Tanh = 2,
    GELU = 3,
    SiLU = 4,
    ELU = 5,
    Softplus = 6,
}
