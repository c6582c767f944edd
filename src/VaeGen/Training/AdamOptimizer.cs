using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// Adam (Kingma and Ba), the same update as torch.optim.Adam without weight decay or AMSGrad. It exists because
/// TorchSharp's Adam creates native Scalar objects every step that only the garbage collector frees; this one keeps its
/// constant scalars and disposes the per-step ones at once, so the native heap stays compact from the first step.
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar beta1Scalar;
    private readonly Scalar beta2Scalar;
    private readonly Scalar oneMinusBeta1;
    private readonly Scalar oneMinusBeta2;
    private readonly Scalar epsilon;

    /// <summary>Creates the optimizer with zero moments.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">Step size.</param>
    /// <param name="beta1">Decay of the first moment.</param>
    /// <param name="beta2">Decay of the second moment.</param>
    /// <param name="eps">Added to the denominator for stability.</param>
    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        this.parameters = parameters.ToArray();
        LearningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        epsilon = eps.ToScalar();
        firstMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        secondMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The step size.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken so far; the bias corrections depend on it.</summary>
    public long StepCount { get; private set; }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        foreach (var parameter in parameters) parameter.grad?.zero_();
    }

    /// <summary>One Adam update from the current gradients; parameters without a gradient are left alone.</summary>
    public void Step()
    {
        StepCount++;
        var biasCorrection1 = 1 - Math.Pow(beta1, StepCount);
        var biasCorrection2 = 1 - Math.Pow(beta2, StepCount);
        using var negativeStepSize = (-LearningRate / biasCorrection1).ToScalar();
        using var inverseRootCorrection2 = (1 / Math.Sqrt(biasCorrection2)).ToScalar();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null) continue;
            // m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;  p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
            firstMoments[i].mul_(beta1Scalar).add_(gradient, oneMinusBeta1);
            secondMoments[i].mul_(beta2Scalar).addcmul_(gradient, gradient, oneMinusBeta2);
            var denominator = secondMoments[i].sqrt().mul_(inverseRootCorrection2).add_(epsilon);
            parameters[i].addcdiv_(firstMoments[i], denominator, negativeStepSize);
        }
    }

    /// <summary>Writes the step count and both moments of every parameter.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(StepCount);
        writer.Write(parameters.Length);
        for (var i = 0; i < parameters.Length; i++)
        {
            firstMoments[i].Save(writer);
            secondMoments[i].Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, for the same parameters.</summary>
    /// <exception cref="InvalidDataException">The saved state is for a different number of parameters.</exception>
    public void Load(BinaryReader reader)
    {
        var steps = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count != parameters.Length)
            throw new InvalidDataException($"The optimizer state holds {count} parameters, but the model has {parameters.Length}.");
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Length; i++)
        {
            firstMoments[i].Load(reader);
            secondMoments[i].Load(reader);
        }
        StepCount = steps;
    }

    /// <summary>Frees the moments and the cached scalars.</summary>
    public void Dispose()
    {
        foreach (var tensor in firstMoments.Concat(secondMoments)) tensor.Dispose();
        foreach (var scalar in new[] { beta1Scalar, beta2Scalar, oneMinusBeta1, oneMinusBeta2, epsilon }) scalar.Dispose();
    }
}
