using System;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Checks;

/// <summary>Run-time checks that generated models make on the tensors a caller passes in.</summary>
public static class TensorChecks
{
    /// <summary>Throws when <paramref name="tensor"/> is not a batch of <paramref name="features"/>-wide rows.</summary>
    /// <param name="tensor">The tensor to check.</param>
    /// <param name="features">The width its last dimension must have.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The tensor has no dimensions or its last dimension differs.</exception>
    public static void RequireLastDimension(Tensor tensor, long features, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        var shape = tensor.shape;
        if (shape.Length == 0 || shape[^1] != features)
            throw new ArgumentException(
                $"{modelName} expects {parameterName} to have {features} features in its last dimension, but its shape is [{string.Join(", ", shape)}].",
                parameterName);
    }

    /// <summary>Throws when any value of <paramref name="tensor"/> lies outside [0, 1] (or is NaN): Bernoulli targets must be probabilities.</summary>
    /// <param name="tensor">The targets to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">A value is below 0, above 1 or NaN.</exception>
    public static void RequireUnitInterval(Tensor tensor, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        var low = tensor.min().ToDouble();
        var high = tensor.max().ToDouble();
        var nan = tensor.isnan().any().ToBoolean();
        if (nan || low < 0 || high > 1)
            throw new ArgumentException(
                $"{modelName} has a Bernoulli likelihood, so {parameterName} must hold values in [0, 1], but its values range from {low.ToString(System.Globalization.CultureInfo.InvariantCulture)} to {high.ToString(System.Globalization.CultureInfo.InvariantCulture)}{(nan ? " and include NaN" : string.Empty)}. Scale the data to [0, 1] (pixels: divide by 255).",
                parameterName);
    }
}
