using System;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// A mixture of K diagonal Gaussians, p(z) = sum_k w_k N(z; m_k, diag(exp(v_k))): the density of a learned mixture prior
/// (<see cref="MixturePrior"/>). The parameters are plain tensors, so the same code scores a fixed or a learned mixture.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GaussianMixture
{
    /// <summary>
    /// log p(z) = logsumexp_k (log w_k + log N(z; m_k, diag(exp(v_k)))), in nats. Every point is scored against every
    /// component by broadcasting z [..., 1, D] against the components [K, D]; the logsumexp over K keeps the result finite
    /// for points far from all components, where each component's density underflows. Differentiable in every argument.
    /// </summary>
    /// <param name="z">Points, shape [..., D], float32 or float64.</param>
    /// <param name="means">Component means m_k, shape [K, D].</param>
    /// <param name="logVars">Component log-variances v_k, shape [K, D].</param>
    /// <param name="logWeights">
    /// Normalized log-weights log w_k, shape [K] (already log-softmaxed: they must log-sum-exp to 0), or null for equal
    /// weights 1/K.
    /// </param>
    /// <returns>One value per point: the shape of <paramref name="z"/> without its last dimension.</returns>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message gives them.</exception>
    public static Tensor LogProb(Tensor z, Tensor means, Tensor logVars, Tensor? logWeights)
    {
        var (components, latent) = RequireComponents(means, logVars, logWeights);
        if (z.dim() == 0 || z.shape[^1] != latent)
            throw new ArgumentException(
                $"The points must end in the mixture's {latent} latent dimensions, but their shape is {Checks.ShapeText.Of(z.shape)}.", nameof(z));
        using var scope = NewDisposeScope();
        // [..., 1, D] against [K, D]: every point's log-density under every component, [..., K].
        var perComponent = LogDensity.GaussianWithLogVar(z.unsqueeze(-2), means, logVars);
        if (logWeights is not null) return perComponent.Plus_(logWeights).logsumexp(-1).MoveToOuterDisposeScope();
        // Equal weights: log((1/K) sum_k p_k). Not in place: logsumexp's backward needs its own result.
        using var logCount = Math.Log(components).ToScalar();
        return perComponent.logsumexp(-1).sub(logCount).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws <paramref name="count"/> points: a component k ~ Categorical(w) per point (torch.multinomial with
    /// replacement), then m_k + exp(v_k / 2) * eps with eps ~ N(0, I). Both draws use <paramref name="generator"/>, the
    /// components first, so a generator in the same state gives the same points. No gradient is recorded.
    /// </summary>
    /// <param name="count">How many points, at least 1.</param>
    /// <param name="means">Component means, shape [K, D].</param>
    /// <param name="logVars">Component log-variances, shape [K, D].</param>
    /// <param name="logWeights">Normalized log-weights, shape [K], or null for equal weights.</param>
    /// <param name="generator">The random generator; null uses TorchSharp's global one.</param>
    /// <returns>Shape [count, D], the dtype and device of <paramref name="means"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The shapes do not fit together; the message gives them.</exception>
    public static Tensor Sample(long count, Tensor means, Tensor logVars, Tensor? logWeights, Generator? generator = null)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one point must be drawn.");
        var (components, latent) = RequireComponents(means, logVars, logWeights);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var weights = logWeights is null ? ones(components, dtype: means.dtype, device: means.device) : logWeights.exp();
        var index = multinomial(weights, count, replacement: true, generator: generator);
        var eps = randn(new[] { count, latent }, dtype: means.dtype, device: means.device, generator: generator);
        var std = logVars.index_select(0, index).mul_(CachedScalars.Half).exp_();
        return std.mul_(eps).Plus_(means.index_select(0, index)).MoveToOuterDisposeScope();
    }

    /// <summary>K and D, after checking that the means and log-variances are [K, D] and the log-weights, if any, [K].</summary>
    private static (long Components, long Latent) RequireComponents(Tensor means, Tensor logVars, Tensor? logWeights)
    {
        if (means.dim() != 2)
            throw new ArgumentException(
                $"The mixture means must have shape [components, latent], but their shape is {Checks.ShapeText.Of(means.shape)}.", nameof(means));
        if (!logVars.shape.SequenceEqual(means.shape))
            throw new ArgumentException(
                $"The mixture log-variances must have the means' shape {Checks.ShapeText.Of(means.shape)}, but theirs is {Checks.ShapeText.Of(logVars.shape)}.",
                nameof(logVars));
        if (logWeights is not null && (logWeights.dim() != 1 || logWeights.shape[0] != means.shape[0]))
            throw new ArgumentException(
                $"The mixture log-weights must have shape [{means.shape[0]}], one per component, but their shape is {Checks.ShapeText.Of(logWeights.shape)}.",
                nameof(logWeights));
        return (means.shape[0], means.shape[1]);
    }
}
