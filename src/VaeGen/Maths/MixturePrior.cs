using System;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// A learned mixture-of-Gaussians prior p(z) = sum_k pi_k N(z; m_k, diag(exp(v_k))) with pi = softmax(logits), trained
/// with the rest of the model (the learned mixture prior of TensorFlow Probability's VAE examples and of Pythae). Its
/// parameters, in parameters() and state_dict under these names: <c>means</c> [K, D], drawn from N(0, 1) with TorchSharp's
/// global generator (so torch.manual_seed makes them reproducible), spreading the components apart; <c>log_vars</c>
/// [K, D], zeros (unit variances); <c>logits</c> [K], zeros (equal weights). <see cref="ParameterCount"/> gives their
/// number, K * (2 D + 1).
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MixturePrior : nn.Module
{
    // RegisterComponents names parameters after these fields, hence snake_case; not readonly, as Module.to replaces them.
    private Parameter means;
    private Parameter log_vars;
    private Parameter logits;

    /// <summary>Creates the prior's parameters and registers them.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="components">K, the number of mixture components, at least 1.</param>
    /// <param name="latentSize">D, the dimension of z, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1; the exception names it and gives its value.</exception>
    public MixturePrior(string name, int components, int latentSize) : base(name)
    {
        RequireSizes(components, latentSize);
        Components = components;
        LatentSize = latentSize;
        means = OwnedParameter.From(randn(components, latentSize));
        log_vars = OwnedParameter.From(zeros(components, latentSize));
        logits = OwnedParameter.From(zeros(components));
        RegisterComponents();
    }

    /// <summary>K, the number of mixture components.</summary>
    public int Components { get; }

    /// <summary>D, the dimension of z.</summary>
    public int LatentSize { get; }

    /// <summary>The component means m_k, shape [K, D] (state_dict name <c>means</c>).</summary>
    public Parameter Means => means;

    /// <summary>The component log-variances v_k, shape [K, D] (state_dict name <c>log_vars</c>).</summary>
    public Parameter LogVars => log_vars;

    /// <summary>The unnormalized log-weights, shape [K] (state_dict name <c>logits</c>); pi = softmax(logits).</summary>
    public Parameter Logits => logits;

    /// <summary>Trainable parameters of a prior with these sizes: K * D means, K * D log-variances and K logits, K * (2 D + 1).</summary>
    /// <param name="components">K, at least 1.</param>
    /// <param name="latentSize">D, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1.</exception>
    public static long ParameterCount(int components, int latentSize)
    {
        RequireSizes(components, latentSize);
        return (long)components * (2L * latentSize + 1);
    }

    /// <summary>The normalized log-weights log pi_k = log_softmax(logits)_k, shape [K].</summary>
    public Tensor LogWeights() => logits.log_softmax(-1);

    /// <summary>log p(z) = logsumexp_k (log pi_k + log N(z; m_k, diag(exp(v_k)))), in nats; see <see cref="GaussianMixture.LogProb"/>.</summary>
    /// <param name="z">Points, shape [..., D], in the dtype of the parameters.</param>
    /// <returns>One value per point: the shape of <paramref name="z"/> without its last dimension.</returns>
    public Tensor LogProb(Tensor z)
    {
        using var scope = NewDisposeScope();
        return GaussianMixture.LogProb(z, means, log_vars, LogWeights()).MoveToOuterDisposeScope();
    }

    /// <summary>Draws points from the prior, without recording gradients; see <see cref="GaussianMixture.Sample"/>.</summary>
    /// <param name="count">How many points, at least 1.</param>
    /// <param name="generator">The random generator; null uses TorchSharp's global one.</param>
    /// <returns>Shape [count, D], the dtype and device of the parameters.</returns>
    public Tensor Sample(long count, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return GaussianMixture.Sample(count, means, log_vars, LogWeights(), generator).MoveToOuterDisposeScope();
    }

    private static void RequireSizes(int components, int latentSize)
    {
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), components, "A mixture prior needs at least one component.");
        if (latentSize < 1) throw new ArgumentOutOfRangeException(nameof(latentSize), latentSize, "The latent space needs at least one dimension.");
    }
}
