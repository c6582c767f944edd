using System.Collections.Generic;
using System.Globalization;
using VaeGen.Generators.Model;
using static VaeGen.Generators.Diagnostics.DiagnosticDescriptors;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Validation;

/// <summary>
/// Works out the shape of every convolutional layer at compile time with PyTorch's formulas, and reports the first layer
/// where a declaration stops making sense: an argument out of range, an empty output, or a decoder that does not give
/// back the input image.
/// </summary>
internal static class ShapeInference
{
    /// <summary>
    /// The encoder's convolutions with their shapes: out = floor((in + 2 * padding - kernel) / stride) + 1 per side.
    /// Null when a layer is invalid (its diagnostic is added).
    /// </summary>
    public static List<ConvLayer>? Encoder(ImageShape input, EquatableArray<ConvLayerDeclaration> layers, string model, List<DiagnosticInfo> diagnostics) =>
        Infer(input, layers, transposed: false, model, diagnostics);

    /// <summary>
    /// The decoder's transposed convolutions from the encoder's last shape:
    /// out = (in - 1) * stride - 2 * padding + kernel + outputPadding per side. The last layer's channels must be the
    /// image's and its size the input's; otherwise the message names the layer where decoder and encoder part ways.
    /// </summary>
    public static List<ConvLayer>? Decoder(
        ImageShape input, IReadOnlyList<ConvLayer> encoder, EquatableArray<ConvLayerDeclaration> layers, string model, List<DiagnosticInfo> diagnostics)
    {
        var result = Infer(encoder[encoder.Count - 1].Output, layers, transposed: true, model, diagnostics);
        if (result is null) return null;
        var shape = result[result.Count - 1].Output;
        if (shape.Equals(input)) return result;
        var (culprit, explanation, outputPadding) = Divergence(input, encoder, result, layers);
        var diagnostic = DiagnosticInfo.Create(DecoderShapeMismatch, culprit, model, shape, input, explanation);
        // The code fix sets the output padding that closes the gap, when one does.
        diagnostics.Add(outputPadding is { } value ? diagnostic.WithProperty(OutputPaddingProperty, value.ToString(CultureInfo.InvariantCulture)) : diagnostic);
        return null;
    }

