using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The standard normal N(0, I), the fixed prior of a plain VAE.</summary>
/// <remarks>The formula lives in <see cref="LogDensity.StandardNormal"/>, which generated code also calls: one copy, two names.</remarks>
public static class StandardNormal
{
    /// <summary>
    /// log N(z; 0, I) = -0.5 * sum_j (z_j^2 + log(2 pi)), summed over the last dimension, in nats.
    /// </summary>
    /// <param name="z">Points, shape [..., latent], float32 or float64.</param>
    /// <returns>One value per point: the shape of <paramref name="z"/> without its last dimension.</returns>
    public static Tensor LogProb(Tensor z) => LogDensity.StandardNormal(z);
}
