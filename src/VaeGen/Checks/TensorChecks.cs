using System;
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
}