    /// <summary>
    /// The layers from <paramref name="start"/>, each checked and its output worked out with PyTorch's rule for a
    /// convolution or a transposed one; null after the first layer that cannot work (its diagnostic added). An empty map
    /// is blamed on the kernel of a convolution and the padding of a transposed one. The decoder's last layer gives the
    /// likelihood's parameters, so it has no activation.
    /// </summary>
    private static List<ConvLayer>? Infer(
        ImageShape start, EquatableArray<ConvLayerDeclaration> layers, bool transposed, string model, List<DiagnosticInfo> diagnostics)
    {
        var result = new List<ConvLayer>();
        var shape = start;
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var name = transposed ? $"transposed convolution {i + 1}" : $"encoder convolution {i + 1}";
            if (!CheckArguments(layer, name, model, transposed, diagnostics, out var activation)) return null;
            var (k, s, p, op) = (layer.KernelSize.Value, layer.Stride.Value, layer.Padding.Value, transposed ? layer.OutputPadding.Value : 0);
            long Size(int size) => transposed ? ((long)size - 1) * s - 2L * p + k + op : FloorDivide((long)size + 2L * p - k, s) + 1;
            var (height, width) = (Size(shape.Height), Size(shape.Width));
            if (height < 1 || width < 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(ConvShapeNotPositive, transposed ? layer.Padding.Location : layer.KernelSize.Location, model,
                    Capitalize(name), shape, $"{layer.OutChannels.Value}x{height}x{width}", k, s, p));
                return null;
            }
            var output = Shape(layer.OutChannels.Value, height, width, $"the output of {name}", layer.Location, model, diagnostics);
            if (output is null) return null;
            var last = i == layers.Count - 1;
            result.Add(new ConvLayer(layer.OutChannels.Value, k, s, p, op, transposed && last ? null : activation, shape, output));
            shape = output;
        }
        return result;
    }

    /// <summary>The VAE0029 property that carries the output padding that would make the decoder reach the input size.</summary>
    public const string OutputPaddingProperty = "OutputPadding";

    /// <summary>Where the decoder parts ways with the input, a sentence that says how, and the output padding that would fix it, if one would.</summary>
    private static (LocationInfo? Location, string Explanation, int? OutputPadding) Divergence(
        ImageShape input, IReadOnlyList<ConvLayer> encoder, List<ConvLayer> decoder, EquatableArray<ConvLayerDeclaration> layers)
    {
        var lastIndex = decoder.Count - 1;
        var last = decoder[lastIndex];
        if (last.Output.Height == input.Height && last.Output.Width == input.Width)
        {
            return (layers[lastIndex].OutChannels.Location,
                $"the last transposed convolution has {last.OutChannels} out-channels, and it must have the image's {input.Channels} (VaeGen widens it to the likelihood's parameters per pixel)", null);
        }

        // A decoder that mirrors the encoder layer for layer should reach, after layer i, the size encoder layer n - i took.
        if (decoder.Count == encoder.Count)
        {
            for (var i = 0; i < decoder.Count; i++)
            {
                var expected = encoder[encoder.Count - 1 - i].Input;
                var actual = decoder[i].Output;
                if (actual.Height == expected.Height && actual.Width == expected.Width) continue;
                var outputPadding = ClosingOutputPadding(decoder[i], expected);
                var hint = outputPadding is { } value ? string.Format(CultureInfo.InvariantCulture, " (outputPadding: {0} would reach it)", value) : string.Empty;
                return (layers[i].Location,
                    $"they diverge at transposed convolution {i + 1}, which gives {actual.Height}x{actual.Width} where encoder convolution {encoder.Count - i} takes {expected.Height}x{expected.Width}{hint}",
                    outputPadding);
            }
        }
        return (layers[lastIndex].Location,
            $"the last transposed convolution ends at {last.Output.Height}x{last.Output.Width}; change a kernel, stride, padding or output padding so it reaches {input.Height}x{input.Width}", null);
    }

    /// <summary>The output padding that would close a gap smaller than the stride, the usual slip after a strided layer; null when none would.</summary>
    private static int? ClosingOutputPadding(ConvLayer layer, ImageShape expected)
    {
        var gap = expected.Height - layer.Output.Height;
        return gap > 0 && gap == expected.Width - layer.Output.Width && layer.OutputPadding + gap < layer.Stride
            ? layer.OutputPadding + gap
            : null;
    }

    private static bool CheckArguments(
        ConvLayerDeclaration layer, string name, string model, bool transposed, List<DiagnosticInfo> diagnostics, out ActivationKind activation)
    {
        var before = diagnostics.Count;
        Require(layer.OutChannels, "out-channels", 1, "at least 1");
        Require(layer.KernelSize, "kernel size", 1, "at least 1");
        Require(layer.Stride, "stride", 1, "at least 1");
        Require(layer.Padding, "padding", 0, "0 or more");
        if (transposed)
        {
            var op = layer.OutputPadding;
            if (op.Value < 0 || (layer.Stride.Value >= 1 && op.Value >= layer.Stride.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(ConvArgumentOutOfRange, op.Location, model, name, "output padding", op.Value,
                    $"0 or more and less than the stride ({layer.Stride.Value}), as PyTorch requires"));
            }
        }

        EnumArguments.TryRead(layer.Activation, ActivationKind.ReLU,
            a => DiagnosticInfo.Create(UnknownActivation, a.Location, model, a.Value, name), diagnostics, out activation);
        return diagnostics.Count == before;

        void Require(Argument<int> argument, string what, int minimum, string rule)
        {
            if (argument.Value < minimum)
                diagnostics.Add(DiagnosticInfo.Create(ConvArgumentOutOfRange, argument.Location, model, name, what, argument.Value, rule));
        }
    }

    /// <summary>A shape whose size fits an int, or null with a diagnostic.</summary>
    public static ImageShape? Shape(long channels, long height, long width, string what, LocationInfo? location, string model, List<DiagnosticInfo> diagnostics)
    {
        var size = (decimal)channels * height * width;
        if (height > int.MaxValue || width > int.MaxValue || size > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(SizeOverflow, location, model, $"{what} ({channels}x{height}x{width})",
                size.ToString(CultureInfo.InvariantCulture), "a 32-bit int"));
            return null;
        }
        return new ImageShape((int)channels, (int)height, (int)width);
    }

    private static long FloorDivide(long numerator, long denominator) =>
        numerator >= 0 ? numerator / denominator : -((-numerator + denominator - 1) / denominator);
}
