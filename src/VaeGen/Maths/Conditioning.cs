using System;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The condition of a conditional VAE, checked and turned into features that are concatenated to a layer's input.</summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Conditioning
{
    /// <summary>
    /// Class labels as one-hot features: labels of an integer type, shape [batch], each in [0, <paramref name="classes"/>),
    /// one per row of <paramref name="input"/> and on its device.
    /// </summary>
    /// <param name="labels">The labels.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="input">The examples or latent points the labels go with, already checked against the model's parameters: the one-hot rows take its dtype.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <returns>Shape [batch, classes], in the dtype of <paramref name="input"/>.</returns>
    /// <exception cref="ArgumentException">The labels are not integers of shape [batch], do not pair with the input, are on another device, or one is out of range; the message says which.</exception>
    public static Tensor OneHot(Tensor labels, int classes, Tensor input, string parameterName, string modelName)
    {
        Checks.TensorChecks.RequireClassLabels(labels, classes, input, parameterName, modelName);
        using var longLabels = labels.to_type(ScalarType.Int64);
        using var oneHot = nn.functional.one_hot(longLabels, classes);
        return oneHot.to_type(input.dtype);
    }

    /// <summary>A feature-vector condition, checked to be <paramref name="features"/> wide and to pair with <paramref name="input"/>.</summary>
    /// <param name="condition">The condition, shape [batch, features].</param>
    /// <param name="features">The declared width.</param>
    /// <param name="input">The examples or latent points the condition goes with, already checked against the model's parameters.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <returns>An alias of the condition (its own handle on the same storage), which the caller may dispose.</returns>
    /// <exception cref="ArgumentException">The width, the pairing with the input, the dtype or the device is wrong.</exception>
    public static Tensor Features(Tensor condition, int features, Tensor input, string parameterName, string modelName)
    {
        Checks.TensorChecks.RequireFeatureCondition(condition, features, input, parameterName, modelName);
        return condition.alias();
    }

    /// <summary>
    /// Concatenates the condition to <paramref name="input"/> along the last dimension, repeating it over any leading
    /// dimensions the input has beyond the batch (such as reconstruction samples), in the input's dtype.
    /// </summary>
    /// <param name="input">Layer input, shape [..., batch, width].</param>
    /// <param name="condition">Condition features, shape [batch, size].</param>
    /// <returns>Shape [..., batch, width + size].</returns>
    public static Tensor Append(Tensor input, Tensor condition)
    {
        using var scope = NewDisposeScope();
        var typed = condition.dtype == input.dtype ? condition : condition.to_type(input.dtype);
        var shape = input.shape;
        var expanded = shape.Length == condition.dim()
            ? typed
            : typed.expand(shape.Take(shape.Length - 1).Append(condition.shape[^1]).ToArray());
        return cat(new[] { input, expanded }, -1).MoveToOuterDisposeScope();
    }
}
