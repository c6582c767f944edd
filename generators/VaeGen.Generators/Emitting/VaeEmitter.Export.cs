using System.Collections.Generic;
using System.Linq;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>
    /// ExportOnnx: the encoder, decoder, scoring and prior graphs, described to VaeGen.Export's builder layer by layer from the
    /// layer plan (the modules and their state_dict names) and the spec (activations, convolution settings, likelihood,
    /// prior and flow), in the order the TorchSharp passes run them.
    /// </summary>
    private sealed partial class ModelText
    {
        private const string Export = "global::VaeGen.Export";

        /// <summary>The decoder graph's outputs: the likelihood's parameters, then the mean unless a parameter is the mean.</summary>
        private IReadOnlyList<(string Name, string Value, string Shape)> DecoderOutputs()
        {
            var location = likelihood.LocationLocal;
            var locationShape = likelihood.PerLevel ? "InputSize, 256" : "InputSize";
            // A scaled model's parameters describe the scaled features; its mean is given back in raw units, so a location
            // that is the mean is output twice: as scaled_mean, the parameter, and as mean, restored.
            var locationName = spec.Scaled && likelihood.Location == "Mean" ? "scaled_mean" : LikelihoodText.OnnxName(likelihood.Location);
            var outputs = new List<(string, string, string)> { (locationName, location, locationShape) };
            if (likelihood.Second is { } second) outputs.Add((LikelihoodText.OnnxName(second), likelihood.SecondLocal!, "InputSize"));
            var mean = likelihood.OnnxMean("decoderGraph") ?? location;
            if (spec.Scaled) outputs.Add(("mean", $"decoderGraph.RestoreFeatures({mean}, featureScaling)", "InputSize"));
            else if (likelihood.Location != "Mean") outputs.Add(("mean", mean, "InputSize"));
            return outputs;
        }

        private string Shape(string trailing) => $"[batch, {trailing}]";

        private void WriteExportOnnx(SourceWriter writer)
        {
            var condition = spec.Condition switch
            {
                { IsClassLabel: true } => ", condition [batch] (int64 class labels, one-hot in the graph; a label outside [0, ConditionSize) gives a zero row)",
                { } => $", condition [batch, {spec.Condition.Size}]",
                _ => string.Empty,
            };
            var given = Conditional ? ", c" : string.Empty;
            var decoderOutputs = string.Join(", ", DecoderOutputs().Select(o => $"{o.Name} {Shape(o.Shape.Replace("InputSize", spec.InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture)))}"));
            var draw = posterior.HasFlow ? "z = f(mu + exp(0.5 log_var) eps), f the flow" : "z = mu + exp(0.5 log_var) eps";
            var encoderText = $"x [batch, {spec.InputSize}]{condition} -> mu, log_var [batch, {spec.LatentSize}]: the Gaussian q(z|x{given}) = N(mu, diag(exp(log_var))){(posterior.HasFlow ? " before the flow" : string.Empty)}";
            var decoderText = $"z [batch, {spec.LatentSize}]{condition} -> {decoderOutputs}: the parameters of p(x|z{given}) as Decode returns them, and its mean ({likelihood.MeanDescription})";
            var priorText = $"eps [batch, {spec.LatentSize}]{prior.OnnxSampleInputs} -> z [batch, {spec.LatentSize}]: a draw from {prior.Named}";
            var scoreText = $"x [batch, {spec.InputSize}]{condition}, eps [batch, {spec.LatentSize}] -> negative_elbo [batch] = -(log p(x|z{given}) + log p(z) - log q(z|x{given})) in nats at {draw}";
            writer.Lines($$"""
                /// <summary>
                /// Writes four ONNX graphs to <paramref name="directory"/> (opset {{OnnxOpset}}, float32, any batch size), described from the
                /// layers, not traced, with the current parameters as initializers under their state_dict names. They compute what
                /// this model's methods compute, to float32 rounding:
                /// <list type="bullet">
                /// <item><description>encoder.onnx: {{encoderText}}.</description></item>
                /// <item><description>decoder.onnx: {{decoderText}}.</description></item>
                /// <item><description>score.onnx: {{scoreText}}; a one-sample -ELBO at eps ~ N(0, I), a deterministic anomaly score at eps = 0.</description></item>
                /// <item><description>prior.onnx: {{priorText}}; decode its z as <see cref="Sample"/> does.</description></item>
                /// </list>
                /// </summary>
                /// <param name="directory">The folder, created when missing; files of the same names are replaced.</param>
                /// <returns>The full paths of the four files.</returns>
                /// <exception cref="global::System.IO.IOException">The folder or a file cannot be written; the message names it. Each file is written whole or not at all.</exception>
                {{generatedCode}}
                public {{Export}}.OnnxFiles ExportOnnx(string directory)
                {
                """);
            using (writer.Indent())
            {
                if (spec.Scaled) writer.Line($"featureScaling.RequireFitted(\"{plainName}\");");
                writer.Line($"var export = new {Export}.OnnxExport(this, \"{spec.MetadataName}\", Architecture);");
                writer.Line();
                prior.WriteOnnxConstants(writer);
                WriteEncoderGraph(writer, encoderText);
                writer.Line();
                WriteDecoderGraph(writer, decoderText);
                writer.Line();
                WriteScoreGraph(writer, scoreText);
                writer.Line();
                writer.Line($"var priorGraph = export.Graph(\"prior\", \"{Escape(priorText)}\");");
                writer.Line("var priorEps = priorGraph.Input(\"eps\", LatentSize);");
                prior.WriteOnnxSample(writer);
                writer.Line();
                writer.Line("return export.Write(directory, encoderGraph, decoderGraph, scoreGraph, priorGraph);");
                writer.Line();
                WriteEncoderLayers(writer);
                writer.Line();
                WriteDecoderLayers(writer);
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>The opset the builder writes, as a literal for the documentation.</summary>
        private const string OnnxOpset = "17";

        /// <summary>The statement that declares the graph's condition features: encoderCondition for encoderGraph.</summary>
        private void WriteConditionInput(SourceWriter writer, string graph)
        {
            if (spec.Condition is not { } condition) return;
            writer.Line(condition.IsClassLabel
                ? $"var {ConditionLocal(graph)} = {graph}.OneHot({graph}.LabelInput(\"condition\"), ConditionSize);"
                : $"var {ConditionLocal(graph)} = {graph}.Input(\"condition\", ConditionSize);");
        }

        private static string ConditionLocal(string graph) => graph.Replace("Graph", "Condition");

        private string ConditionPass(string graph) => Conditional ? $", {ConditionLocal(graph)}" : string.Empty;

        private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");

        private void WriteEncoderGraph(SourceWriter writer, string description)
        {
            writer.Line($"var encoderGraph = export.Graph(\"encoder\", \"{Escape(description)}\");");
            writer.Line("var encoderInput = encoderGraph.Input(\"x\", InputSize);");
            if (spec.Scaled) writer.Line("var encoderScaled = encoderGraph.ScaleFeatures(encoderInput, featureScaling); // (x - shift) / scale");
            WriteConditionInput(writer, "encoderGraph");
            writer.Line($"var (mu, logVar) = EncoderLayers(encoderGraph, {(spec.Scaled ? "encoderScaled" : "encoderInput")}{ConditionPass("encoderGraph")});");
            writer.Line("encoderGraph.Output(\"mu\", mu, LatentSize);");
            writer.Line("encoderGraph.Output(\"log_var\", logVar, LatentSize);");
        }

        private void WriteDecoderGraph(SourceWriter writer, string description)
        {
            writer.Line($"var decoderGraph = export.Graph(\"decoder\", \"{Escape(description)}\");");
            writer.Line("var decoderInput = decoderGraph.Input(\"z\", LatentSize);");
            WriteConditionInput(writer, "decoderGraph");
            var call = $"DecoderLayers(decoderGraph, decoderInput{ConditionPass("decoderGraph")})";
            writer.Line(Learned
                ? $"var ({likelihood.LocationLocal}, {likelihood.SecondLocal}) = {call};"
                : $"var {likelihood.LocationLocal} = {call};");
            foreach (var (name, value, shape) in DecoderOutputs())
                writer.Line($"decoderGraph.Output(\"{name}\", {value}, {shape});");
        }

        private void WriteScoreGraph(SourceWriter writer, string description)
        {
            writer.Line($"var scoreGraph = export.Graph(\"score\", \"{Escape(description)}\");");
            writer.Line("var x = scoreGraph.Input(\"x\", InputSize);");
            if (spec.Scaled) writer.Line("var scaledX = scoreGraph.ScaleFeatures(x, featureScaling); // (x - shift) / scale");
            var features = spec.Scaled ? "scaledX" : "x";
            WriteConditionInput(writer, "scoreGraph");
            writer.Line("var eps = scoreGraph.Input(\"eps\", LatentSize);");
            writer.Line($"var (scoreMu, scoreLogVar) = EncoderLayers(scoreGraph, {features}{ConditionPass("scoreGraph")});");
            posterior.WriteOnnxDraw(writer);
            prior.WriteOnnxLogProb(writer);
            var call = $"DecoderLayers(scoreGraph, z{ConditionPass("scoreGraph")})";
            var location = "decoded" + likelihood.Location;
            var second = likelihood.Second is { } s ? "decoded" + s : null;
            writer.Line(Learned ? $"var ({location}, {second}) = {call};" : $"var {location} = {call};");
            var (comment, _) = likelihood.LogDensity(features, location, second);
            writer.Line($"// {comment}");
            var density = likelihood.OnnxLogDensity("scoreGraph", features, location, second);
            if (RawUnitsJacobian) writer.Line("// In raw units: log p(x) = log p(scaled x) - sum_j log scale_j (the change of variables).");
            writer.Line($"var logLikelihood = {(RawUnitsJacobian ? $"scoreGraph.RawUnitsLogDensity({density}, featureScaling)" : density)};");
            writer.Line("// -ELBO = -(log p(x|z) + log p(z) - log q(z|x)), one sample.");
            writer.Line("scoreGraph.Output(\"negative_elbo\", scoreGraph.NegativeElbo(logLikelihood, logPrior, logPosterior));");
        }

        /// <summary>The encoder as a static local function: the layer plan's encoder modules in order, as Encode runs them.</summary>
        private void WriteEncoderLayers(SourceWriter writer)
        {
            var layers = spec.Layers.Layers.Where(l => l.Role == LayerRole.Encoder).ToList();
            var heads = layers.Where(l => l.Kind == "Linear").Skip(layers.Count(l => l.Kind == "Linear") - 2).ToList();
            writer.Line($"// {EncoderChain()} -> mu and log-variance ({spec.LatentSize} each): the layers of Encode.");
            writer.Line($"static ({Export}.OnnxValue Mu, {Export}.OnnxValue LogVar) EncoderLayers({Export}.OnnxGraph graph, {Export}.OnnxValue input{(Conditional ? $", {Export}.OnnxValue condition" : string.Empty)})");
            using (writer.Block())
            {
                var current = "input";
                var convs = 0;
                var flattened = false;
                foreach (var layer in layers)
                {
                    if (layer.Kind == "Conv2d")
                    {
                        if (convs == 0)
                        {
                            writer.Line("// [batch, InputSize] as ImageChannels x ImageHeight x ImageWidth maps.");
                            writer.Line("var maps = graph.ToMaps(input, ImageChannels, ImageHeight, ImageWidth);");
                            current = "maps";
                        }
                        var conv = spec.EncoderConvs[convs++];
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}, then {conv.Activation}.");
                        writer.Line($"maps = graph.Activation(graph.Conv2d(maps, \"{layer.Name}\", {conv.KernelSize}, {conv.Stride}, {conv.Padding}), {Activation(conv.Activation!.Value)});");
                        continue;
                    }
                    if (!flattened)
                    {
                        flattened = true;
                        if (convs > 0)
                        {
                            writer.Line("var features = graph.FromMaps(maps);");
                            current = "features";
                        }
                        if (Conditional)
                        {
                            writer.Line("var conditioned = graph.Append(" + current + ", condition);");
                            current = "conditioned";
                        }
                    }
                    if (heads.Contains(layer)) continue;
                    writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}, then {spec.Encoder.Activation}.");
                    writer.Line($"{(current == "hidden" ? string.Empty : "var ")}hidden = graph.Activation(graph.Linear({current}, \"{layer.Name}\"), {Activation(spec.Encoder.Activation)});");
                    current = "hidden";
                }
                writer.Line($"return (graph.Linear({current}, \"{heads[0].Name}\"), graph.Linear({current}, \"{heads[1].Name}\"));");
            }
        }

        /// <summary>
        /// The decoder as a static local function: the layer plan's decoder modules in order, as Decode (or DecodeWith...)
        /// runs them, ending in the likelihood's parameters with the output activation on the location.
        /// </summary>
        private void WriteDecoderLayers(SourceWriter writer)
        {
            var value = $"{Export}.OnnxValue";
            var returns = Learned ? $"({value} {likelihood.Location}, {value} {likelihood.Second})" : value;
            writer.Line($"// {DecoderChain()}: the layers of {(Learned ? likelihood.DecodeBoth : "Decode")}.");
            writer.Line($"static {returns} DecoderLayers({Export}.OnnxGraph graph, {value} latent{(Conditional ? $", {value} condition" : string.Empty)})");
            using (writer.Block())
            {
                var current = "latent";
                if (Conditional)
                {
                    writer.Line("var conditioned = graph.Append(latent, condition);");
                    current = "conditioned";
                }
                var location = likelihood.LocationLocal;
                var second = likelihood.SecondLocal;
                var deconvs = 0;
                foreach (var layer in spec.Layers.Layers.Where(l => l.Role == LayerRole.Decoder))
                {
                    if (layer.Kind == "ConvTranspose2d")
                    {
                        var conv = spec.DecoderConvs[deconvs++];
                        var then = conv.Activation is { } a ? $", then {a}" : ", no activation";
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}{then}.");
                        var call = $"graph.ConvTranspose2d(maps, \"{layer.Name}\", {conv.KernelSize}, {conv.Stride}, {conv.Padding}, {conv.OutputPadding})";
                        writer.Line($"maps = {(conv.Activation is { } activation ? $"graph.Activation({call}, {Activation(activation)})" : call)};");
                        continue;
                    }
                    if (layer.Name.StartsWith("decoder.", System.StringComparison.Ordinal))
                    {
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}, then {spec.Decoder.Activation}.");
                        writer.Line($"{(current == "hidden" ? string.Empty : "var ")}hidden = graph.Activation(graph.Linear({current}, \"{layer.Name}\"), {Activation(spec.Decoder.Activation)});");
                        current = "hidden";
                    }
                    else if (HasDecoderConvs)
                    {
                        // The projection: a linear layer with the decoder's activation, read as the first maps.
                        var start = spec.DecoderConvs[0].Input;
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}, then {spec.Decoder.Activation}, read as {start} maps.");
                        writer.Line($"var projected = graph.Activation(graph.Linear({current}, \"{layer.Name}\"), {Activation(spec.Decoder.Activation)});");
                        writer.Line($"var maps = graph.ToMaps(projected, {start.Channels}, {start.Height}, {start.Width});");
                    }
                    else if (layer.Name == likelihood.LocationField)
                    {
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}{(likelihood.PerLevel ? ", 256 logits per feature" : string.Empty)}.");
                        var head = $"graph.Linear({current}, \"{layer.Name}\")";
                        writer.Line($"var {location} = {(likelihood.PerLevel ? $"graph.PerLevel({head}, InputSize, 256)" : head)};");
                    }
                    else
                    {
                        writer.Line($"// {layer.Name}: {layer.Kind} {layer.Input} -> {layer.Output}.");
                        writer.Line($"var {second} = graph.Linear({current}, \"{layer.Name}\");");
                    }
                }
                if (HasDecoderConvs)
                {
                    var image = spec.Image!;
                    if (Learned)
                    {
                        writer.Line($"// The first {Text.Count(image.Channels, "channel")} hold the {location}, the next {image.Channels} the {likelihood.SecondDescription.TrimEnd('s')}.");
                        writer.Line($"var ({location}, {second}) = graph.SplitMaps(maps, {image.Channels});");
                    }
                    else
                    {
                        writer.Line(likelihood.PerLevel
                            ? $"var {location} = graph.FromMapsPerLevel(maps, {image.Channels}, {image.Height}, {image.Width}, 256);"
                            : $"var {location} = graph.FromMaps(maps);");
                    }
                }
                var result = HasOutputActivation
                    ? $"graph.Activation({location}, {Activation(spec.OutputActivation)})"
                    : location;
                if (HasOutputActivation) writer.Line($"// The output activation, {spec.OutputActivation}, on the {location}.");
                writer.Line(Learned ? $"return ({result}, {second});" : $"return {result};");
            }
        }

        private static string Activation(ActivationKind activation) => $"global::VaeGen.Activation.{activation}";
    }
}
