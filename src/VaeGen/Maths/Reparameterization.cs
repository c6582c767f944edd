using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The reparameterization trick of AEVB: a sample of q(z|x) that is a differentiable function of its parameters.</summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Reparameterization
{
    /// <summary>z = mu + exp(0.5 * logVar) * eps. Gradients flow to <paramref name="mu"/> and <paramref name="logVar"/>.</summary>
    /// <param name="mu">Posterior means, shape [..., latent].</param>
    /// <param name="logVar">Posterior log-variances, the shape of <paramref name="mu"/>.</param>
    /// <param name="eps">Standard normal noise broadcastable against <paramref name="mu"/>, e.g. [samples, batch, latent].</param>
    public static Tensor Sample(Tensor mu, Tensor logVar, Tensor eps)
    {
        using var scope = NewDisposeScope();
        // std * eps is a new tensor, so adding mu in place leaves every saved value intact.
        return logVar.mul(CachedScalars.Half).exp_().mul(eps).Plus_(mu).MoveToOuterDisposeScope();
    }

    /// <summary>Standard normal noise of the shape, dtype and device of <paramref name="mu"/>: one draw per posterior.</summary>
    /// <param name="mu">Posterior means, whose shape the draw takes.</param>
    /// <param name="generator">The random generator; null uses TorchSharp's global one, exactly as <c>randn_like(mu)</c> does.</param>
    public static Tensor NoiseLike(Tensor mu, Generator? generator = null) =>
        generator is null ? randn_like(mu) : randn(mu.shape, dtype: mu.dtype, device: mu.device, generator: generator);

    /// <summary>Standard normal noise for <paramref name="samples"/> draws per posterior: shape [samples, ..mu.shape], mu's dtype and device.</summary>
    /// <param name="mu">Posterior means, whose shape each draw takes.</param>
    /// <param name="samples">How many draws; the size of the new leading dimension.</param>
    /// <param name="generator">The random generator; null uses TorchSharp's global one.</param>
    public static Tensor Noise(Tensor mu, long samples, Generator? generator = null)
    {
        var shape = new long[mu.dim() + 1];
        shape[0] = samples;
        mu.shape.CopyTo(shape, 1);
        return randn(shape, dtype: mu.dtype, device: mu.device, generator: generator);
    }
}
