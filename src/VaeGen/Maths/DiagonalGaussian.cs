using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The diagonal Gaussian N(mu, diag(exp(logVar))), the usual posterior q(z|x) of a VAE.</summary>
/// <remarks>
/// The formulas live in <see cref="LogDensity.GaussianWithLogVar"/> and <see cref="LogDensity.DiagonalGaussianAtSample"/>,
/// which generated code also calls: one copy, two names.
/// </remarks>
public static class DiagonalGaussian
{
    /// <summary>
    /// log N(z; mu, diag(exp(logVar))) = -0.5 * sum_j ((z_j - mu_j)^2 * exp(-logVar_j) + logVar_j + log(2 pi)), summed
    /// over the last dimension, in nats.
    /// </summary>
    /// <param name="z">Points, shape [..., latent]; may have leading dimensions that <paramref name="mu"/> lacks, such as samples in [samples, batch, latent] against [batch, latent].</param>
    /// <param name="mu">Means, shape [..., latent].</param>
    /// <param name="logVar">Log-variances, the shape of <paramref name="mu"/>.</param>
    /// <returns>One value per point: the broadcast shape of z and mu without its last dimension.</returns>
    public static Tensor LogProb(Tensor z, Tensor mu, Tensor logVar) => LogDensity.GaussianWithLogVar(z, mu, logVar);

    /// <summary>
    /// The same density at its own reparameterized draw z = mu + exp(logVar / 2) * eps, from eps alone:
    /// log q(z) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)). Exact, not an approximation: (z - mu)^2 * exp(-logVar)
    /// is eps^2, and recovering eps from z would only add rounding. Gradients with respect to logVar are those of
    /// <see cref="LogProb"/> at that z.
    /// </summary>
    /// <param name="eps">The standard normal noise that made the draw, shape [..., latent]; may have leading dimensions that <paramref name="logVar"/> lacks.</param>
    /// <param name="logVar">Log-variances, broadcastable to <paramref name="eps"/>.</param>
    /// <returns>One value per draw: the shape of <paramref name="eps"/> without its last dimension.</returns>
    public static Tensor LogProbOfDraw(Tensor eps, Tensor logVar) => LogDensity.DiagonalGaussianAtSample(eps, logVar);
}
