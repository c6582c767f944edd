using System;

namespace VaeGen;

/// <summary>
/// Replaces the N(0, I) prior with a learned mixture of diagonal Gaussians, p(z) = sum_k pi_k N(z; m_k, diag(s_k^2)),
/// whose means, variances and weights train with the model. The KL term then has no closed form: the loss uses the
/// Monte-Carlo estimate log q(z|x) - log p(z) on the samples of the reconstruction term, and free bits cannot apply.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MixturePriorAttribute : Attribute
{
    /// <summary>Declares a mixture of <paramref name="components"/> Gaussians.</summary>
    /// <param name="components">K, the number of components; at least 1.</param>
    public MixturePriorAttribute(int components) => Components = components;

    /// <summary>K, the number of mixture components.</summary>
    public int Components { get; }
}
