using System;
using System.Globalization;
using TorchSharp;
using VaeGen.Checks;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Scaling;

/// <summary>
/// The per-feature scaling a model declared with <see cref="VaeAttribute.Scaling"/> keeps with its parameters:
/// scaled = (x - shift) / scale, with shift and scale fitted on training data (<see cref="FeatureScaling.Standardize"/>:
/// mean and standard deviation; <see cref="FeatureScaling.MinMax"/>: minimum and range). Its three buffers travel in the
/// model's state_dict as <c>featureScaling.shift</c>, <c>featureScaling.scale</c> and <c>featureScaling.fitted</c>, so
/// checkpoints, saved models and the ONNX export carry them.
/// </summary>
public sealed class FeatureScaler : nn.Module<Tensor, Tensor>
{
    // RegisterComponents registers Tensor fields as buffers named after them; not readonly, as Module.to replaces them.
    private Tensor shift;
    private Tensor scale;
    private Tensor fitted;

    /// <summary>An identity scaling, not yet fitted, over <paramref name="features"/> features.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="kind">Standardize or MinMax.</param>
    /// <param name="features">Features per example, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The kind is None or not a member, or the width is less than 1.</exception>
    public FeatureScaler(string name, FeatureScaling kind, int features) : base(name)
    {
        if (kind is not (FeatureScaling.Standardize or FeatureScaling.MinMax))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A feature scaler standardizes or min-max scales.");
        if (features < 1) throw new ArgumentOutOfRangeException(nameof(features), features, "At least one feature is needed.");
        Kind = kind;
        Features = features;
        shift = zeros(features).DetachFromDisposeScope();
        scale = ones(features).DetachFromDisposeScope();
        fitted = zeros(1).DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>How the features are scaled.</summary>
    public FeatureScaling Kind { get; }

    /// <summary>Features per example.</summary>
    public int Features { get; }

    /// <summary>What is subtracted from each feature: the training data's mean (Standardize) or minimum (MinMax), shape [Features].</summary>
    public Tensor Shift => shift;

    /// <summary>What each centred feature is divided by: the standard deviation or the range, 1 for a constant feature, shape [Features].</summary>
    public Tensor Scale => scale;

    /// <summary>True once <see cref="Fit"/> has run on this scaler or a fitted one's state was loaded; reads one value back to .NET.</summary>
    public bool IsFitted
    {
        get
        {
            using var value = fitted.to(ScalarType.Float64);
            return value.item<double>() != 0;
        }
    }

    /// <summary>
    /// Fits the scaling to <paramref name="data"/>, the training data: per feature, the mean and the population standard
    /// deviation (Standardize), or the minimum and the range (MinMax), computed in float64. A feature that does not vary
    /// gets scale 1, so it is only shifted.
    /// </summary>
    /// <param name="data">Training examples, shape [count, Features], count at least 1, finite values.</param>
    /// <exception cref="ArgumentException">The data is not [count, Features] with count at least 1, or holds a value that is not finite.</exception>
    public void Fit(Tensor data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.dim() != 2 || data.shape[1] != Features || data.shape[0] < 1)
            throw new ArgumentException(
                $"Feature scaling is fitted on examples of shape [count, {Features}] with count at least 1, but data has shape {ShapeText.Of(data.shape)}.", nameof(data));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var exact = data.to(ScalarType.Float64);
        if (!isfinite(exact).all().item<bool>())
            throw new ArgumentException("Feature scaling needs finite training data, but data holds NaN or infinity; replace missing values first.", nameof(data));
        Tensor center, spread;
        if (Kind == FeatureScaling.Standardize)
        {
            center = exact.mean(new long[] { 0 });
            spread = exact.sub(center).pow(CachedScalars.Two).mean(new long[] { 0 }).sqrt();
        }
        else
        {
            center = exact.amin(0);
            spread = exact.amax(0).sub(center);
        }
        // A constant feature has nothing to divide by: keep its unit, as scikit-learn's scalers do.
        spread = where(spread.gt(CachedScalars.Zero), spread, ones_like(spread));
        shift.copy_(center.to(shift.dtype));
        scale.copy_(spread.to(scale.dtype));
        fitted.fill_(CachedScalars.One);
    }

    /// <summary>(x - shift) / scale over the last dimension of <paramref name="x"/>; no checks, as every pass calls it.</summary>
    public override Tensor forward(Tensor x) => x.sub(shift).div_(scale);

    /// <summary>The inverse, scaled * scale + shift: a mean or a sample back in the data's raw units.</summary>
    /// <param name="scaled">Values in scaled units, shape [..., Features].</param>
    public Tensor Restore(Tensor scaled) => scaled.mul(scale).Plus_(shift);

    /// <summary>
    /// sum_j log scale_j, a 0-dimensional tensor: what a density over the scaled features loses, per example, when it is
    /// read as a density over the raw ones, log p(x) = log p(scaled x) - sum_j log scale_j (the change of variables).
    /// </summary>
    public Tensor LogScaleSum() => scale.log().sum();

    /// <summary>Refuses to go on with a scaling that was never fitted, which would pass raw data to the networks unscaled.</summary>
    /// <param name="modelName">The model, for the message.</param>
    /// <exception cref="InvalidOperationException">The scaling is not fitted.</exception>
    public void RequireFitted(string modelName)
    {
        if (!IsFitted)
            throw new InvalidOperationException(
                $"{modelName} scales its features ({Kind}), but its scaling has not been fitted: train it with Fit (which fits the scaling on its training data), call FitScaling(data), or load a saved model.");
    }

    /// <summary>
    /// Runs a likelihood's value check on the scaled data, and when it fails adds to its message that the values are the
    /// scaled ones and what that means for data outside the training data's range.
    /// </summary>
    /// <param name="data">Raw data, [count, Features].</param>
    /// <param name="parameterName">The parameter the data came in, for the message.</param>
    /// <param name="check">The likelihood's check, given the scaled data.</param>
    /// <exception cref="ArgumentException">The scaled data fails the check.</exception>
    public void CheckScaled(Tensor data, string parameterName, Action<Tensor> check)
    {
        ArgumentNullException.ThrowIfNull(check);
        using var noGrad = no_grad();
        using var scaled = forward(data);
        try
        {
            check(scaled);
        }
        catch (ArgumentException e)
        {
            // ArgumentException.Message ends with " (Parameter 'name')"; the new exception adds its own.
            var message = e.ParamName is { } name && e.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
                ? e.Message[..^$" (Parameter '{name}')".Length]
                : e.Message;
            var range = Kind == FeatureScaling.MinMax
                ? " Min-max scaling maps each feature's range in the training data to [0, 1], so a value outside that range falls outside [0, 1]: clip such data to the training range (Shift to Shift + Scale), or use a Gaussian or Laplace likelihood, which can score any value."
                : string.Empty;
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{message} (The values checked are {parameterName} after the model's {Kind} feature scaling, fitted on its training data.{range})"),
                parameterName, e);
        }
    }
}
