using System;

namespace VaeGen;

/// <summary>
/// Follows the Gaussian posterior with an inverse autoregressive flow (Kingma et al., 2016): K steps
/// z' = sigma * z + (1 - sigma) * m, where (m, s) come from a MADE network of masked layers over z and sigma = sigmoid(s),
/// with the order of the latent dimensions reversed between steps. The flow's parameters are learned and shared by all
/// inputs. Its log-determinant enters every density of q(z|x); the KL is estimated by Monte Carlo.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class InverseAutoregressiveFlowAttribute : Attribute
{
    /// <summary>Declares an inverse autoregressive flow of <paramref name="steps"/> steps with MADE layers of <paramref name="hiddenSize"/> units.</summary>
    /// <param name="steps">K, the number of steps; at least 1.</param>
    /// <param name="hiddenSize">Units of each of the two hidden masked layers of a step's MADE; at least 1.</param>
    public InverseAutoregressiveFlowAttribute(int steps, int hiddenSize)
    {
        Steps = steps;
        HiddenSize = hiddenSize;
    }

    /// <summary>K, the number of steps.</summary>
    public int Steps { get; }

    /// <summary>Units of each hidden masked layer.</summary>
    public int HiddenSize { get; }
}
