using System;

namespace VaeGen;

/// <summary>
/// Replaces the N(0, I) prior with the VampPrior (Tomczak and Welling, 2018): the average of the model's own posteriors
/// at K learned pseudo-inputs, p(z) = (1/K) sum_k q(z|u_k). The pseudo-inputs have the shape of an example and pass
/// through the model's encoder, so convolutional models can use it; a conditional model also learns a condition per
/// pseudo-input (a soft one-hot for class labels). The KL is estimated by Monte Carlo, as with any learned prior.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class VampPriorAttribute : Attribute
{
    /// <summary>Declares a VampPrior with <paramref name="pseudoInputs"/> learned pseudo-inputs.</summary>
    /// <param name="pseudoInputs">K, the number of pseudo-inputs; at least 1 (the paper uses 500 on MNIST).</param>
    public VampPriorAttribute(int pseudoInputs) => PseudoInputs = pseudoInputs;

    /// <summary>K, the number of pseudo-inputs.</summary>
    public int PseudoInputs { get; }
}
