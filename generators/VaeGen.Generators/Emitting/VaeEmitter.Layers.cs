using System.Globalization;
using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>The layers: fields and the constructor that builds them, with every inferred shape written beside its layer.</summary>
    private sealed partial class ModelText
    {
        private void WriteFields(SourceWriter writer)
        {
            writer.Line("// The layers. RegisterComponents names parameters after these fields, e.g. \"encoderMu.weight\".");
            if (HasEncoderConvs) writer.Line($"private readonly {Modules}.Sequential encoderConv;");
            if (HasEncoderLayers) writer.Line($"private readonly {Modules}.Sequential encoder;");
            writer.Line($"private readonly {Modules}.Linear encoderMu;");
            writer.Line($"private readonly {Modules}.Linear encoderLogVar;");
            if (HasDecoderLayers) writer.Line($"private readonly {Modules}.Sequential decoder;");
            if (HasDecoderConvs)
            {
                writer.Line($"private readonly {Modules}.Sequential decoderProjection;");
                writer.Line($"private readonly {Modules}.Sequential decoderConv;");
            }
            else
            {
                writer.Line($"private readonly {Modules}.Linear {likelihood.LocationField};");
                if (Learned) writer.Line($"private readonly {Modules}.Linear {likelihood.SecondField};");
            }
            if (posterior.Field is { } flow) writer.Line(flow);
            if (prior.Field is { } priorField) writer.Line(priorField);
            if (spec.Scaled) writer.Line($"private readonly {Scaler} featureScaling;");
            writer.Line();
        }

        private void WriteConstructor(SourceWriter writer)
        {
            writer.Line("/// <summary>Creates the layers with TorchSharp's default initialization and registers them as submodules.</summary>");
            writer.Line(generatedCode);
            writer.Line($"public {name}() : base(\"{plainName}\")");
            using (writer.Block())
            {
                var conditionWidth = spec.Condition?.Size ?? 0;
                var encoderInput = spec.EncoderFeatures;
                if (HasEncoderConvs) WriteConvStack(writer, "encoderConv", transposed: false);
                if (Conditional) writer.Line($"// The condition's {conditionWidth} features join the encoder's {encoderInput}.");
                var encoderWidth = WriteHiddenStack(writer, "encoder", encoderInput + conditionWidth, spec.Encoder);
                writer.Line($"encoderMu = {Nn}.Linear({encoderWidth}, {spec.LatentSize});");
                writer.Line($"encoderLogVar = {Nn}.Linear({encoderWidth}, {spec.LatentSize});");
                if (Conditional) writer.Line($"// The condition's {conditionWidth} features join z's {spec.LatentSize}.");
                var decoderWidth = WriteHiddenStack(writer, "decoder", spec.LatentSize + conditionWidth, spec.Decoder);
                if (HasDecoderConvs)
                {
                    var start = spec.DecoderConvs[0].Input;
                    writer.Line($"// {decoderWidth} -> {start.Size}, read as {start} feature maps: where the encoder's convolutions ended.");
                    writer.Line($"decoderProjection = {Nn}.Sequential(");
                    using (writer.Indent())
                    {
                        writer.Line($"(\"linear\", {Nn}.Linear({decoderWidth}, {start.Size})),");
                        writer.Line($"{ActivationEntry(spec.Decoder.Activation, string.Empty)});");
                    }
                    WriteConvStack(writer, "decoderConv", transposed: true);
                }
                else
                {
                    var outputs = spec.InputSize * (likelihood.PerLevel ? 256 : 1);
                    if (likelihood.PerLevel) writer.Line($"// 256 logits per feature: {spec.InputSize} x 256 = {outputs} outputs.");
                    writer.Line($"{likelihood.LocationField} = {Nn}.Linear({decoderWidth}, {outputs});");
                    if (Learned) writer.Line($"{likelihood.SecondField} = {Nn}.Linear({decoderWidth}, {spec.InputSize});");
                }
                if (posterior.Construction is { } flow) writer.Line(flow);
                if (prior.Construction is { } priorConstruction) writer.Line(priorConstruction);
                if (spec.Scaled)
                    writer.Line($"featureScaling = new {Scaler}(\"featureScaling\", global::VaeGen.FeatureScaling.{spec.Scaling}, InputSize); // identity until fitted");
                writer.Line("RegisterComponents();");
            }
            writer.Line();
        }

        /// <summary>Writes the Sequential of hidden layers, if any, and returns the width it ends with.</summary>
        private static int WriteHiddenStack(SourceWriter writer, string field, int inputWidth, LayerStack stack)
        {
            if (stack.HiddenSizes.Count == 0) return inputWidth;
            writer.Line($"{field} = {Nn}.Sequential(");
            using (writer.Indent())
            {
                var width = inputWidth;
                for (var i = 0; i < stack.HiddenSizes.Count; i++)
                {
                    var size = stack.HiddenSizes[i];
                    var last = i == stack.HiddenSizes.Count - 1;
                    writer.Line($"(\"linear{i + 1}\", {Nn}.Linear({width}, {size})),");
                    writer.Line($"{ActivationEntry(stack.Activation, i + 1)}{(last ? ");" : ",")}");
                    width = size;
                }
                return width;
            }
        }

        /// <summary>
        /// Writes a Sequential of convolutions (or transposed convolutions), each preceded by a comment with the shape it
        /// takes and gives and the arithmetic behind it. The decoder's last layer is widened to the likelihood's outputs
        /// per pixel and has no activation.
        /// </summary>
        private void WriteConvStack(SourceWriter writer, string field, bool transposed)
        {
            var layers = transposed ? spec.DecoderConvs : spec.EncoderConvs;
            writer.Line($"{field} = {Nn}.Sequential(");
            using (writer.Indent())
            {
                for (var i = 0; i < layers.Count; i++)
                {
                    var layer = layers[i];
                    var last = i == layers.Count - 1;
                    var outChannels = transposed ? spec.DecoderConvOutChannels(i) : layer.OutChannels;
                    writer.Line($"// {layer.Input} -> {layer.Output}: {SizeArithmetic(layer, transposed)}");
                    if (transposed && last && likelihood.PerFeature > 1)
                        writer.Line($"// {Count(layer.OutChannels, "image channel")} x {likelihood.PerFeature} likelihood outputs per pixel = {outChannels} channels.");
                    var call = transposed
                        ? $"{Nn}.ConvTranspose2d({layer.Input.Channels}, {outChannels}, {layer.KernelSize}, stride: {layer.Stride}, padding: {layer.Padding}, output_padding: {layer.OutputPadding})"
                        // A long padding: an int 0 would also convert to TorchSharp's Padding enum and make the call ambiguous.
                        : $"{Nn}.Conv2d({layer.Input.Channels}, {outChannels}, {layer.KernelSize}, stride: {layer.Stride}, padding: {layer.Padding}L)";
                    var close = last && layer.Activation is null ? ");" : ",";
                    writer.Line($"(\"{(transposed ? "deconv" : "conv")}{i + 1}\", {call}){close}");
                    if (layer.Activation is { } activation)
                        writer.Line($"{ActivationEntry(activation, i + 1)}{(last ? ");" : ",")}");
                }
            }
        }

        /// <summary>PyTorch's size rule with this layer's numbers, for the height (and the width when it differs).</summary>
        private static string SizeArithmetic(ConvLayer layer, bool transposed)
        {
            string Rule(int input, int output) => transposed
                ? string.Format(CultureInfo.InvariantCulture, "({0} - 1) * {1} - 2 * {2} + {3} + {4} = {5}",
                    input, layer.Stride, layer.Padding, layer.KernelSize, layer.OutputPadding, output)
                : string.Format(CultureInfo.InvariantCulture, "floor(({0} + 2 * {1} - {2}) / {3}) + 1 = {4}",
                    input, layer.Padding, layer.KernelSize, layer.Stride, output);
            var height = Rule(layer.Input.Height, layer.Output.Height);
            return layer.Input.Height == layer.Input.Width ? height : $"height {height}, width {Rule(layer.Input.Width, layer.Output.Width)}";
        }
    }
}
