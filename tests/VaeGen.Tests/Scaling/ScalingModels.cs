// Models with feature scaling, and an unscaled twin of the first that shares its parameter names, so a test can give
// both the same weights and compare what the scaled model computes on raw data with the twin on scaled data.

namespace VaeGen.Tests.Scaling
{
    /// <summary>Standardized features under a fixed-variance Gaussian.</summary>
    [Vae(5, 2, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.5, Scaling = FeatureScaling.Standardize)]
    [Encoder(8)]
    [Decoder(8)]
    public partial class StandardizedVae;

    /// <summary>Min-max features under a Bernoulli: the [0, 1] contract holds on training data, not beyond its range.</summary>
    [Vae(4, 2, Scaling = FeatureScaling.MinMax)]
    [Encoder(8)]
    [Decoder(8)]
    public partial class MinMaxBernoulliVae;
}

namespace VaeGen.Tests.Scaling.Twin
{
    /// <summary>StandardizedVae without scaling: the same layers and parameter names.</summary>
    [Vae(5, 2, Likelihood = Likelihood.Gaussian, ObservationVariance = 0.5)]
    [Encoder(8)]
    [Decoder(8)]
    public partial class StandardizedVae;
}
