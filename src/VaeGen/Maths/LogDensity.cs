using System;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Log-densities summed over the last (feature) dimension, in nats. Each returns one value per example: the input
/// shape without its last dimension. Observations broadcast against the parameters, so one batch x can be scored
/// against parameters with a leading sample dimension.
/// </summary>
public static class LogDensity
{
    /// <summary>log(2 pi), the constant of every Gaussian log-density.</summary>
    public const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>
    /// Bernoulli: log p(x) = sum_j x_j * l_j - softplus(l_j) for logits l, computed by the numerically stable
    /// binary-cross-entropy-with-logits kernel. Targets may lie anywhere in [0, 1].
    /// </summary>
    /// <param name="x">Targets in [0, 1], shape [..., features].</param>
    /// <param name="logits">Logits, shape [..., features]; may have extra leading dimensions.</param>
    public static Tensor Bernoulli(Tensor x, Tensor logits)
    {
        using var scope = NewDisposeScope();
        var target = SameShape(x, logits) ? x : x.expand_as(logits);
        var crossEntropy = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
        return crossEntropy.sum(-1).neg_().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gaussian with a fixed variance s^2 for every feature:
    /// log p(x) = -0.5 * sum_j ((x_j - m_j)^2 / s^2 + log(2 pi s^2)).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="mean">Means, shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="variance">The fixed observation variance s^2; must be positive and finite.</param>
    public static Tensor Gaussian(Tensor x, Tensor mean, double variance)
    {
        if (!(variance > 0) || double.IsInfinity(variance))
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "The observation variance must be positive and finite.");
        using var scope = NewDisposeScope();
        var features = mean.shape[^1];
        using var scale = (-0.5 / variance).ToScalar();
        using var constant = (0.5 * features * (LogTwoPi + Math.Log(variance))).ToScalar();
        var squaredError = (x - mean).square().sum(-1);
        return squaredError.mul_(scale).sub_(constant).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gaussian with a per-feature log-variance v:
    /// log p(x) = -0.5 * sum_j ((x_j - m_j)^2 * exp(-v_j) + v_j + log(2 pi)).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="mean">Means, shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="logVar">Log-variances, the shape of <paramref name="mean"/>.</param>
    public static Tensor GaussianWithLogVar(Tensor x, Tensor mean, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        using var constant = (mean.shape[^1] * LogTwoPi).ToScalar();
        // Not in place: the product's backward needs both factors as they were.
        var scaledError = (x - mean).square().mul(logVar.neg().exp_()).add_(logVar);
        return scaledError.sum(-1).add_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>Standard normal: log N(z; 0, I) = -0.5 * sum_j (z_j^2 + log(2 pi)).</summary>
    /// <param name="z">Points, shape [..., latent].</param>
    public static Tensor StandardNormal(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var constant = (z.shape[^1] * LogTwoPi).ToScalar();
        return z.square().sum(-1).add_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The diagonal Gaussian N(mu, diag(exp(logVar))) at its own reparameterized sample z = mu + exp(0.5 * logVar) * eps:
    /// log q(z) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)). Taking eps avoids recovering it from z, which loses precision.
    /// </summary>
    /// <param name="eps">The standard normal noise that produced the sample, shape [..., latent].</param>
    /// <param name="logVar">Log-variances, broadcastable to <paramref name="eps"/>.</param>
    public static Tensor DiagonalGaussianAtSample(Tensor eps, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        using var constant = (eps.shape[^1] * LogTwoPi).ToScalar();
        return eps.square().add_(logVar).sum(-1).add_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    private static bool SameShape(Tensor a, Tensor b) => a.shape.AsSpan().SequenceEqual(b.shape);
}
