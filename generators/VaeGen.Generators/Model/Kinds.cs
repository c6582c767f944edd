namespace VaeGen.Generators.Model;

// Mirrors of the runtime library's enums: the generator reads attribute arguments as their underlying numbers.
// A test keeps the names and values in step with VaeGen.Likelihood, VaeGen.Activation and VaeGen.DataKind.

/// <summary>The observation model p(x|z); values as in <c>VaeGen.Likelihood</c>.</summary>
internal enum LikelihoodKind
{
    Bernoulli = 0,
    Gaussian = 1,
    GaussianLearnedVariance = 2,
    Laplace = 3,
    LaplaceLearnedScale = 4,
    ContinuousBernoulli = 5,
    Categorical256 = 6,
    Poisson = 7,
}

/// <summary>A nonlinearity; values as in <c>VaeGen.Activation</c>.</summary>
internal enum ActivationKind
{
    ReLU = 0,
    LeakyReLU = 1,
    Tanh = 2,
    GELU = 3,
    SiLU = 4,
    ELU = 5,
    Softplus = 6,
    Sigmoid = 7,
    Identity = 8,
}

/// <summary>What the data is; values as in <c>VaeGen.DataKind</c>.</summary>
internal enum DataKindValue
{
    Unspecified = 0,
    Binary = 1,
    UnitInterval = 2,
    Levels256 = 3,
    Counts = 4,
    Real = 5,
}

/// <summary>What training minimizes; values as in <c>VaeGen.Objective</c>.</summary>
internal enum ObjectiveKind
{
    Elbo = 0,
    ImportanceWeighted = 1,
}
