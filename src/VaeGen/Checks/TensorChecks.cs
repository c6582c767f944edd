using System;
using System.ComponentModel;
using System.Globalization;
using TorchSharp;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Checks;

/// <summary>Run-time checks that generated models make on the tensors a caller passes in.</summary>
/// <remarks>
/// Two kinds. The input checks (<see cref="RequireInput"/>, <see cref="RequireBatch"/>, the condition checks) read only
/// a tensor's metadata (dtype, device, shape), never its values, so they cost no work on the device and no
/// synchronisation; every entry point of a generated model makes them. The data checks (<see cref="RequireUnitInterval(Tensor, string, string)"/>,
/// <see cref="RequireLevels"/>, <see cref="RequireCounts"/>, <see cref="RequireFinite"/>, the label range) scan the
/// values: they build one mask of violations and copy two numbers to the host, whether any element breaks the rule
/// and, if one does, where the first one is. Only a failing check reads more (the offending value, the range).
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TensorChecks
{
    /// <summary>How far from an integer level a Categorical observation times (levels - 1) may lie.</summary>
    internal const double LevelTolerance = 1e-3;

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
                $"{modelName} expects {parameterName} to have {features} features in its last dimension, but its shape is {ShapeText.Of(shape)}.",
                parameterName);
    }

    /// <summary>Throws unless a streamed data set's examples have the model's width.</summary>
    /// <param name="stream">The stream a caller passed.</param>
    /// <param name="features">The model's input width.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The stream is null or its examples have another width.</exception>
    public static void RequireStream(Data.IExampleStream stream, long features, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(stream, parameterName);
        if (stream.Features != features)
            throw new ArgumentException(
                $"{modelName} expects examples of {features} features, but {parameterName} ({stream.Source}) holds examples of {stream.Features}.",
                parameterName);
    }

    /// <summary>
    /// Throws unless <paramref name="input"/> can go into a model whose parameters are like <paramref name="parameter"/>:
    /// shape [..., <paramref name="features"/>], the parameter's dtype and the parameter's device. Floating-point inputs
    /// of another precision are refused, not converted: a silent conversion would copy the whole tensor on every call
    /// and hide a choice of precision. Reads metadata only.
    /// </summary>
    /// <param name="input">The tensor a caller passed.</param>
    /// <param name="parameter">A parameter of the model; all of them share its dtype and device.</param>
    /// <param name="features">The width its last dimension must have.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The shape, dtype or device is wrong; the message gives both sides and the fix.</exception>
    public static void RequireInput(Tensor input, Tensor parameter, long features, string parameterName, string modelName)
    {
        RequireLastDimension(input, features, parameterName, modelName);
        RequireLike(input, parameter, parameterName, modelName);
    }

    /// <summary>
    /// <see cref="RequireInput"/> for a batch of examples, one per row: shape [batch, <paramref name="features"/>]
    /// exactly, as the data-set methods, the forward pass and the loss take it.
    /// </summary>
    /// <param name="input">The tensor a caller passed.</param>
    /// <param name="parameter">A parameter of the model; all of them share its dtype and device.</param>
    /// <param name="features">The width of a row.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The shape, dtype or device is wrong; the message gives both sides and the fix.</exception>
    public static void RequireBatch(Tensor input, Tensor parameter, long features, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(input, parameterName);
        var shape = input.shape;
        if (shape.Length != 2 || shape[1] != features)
            throw new ArgumentException(
                $"{modelName} expects {parameterName} of shape [batch, {features}], one example per row, but its shape is {ShapeText.Of(shape)}.",
                parameterName);
        RequireLike(input, parameter, parameterName, modelName);
    }

    /// <summary>
    /// Throws unless <paramref name="labels"/> are class labels for the examples of <paramref name="input"/>: an
    /// integer tensor [batch] on the input's device, one label per row of the input ([..., batch, features]), each in
    /// [0, <paramref name="classes"/>). The range is a data check: it reads the labels.
    /// </summary>
    /// <param name="labels">The class labels to check.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="input">The examples (or latent points) the labels go with, already checked against the model's parameters.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The labels are not integers of shape [batch], do not pair with the input, are on another device, or one is out of range.</exception>
    public static void RequireClassLabels(Tensor labels, int classes, Tensor input, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(labels, parameterName);
        RequireLabelForm(labels, parameterName, modelName);
        RequireRows(labels.shape, labels.shape, input, parameterName, modelName);
        RequireSameDevice(labels, input, parameterName, modelName);
        RequireClassLabels(labels, classes, parameterName, modelName);
    }

    /// <summary>
    /// Throws unless <paramref name="condition"/> is a feature condition for the examples of <paramref name="input"/>:
    /// shape [batch, <paramref name="features"/>] (or any [..., <paramref name="features"/>] whose leading dimensions end
    /// the input's), in the input's dtype and on its device. Reads metadata only.
    /// </summary>
    /// <param name="condition">The condition features to check.</param>
    /// <param name="features">The declared width of the condition.</param>
    /// <param name="input">The examples (or latent points) the condition goes with, already checked against the model's parameters.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The width, the pairing with the input, the dtype or the device is wrong.</exception>
    public static void RequireFeatureCondition(Tensor condition, long features, Tensor input, string parameterName, string modelName)
    {
        RequireLastDimension(condition, features, parameterName, modelName);
        var shape = condition.shape;
        RequireRows(shape.AsSpan(0, shape.Length - 1), shape, input, parameterName, modelName);
        RequireLike(condition, input, parameterName, modelName);
    }

    /// <summary>Throws when any value of <paramref name="tensor"/> lies outside [0, 1] (or is NaN): Bernoulli targets must be probabilities.</summary>
    /// <param name="tensor">The targets to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">A value is below 0, above 1 or NaN.</exception>
    public static void RequireUnitInterval(Tensor tensor, string parameterName, string modelName) =>
        RequireUnitInterval(tensor, parameterName, modelName, "Bernoulli");

    /// <summary>
    /// Throws when any value of <paramref name="tensor"/> lies outside [0, 1] (or is NaN), as the support of the
    /// <paramref name="likelihood"/> likelihood requires.
    /// </summary>
    /// <param name="tensor">The targets to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <param name="likelihood">The likelihood's name, for the message: "Bernoulli", "Continuous Bernoulli".</param>
    /// <exception cref="ArgumentException">A value is below 0, above 1 or NaN; the message names the first one and where it is.</exception>
    public static void RequireUnitInterval(Tensor tensor, string parameterName, string modelName, string likelihood)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        // NaN fails both comparisons, so it counts as a violation without a mask of its own.
        var violations = tensor.ge(CachedScalars.Zero).logical_and_(tensor.le(CachedScalars.One)).logical_not_();
        if (FirstViolation(violations) is not { } position) return;
        var value = ValueAt(tensor, position);
        var range = Range(tensor) is { } bounds
            ? $" Its values range from {Format(bounds.Low, tensor)} to {Format(bounds.High, tensor)}{(double.IsNaN(value) || HasNaN(tensor) ? ", not counting NaN" : string.Empty)}."
            : string.Empty;
        var fix = double.IsNaN(value)
            ? "Replace the missing (NaN) values, and scale the data to [0, 1] (pixels: divide by 255)."
            : "Scale the data to [0, 1] (pixels: divide by 255).";
        throw new ArgumentException(
            $"{modelName} has a {likelihood} likelihood, so {parameterName} must hold values in [0, 1], but {Element(parameterName, position)} is {Format(value, tensor)}.{range} {fix}",
            parameterName);
    }

    /// <summary>
    /// Throws unless every value of <paramref name="tensor"/> is one of the <paramref name="levels"/> Categorical levels
    /// k / (levels - 1) for an integer k in [0, levels - 1], to within 1e-3 of a level on the k scale: level k of 8-bit
    /// pixels is pixel / 255, with 256 levels.
    /// </summary>
    /// <param name="tensor">The observations to check.</param>
    /// <param name="levels">The number of levels L; at least 2.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="levels"/> is below 2.</exception>
    /// <exception cref="ArgumentException">A value is not a level, or is NaN; the message names the first one and where it is.</exception>
    public static void RequireLevels(Tensor tensor, int levels, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        if (levels < 2)
            throw new ArgumentOutOfRangeException(nameof(levels), levels, "A Categorical likelihood needs at least two levels.");
        if (tensor.numel() == 0) return;
        var top = levels - 1;
        using var scope = NewDisposeScope();
        using var topScalar = ((double)top).ToScalar();
        using var tolerance = LevelTolerance.ToScalar();
        var scaled = tensor.mul(topScalar);
        var offLevel = scaled.sub(scaled.round()).abs_().le(tolerance);
        var violations = tensor.ge(CachedScalars.Zero).logical_and_(tensor.le(CachedScalars.One)).logical_and_(offLevel).logical_not_();
        if (FirstViolation(violations) is not { } position) return;
        var value = ValueAt(tensor, position);
        var shown = Format(value, tensor);
        string detail, fix;
        if (double.IsNaN(value))
        {
            detail = shown;
            fix = $"Replace the missing (NaN) values, then quantize the data: round(x * {top}) / {top}.";
        }
        else
        {
            // From the value as shown, so the product is the one the reader would compute.
            var product = double.Parse(shown, CultureInfo.InvariantCulture) * top;
            detail = $"{shown} (x {top} = {product.ToString("0.####", CultureInfo.InvariantCulture)})";
            fix = value is >= 0 and <= 1
                ? $"Quantize the data: round(x * {top}) / {top}."
                : $"Scale the data to [0, 1] and quantize it: round(x * {top}) / {top} (8-bit pixels: divide by 255).";
        }
        throw new ArgumentException(
            $"{modelName} has a Categorical likelihood over {levels} levels, so {parameterName} must hold values k/{top} for integer k in [0, {top}], but {Element(parameterName, position)} is {detail}. {fix}",
            parameterName);
    }

    /// <summary>Throws unless every value of <paramref name="tensor"/> is a finite, non-negative integer: a Poisson count.</summary>
    /// <param name="tensor">The counts to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">A value is negative, fractional, infinite or NaN; the message names the first one and where it is.</exception>
    public static void RequireCounts(Tensor tensor, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        var valid = tensor.ge(CachedScalars.Zero);
        // Integer tensors hold integers; infinities equal their own rounding, so finiteness is a rule of its own.
        if (tensor.is_floating_point()) valid.logical_and_(tensor.isfinite()).logical_and_(tensor.eq(tensor.round()));
        if (FirstViolation(valid.logical_not_()) is not { } position) return;
        var value = ValueAt(tensor, position);
        var fix = double.IsNaN(value) || double.IsInfinity(value)
            ? "Replace the missing or overflowed values with counts."
            : "Pass the raw event counts, not rates, normalized or log-transformed values.";
        throw new ArgumentException(
            $"{modelName} has a Poisson likelihood, so {parameterName} must hold finite non-negative integer counts, but {Element(parameterName, position)} is {Format(value, tensor)}. {fix}",
            parameterName);
    }

    /// <summary>Throws when any value of <paramref name="tensor"/> is NaN or infinite, which no Gaussian or Laplace likelihood can score.</summary>
    /// <param name="tensor">The observations to check.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message names the first one and where it is.</exception>
    public static void RequireFinite(Tensor tensor, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(tensor, parameterName);
        if (tensor.numel() == 0) return;
        using var scope = NewDisposeScope();
        if (FirstViolation(tensor.isfinite().logical_not_()) is not { } position) return;
        var value = ValueAt(tensor, position);
        throw new ArgumentException(
            $"{modelName} needs finite values in {parameterName}, but {Element(parameterName, position)} is {Format(value, tensor)}. Replace missing (NaN) values and check the data for overflow (infinity).",
            parameterName);
    }

    /// <summary>Throws unless <paramref name="labels"/> is an integer tensor [batch] of values in [0, <paramref name="classes"/>).</summary>
    /// <param name="labels">The class labels to check.</param>
    /// <param name="classes">The number of classes.</param>
    /// <param name="parameterName">The caller's parameter name, for the message.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">The labels are not integers of shape [batch], or one is out of range; the message gives it and its index.</exception>
    public static void RequireClassLabels(Tensor labels, int classes, string parameterName, string modelName)
    {
        ArgumentNullException.ThrowIfNull(labels, parameterName);
        RequireLabelForm(labels, parameterName, modelName);
        if (labels.numel() == 0) return;
        using var scope = NewDisposeScope();
        using var limit = classes.ToScalar();
        if (FirstViolation(labels.lt(Maths.CachedScalars.Zero).logical_or_(labels.ge(limit))) is not { } position) return;
        throw new ArgumentException(
            string.Create(CultureInfo.InvariantCulture,
                $"{modelName} has {classes} classes, so every label must be in [0, {classes - 1}], but {Element(parameterName, position)} is {(long)ValueAt(labels, position)}."),
            parameterName);
    }

    private static void RequireLabelForm(Tensor labels, string parameterName, string modelName)
    {
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte) || labels.dim() != 1)
            throw new ArgumentException(
                $"{modelName} is conditioned on a class label, so {parameterName} must be an integer tensor of shape [batch], but it is {labels.dtype} of shape {ShapeText.Of(labels.shape)}.",
                parameterName);
    }

    /// <summary>
    /// Throws unless <paramref name="rows"/> (a condition's shape without its feature dimension) ends the input's
    /// shape without its feature dimension: one condition per example, repeated over any leading dimensions the input
    /// has beyond them (such as samples of z). This is what Conditioning.Append can concatenate.
    /// </summary>
    private static void RequireRows(ReadOnlySpan<long> rows, long[] shape, Tensor input, string parameterName, string modelName)
    {
        var inputShape = input.shape;
        var inputRows = inputShape.AsSpan(0, Math.Max(0, inputShape.Length - 1));
        if (rows.Length <= inputRows.Length && inputRows[^rows.Length..].SequenceEqual(rows)) return;
        throw new ArgumentException(
            $"{modelName} needs one {parameterName} per example, but {parameterName} has shape {ShapeText.Of(shape)} and the examples it goes with have shape {ShapeText.Of(inputShape)}.",
            parameterName);
    }

    /// <summary>Throws unless <paramref name="tensor"/> has the dtype and device of <paramref name="parameter"/>, with a message that says how to make it so.</summary>
    private static void RequireLike(Tensor tensor, Tensor parameter, string parameterName, string modelName)
    {
        var (dtype, expected) = (tensor.dtype, parameter.dtype);
        if (dtype != expected)
        {
            var fix = tensor.is_floating_point()
                ? $"Convert it with {parameterName}.to(ScalarType.{expected}), or convert the model with model.to(ScalarType.{dtype})."
                : $"It is {(dtype == ScalarType.Bool ? "a Boolean" : tensor.is_complex() ? "a complex" : "an integer")} tensor, and the model computes in floating point: convert it with {parameterName}.to(ScalarType.{expected}).";
            throw new ArgumentException(
                $"{modelName}'s parameters are {expected}, so {parameterName} must be {expected} too, but {parameterName} is {dtype}. {fix}",
                parameterName);
        }
        RequireSameDevice(tensor, parameter, parameterName, modelName);
    }

    private static void RequireSameDevice(Tensor tensor, Tensor parameter, string parameterName, string modelName)
    {
        if (tensor.device_type == parameter.device_type && tensor.device_index == parameter.device_index) return;
        var (device, expected) = (tensor.device.ToString(), parameter.device.ToString());
        throw new ArgumentException(
            $"{modelName}'s parameters are on {expected}, so {parameterName} must be too, but {parameterName} is on {device}. Move it with {parameterName}.to(\"{expected}\"), or move the model with model.to(torch.device(\"{device}\")).",
            parameterName);
    }

    /// <summary>
    /// The position (one index per dimension) of the first true element of <paramref name="violations"/> in row-major
    /// order, or null when none is true. One copy to the host: the mask's maximum and its first index, stacked.
    /// </summary>
    private static long[]? FirstViolation(Tensor violations)
    {
        using var scope = NewDisposeScope();
        // Bytes, not bools: max over a dimension returns the first index of the maximum, and uint8 reductions are everywhere.
        var (maximum, index) = violations.flatten().to_type(ScalarType.Byte).max(0);
        var pair = stack(new[] { maximum.to_type(ScalarType.Int64), index }).cpu().data<long>().ToArray();
        if (pair[0] == 0) return null;
        var shape = violations.shape;
        var position = new long[shape.Length];
        var flat = pair[1];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            position[d] = flat % shape[d];
            flat /= shape[d];
        }
        return position;
    }

    /// <summary>The smallest and largest non-NaN values, or null when every value is NaN.</summary>
    private static (double Low, double High)? Range(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        using var positiveInfinity = double.PositiveInfinity.ToScalar();
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        var nan = tensor.isnan();
        var low = tensor.masked_fill(nan, positiveInfinity).min().ReadDouble();
        var high = tensor.masked_fill(nan, negativeInfinity).max().ReadDouble();
        return low <= high ? (low, high) : null;
    }

    private static bool HasNaN(Tensor tensor)
    {
        using var nan = tensor.isnan();
        using var any = nan.any();
        return any.ReadBoolean();
    }

    /// <summary>The value at <paramref name="position"/>, as a double; a scalar tensor has the empty position.</summary>
    private static double ValueAt(Tensor tensor, long[] position)
    {
        if (position.Length == 0) return tensor.ReadDouble();
        using var element = tensor[position];
        return element.ReadDouble();
    }

    /// <summary>"data[3, 17]": the element at <paramref name="position"/>, as the reader would index it.</summary>
    private static string Element(string parameterName, long[] position) =>
        position.Length == 0 ? parameterName : $"{parameterName}{ShapeText.Of(position)}";

    /// <summary>
    /// The shortest text that round-trips the value at the tensor's own precision, so a float32 0.5012 reads 0.5012 and
    /// not 0.50120002031326294.
    /// </summary>
    private static string Format(double value, Tensor tensor) =>
        tensor.dtype is ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16
            ? ((float)value).ToString(CultureInfo.InvariantCulture)
            : value.ToString(CultureInfo.InvariantCulture);
}
