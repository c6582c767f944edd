using System;
using VaeGen.Scaling;

namespace VaeGen.Export;

/// <summary>The feature scaling a model keeps with its parameters, so that its graphs take and give data in raw units.</summary>
public sealed partial class OnnxGraph
{
    /// <summary>(x - shift) / scale per feature, the scaler's buffers as the initializers featureScaling.shift and featureScaling.scale.</summary>
    /// <param name="x">Raw data, [batch, features].</param>
    /// <param name="scaler">The model's fitted scaler.</param>
    public OnnxValue ScaleFeatures(OnnxValue x, FeatureScaler scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return Div(Sub(x, ScalerConstant("featureScaling.shift", scaler.Shift)), ScalerConstant("featureScaling.scale", scaler.Scale));
    }

    /// <summary>scaled * scale + shift per feature: a decoded mean back in raw units.</summary>
    /// <param name="scaled">Values in scaled units, [batch, features].</param>
    /// <param name="scaler">The model's fitted scaler.</param>
    public OnnxValue RestoreFeatures(OnnxValue scaled, FeatureScaler scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        return Add(Mul(scaled, ScalerConstant("featureScaling.scale", scaler.Scale)), ScalerConstant("featureScaling.shift", scaler.Shift));
    }

    /// <summary>
    /// A log-density over the scaled features read as one over the raw features: log p(x) = log p(scaled x) - sum_j log scale_j,
    /// the sum computed at export time as the initializer featureScaling.log_scale_sum.
    /// </summary>
    /// <param name="scaledLogDensity">log p(scaled x), [batch].</param>
    /// <param name="scaler">The model's fitted scaler.</param>
    public OnnxValue RawUnitsLogDensity(OnnxValue scaledLogDensity, FeatureScaler scaler)
    {
        ArgumentNullException.ThrowIfNull(scaler);
        using var logScaleSum = scaler.LogScaleSum();
        return Sub(scaledLogDensity, ScalerConstant("featureScaling.log_scale_sum", logScaleSum));
    }

    /// <summary>The scaler's tensor as an initializer, added once per graph however often it is used.</summary>
    private OnnxValue ScalerConstant(string name, TorchSharp.torch.Tensor value) =>
        names.Contains(name) ? new OnnxValue(name) : Constant(name, value);
}
