using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The closed-form KL divergence between a diagonal Gaussian posterior and the standard normal prior.</summary>
public static class GaussianKl
{
    /// <summary>
    /// KL(N(mu, diag(exp(logVar))) || N(0, I)) = -0.5 * sum_j (1 + logVar_j - mu_j^2 - exp(logVar_j)), in nats.
    /// </summary>
    /// <param name="mu">Posterior means, shape [..., latent].</param>
    /// <param name="logVar">Posterior log-variances, same shape as <paramref name="mu"/>.</param>
    /// <returns>The divergence per example: the input shape without its last dimension.</returns>
    public static Tensor FromStandardNormal(Tensor mu, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        // 0.5 * sum(mu^2 + exp(logVar) - 1 - logVar): halved after the sum, one full-size operation fewer.
        return Terms(mu, logVar).sum(-1).mul_(CachedScalars.Half).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same divergence per latent dimension, before the sum: 0.5 * (mu_j^2 + exp(logVar_j) - 1 - logVar_j), in nats.
    /// Useful to see which dimensions carry information and which have collapsed to the prior (KL near 0).
    /// </summary>
    /// <param name="mu">Posterior means, shape [..., latent].</param>
    /// <param name="logVar">Posterior log-variances, same shape as <paramref name="mu"/>.</param>
    /// <returns>The divergence per example and dimension, the shape of <paramref name="mu"/>.</returns>
    public static Tensor PerDimension(Tensor mu, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        return Terms(mu, logVar).mul_(CachedScalars.Half).MoveToOuterDisposeScope();
    }

    /// <summary>mu^2 + exp(logVar) - 1 - logVar, elementwise: twice the KL of each dimension, built in place.</summary>
    private static Tensor Terms(Tensor mu, Tensor logVar) => mu.pow(CachedScalars.Two).Plus_(logVar.exp()).sub_(logVar).sub_(CachedScalars.One);
}
