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
        // 0.5 * sum(mu^2 + exp(logVar) - 1 - logVar): the same sum, arranged to reuse buffers in place.
        var terms = mu.square().add_(logVar.exp()).sub_(logVar).sub_(CachedScalars.One);
        return terms.sum(-1).mul_(CachedScalars.Half).MoveToOuterDisposeScope();
    }
}
