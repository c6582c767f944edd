using System;

namespace VaeGen;

/// <summary>
/// Follows the Gaussian posterior with a planar normalizing flow (Rezende and Mohamed, 2015): K steps
/// f(z) = z + u tanh(w'z + b), with u constrained so each step is invertible. The flow's parameters are learned and
/// shared by all inputs. Its log-determinant enters every density of q(z|x); the KL is estimated by Monte Carlo.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PlanarFlowAttribute : Attribute
{
    /// <summary>Declares a planar flow of <paramref name="steps"/> steps.</summary>
    /// <param name="steps">K, the number of planar steps; at least 1.</param>
    public PlanarFlowAttribute(int steps) => Steps = steps;

    /// <summary>K, the number of planar steps.</summary>
    public int Steps { get; }
}
