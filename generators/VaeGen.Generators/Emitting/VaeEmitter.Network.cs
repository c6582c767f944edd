using System.Collections.Generic;
using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>The network's passes: encode, reparameterize, decode, and the forward pass that chains them.</summary>
    private sealed partial class ModelText
    {
        private string ConditionDoc => spec.Condition is { IsClassLabel: true }
            ? $"/// <param name=\"condition\">Class labels, an integer tensor [batch] of values in [0, {spec.Condition.Size}).</param>"
            : $"/// <param name=\"condition\">Condition features, shape [batch, {spec.Condition?.Size}].</param>";

        /// <summary>The documentation of a data set's conditions, one per example.</summary>
        private string ConditionsDoc => ConditionDoc.Replace("name=\"condition\"", "name=\"conditions\"").Replace("[batch", "[count");

        /// <summary>"Given" for a conditional model's private cores, which take the condition as features already made.</summary>
        private string Given => Conditional ? "Given" : string.Empty;

        /// <summary>The condition features a conditional model's cores pass on, empty otherwise.</summary>
        private string FeaturesArgument => Conditional ? ", conditionFeatures" : string.Empty;

        /// <summary>
        /// Opens a network method after its documentation, with the check of its input (<paramref name="width"/> features
        /// in the parameters' dtype and device). A conditional model gets a public method that checks the input and makes
        /// the condition into features, and a private core that takes them, so <c>forward</c> makes them once for both networks.
        /// </summary>
        private void OpenNetworkMethod(SourceWriter writer, string returnType, string name, string input, string width)
        {
            writer.Line(generatedCode);
            if (Conditional)
            {
                writer.Lines($$"""
                    public {{returnType}} {{name}}({{Tensor}} {{input}}, {{Tensor}} condition)
                    {
                        {{InputCheck(input, width)}}
                        using var conditionFeatures = ConditionFeatures(condition, {{input}});
                        return {{name}}Given({{input}}, conditionFeatures);
                    }

                    /// <summary><see cref="{{name}}"/> with the condition already made into features: <see cref="forward"/> makes them once for both networks.</summary>
                    {{generatedCode}}
                    private {{returnType}} {{name}}Given({{Tensor}} {{input}}, {{Tensor}} conditionFeatures)
                    """);
            }
            else
            {
                writer.Line($"public {returnType} {name}({Tensor} {input})");
                writer.Line("{");
                writer.Line($"    {InputCheck(input, width)}");
                return;
            }
            writer.Line("{");
        }

        /// <summary>
        /// The check of a tensor of [..., <paramref name="width"/>] against the parameters: its width, dtype and device.
        /// Metadata only, so every public pass can afford it; encoderMu's weight stands for all the parameters.
        /// </summary>
        private string InputCheck(string tensor, string width, string? parameter = null) =>
            $"{TensorChecks}.RequireInput({tensor}, encoderMu.weight!, {width}, \"{parameter ?? tensor}\", \"{plainName}\");";

        /// <summary>The documented rule <see cref="InputCheck"/> enforces, for an exception tag.</summary>
        private static string InputRule(string parameter, int width) =>
            $"<paramref name=\"{parameter}\"/> is not [..., {width}] in the parameters' dtype and device";

        /// <summary>The documentation of a generator parameter: where the noise comes from.</summary>
        private const string GeneratorDoc = "The random generator to draw from; null uses TorchSharp's global one.";

        /// <summary>The documented rule <see cref="BatchCheck"/> enforces, for an exception tag.</summary>
        private string BatchRule(string parameter, string rows = "batch") =>
            $"<paramref name=\"{parameter}\"/> is not [{rows}, {spec.InputSize}] in the parameters' dtype and device";

        /// <summary>The check of a batch, [batch, InputSize] exactly, against the parameters, as the data-set methods, forward and Loss take it.</summary>
        private string BatchCheck(string tensor, string? parameter = null) =>
            $"{TensorChecks}.RequireBatch({tensor}, encoderMu.weight!, InputSize, \"{parameter ?? tensor}\", \"{plainName}\");";

        /// <summary>
        /// The checks of a data set's conditions against its data, made once before a data-set method starts: the
        /// condition's form, dtype and device, and its values (label range, or finite features).
        /// </summary>
        private string[] ConditionsChecks(string conditions, string data, string parameter) => spec.Condition is { IsClassLabel: true }
            ? [$"{TensorChecks}.RequireClassLabels({conditions}, ConditionSize, {data}, \"{parameter}\", \"{plainName}\");"]
            : [$"{TensorChecks}.RequireFeatureCondition({conditions}, ConditionSize, {data}, \"{parameter}\", \"{plainName}\");",
               $"{TensorChecks}.RequireFinite({conditions}, \"{parameter}\", \"{plainName}\");"];

        /// <summary>
        /// The checks a data-set method (Fit, Evaluate, LatentUsage) makes once before its first batch: the data's shape,
        /// dtype and device, its values against the likelihood and, in a conditional model, the conditions against the data.
        /// </summary>
        private IEnumerable<string> DataSetChecks(string data = "data", string conditions = "conditions", bool fitting = false)
        {
            yield return BatchCheck(data);
            foreach (var check in ValueChecks(data, data, fitting ? ScalingStep.FitWhenNeeded : ScalingStep.RequireFitted)) yield return check;
            if (!Conditional) yield break;
            foreach (var check in ConditionsChecks(conditions, data, conditions)) yield return check;
        }

        /// <summary>The documented rule <see cref="DataSetChecks"/> enforces on a data set named <c>data</c>, for an exception tag.</summary>
        private string DataSetRule =>
            $"{BatchRule("data", "count")}, or holds values the likelihood cannot describe (the message gives the first){(Conditional ? ", or the conditions do not fit" : string.Empty)}";

        private void WriteEncode(SourceWriter writer)
        {
            writer.Line($"/// <summary>The Gaussian posterior {Posterior} = N(mu, diag(exp(logVar))).</summary>");
            writer.Line($"/// <param name=\"x\">Inputs, shape [..., {spec.InputSize}]{(spec.Image is { } image ? $": {image} images, flattened" : string.Empty)}.</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>The posterior means and log-variances, each shape [..., {{spec.LatentSize}}].</returns>
                /// <exception cref="global::System.ArgumentException">{{InputRule("x", spec.InputSize)}}{{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                """);
            OpenNetworkMethod(writer, $"({Tensor} Mu, {Tensor} LogVar)", "Encode", "x", "InputSize");
            using (writer.Indent())
            {
                if (!HasEncoderConvs && !Conditional)
                {
                    if (spec.Scaled) writer.Line(ScaleStatement("using var scaled"));
                    var first = spec.Scaled ? "scaled" : "x";
                    if (HasEncoderLayers) writer.Line($"using var hidden = encoder.forward({first});");
                    var input = HasEncoderLayers ? "hidden" : first;
                    writer.Line($"return (encoderMu.forward({input}), encoderLogVar.forward({input}));");
                }
                else
                {
                    writer.Line($"using var scope = {Torch}.NewDisposeScope();");
                    var current = "x";
                    if (spec.Scaled)
                    {
                        writer.Line(ScaleStatement("var scaled"));
                        current = "scaled";
                    }
                    if (HasEncoderConvs)
                    {
                        var last = spec.EncoderConvs[spec.EncoderConvs.Count - 1].Output;
                        writer.Line($"// [..., {spec.InputSize}] as {spec.Image} maps -> convolutions -> {last} -> [..., {last.Size}]");
                        writer.Line($"var maps = encoderConv.forward({Maths}.ImageLayout.ToMaps({current}, ImageChannels, ImageHeight, ImageWidth));");
                        writer.Line($"var features = {Maths}.ImageLayout.FromMaps(maps, x);");
                        current = "features";
                    }
                    if (Conditional)
                    {
                        writer.Line($"var conditioned = {Maths}.Conditioning.Append({current}, conditionFeatures);");
                        current = "conditioned";
                    }
                    if (HasEncoderLayers)
                    {
                        writer.Line($"var hidden = encoder.forward({current});");
                        current = "hidden";
                    }
                    writer.Line($"return (encoderMu.forward({current}).MoveToOuterDisposeScope(), encoderLogVar.forward({current}).MoveToOuterDisposeScope());");
                }
            }
            writer.Line("}");
            writer.Line();
        }

        private void WriteReparameterize(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>Draws z ~ {{Posterior}} by the reparameterization trick, with fresh noise eps ~ N(0, I) shaped as <paramref name="mu"/>.</summary>
                /// <param name="mu">Posterior means.</param>
                /// <param name="logVar">Posterior log-variances.</param>
                /// <returns>z = mu + exp(0.5 * logVar) * eps, differentiable in mu and logVar.</returns>
                {{generatedCode}}
                public {{Tensor}} Reparameterize({{Tensor}} mu, {{Tensor}} logVar)
                {
                    using var eps = {{Torch}}.randn_like(mu);
                    return Reparameterize(mu, logVar, eps);
                }

                /// <summary>The reparameterization trick with given noise, for reproducible draws.</summary>
                /// <param name="mu">Posterior means.</param>
                /// <param name="logVar">Posterior log-variances.</param>
                /// <param name="eps">Standard normal noise that broadcasts against <paramref name="mu"/>, e.g. [samples, batch, {{spec.LatentSize}}].</param>
                /// <returns>z = mu + exp(0.5 * logVar) * eps, differentiable in mu and logVar.</returns>
                {{generatedCode}}
                public {{Tensor}} Reparameterize({{Tensor}} mu, {{Tensor}} logVar, {{Tensor}} eps) =>
                    {{Maths}}.Reparameterization.Sample(mu, logVar, eps); // z = mu + exp(0.5 * logVar) * eps

                """);
        }

        private void WriteDecode(SourceWriter writer)
        {
            writer.Line($"/// <summary>The decoder: {likelihood.LocationDescription.Replace("p(x|z)", Observation)}.</summary>");
            writer.Line($"/// <param name=\"z\">Latent points, shape [..., {spec.LatentSize}].</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>Shape {{likelihood.LocationShape("...", spec.InputSize)}}.</returns>
                /// <exception cref="global::System.ArgumentException">{{InputRule("z", spec.LatentSize)}}{{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                """);
            OpenNetworkMethod(writer, Tensor, "Decode", "z", "LatentSize");
            WriteDecoderPass(writer, both: false);
            writer.Line("}");
            writer.Line();
            if (Learned) WriteDecodeBoth(writer);
        }

        /// <summary>DecodeWithLogVar or DecodeWithLogScale: both parameters of p(x|z) from one pass.</summary>
        private void WriteDecodeBoth(SourceWriter writer)
        {
            var (what, secondWhat) = ($"{Observation} = {likelihood.LearnedForm}", likelihood.SecondDescription);
            writer.Line($"/// <summary>The decoder with both parameters of {what}, from one pass through its layers.</summary>");
            writer.Line($"/// <param name=\"z\">Latent points, shape [..., {spec.LatentSize}].</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>The {{(likelihood.Location == "Mean" ? "means" : "locations")}} and {{secondWhat}}, each shape [..., {{spec.InputSize}}].</returns>
                /// <exception cref="global::System.ArgumentException">{{InputRule("z", spec.LatentSize)}}{{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                """);
            OpenNetworkMethod(writer, $"({Tensor} {likelihood.Location}, {Tensor} {likelihood.Second})", likelihood.DecodeBoth!, "z", "LatentSize");
            WriteDecoderPass(writer, both: true, secondWhat.TrimEnd('s'));
            writer.Line("}");
            writer.Line();
        }

        /// <summary>
        /// The body of Decode (the location) or of DecodeWith... (<paramref name="both"/> parameters): straight off the
        /// hidden layers for a plain dense decoder, otherwise in a dispose scope through the decoder body and its head(s).
        /// A Decode of a learned-variance model takes the first of DecodeWith...'s pair.
        /// </summary>
        private void WriteDecoderPass(SourceWriter writer, bool both, string secondName = "")
        {
            var location = likelihood.LocationLocal;
            var second = likelihood.SecondLocal;
            using var indent = writer.Indent();
            if (PlainDecoder)
            {
                if (HasDecoderLayers) writer.Line("using var hidden = decoder.forward(z);");
                var input = HasDecoderLayers ? "hidden" : "z";
                writer.Line(both
                    ? $"return ({likelihood.LocationField}.forward({input}), {likelihood.SecondField}.forward({input}));"
                    : $"return {likelihood.LocationField}.forward({input});");
                return;
            }

            writer.Line($"using var scope = {Torch}.NewDisposeScope();");
            if (Learned && !both)
            {
                writer.Line($"var ({location}, _) = {likelihood.DecodeBoth}{Given}(z{FeaturesArgument});");
                writer.Line($"return {location}.MoveToOuterDisposeScope();");
                return;
            }

            var hidden = WriteDecoderBody(writer);
            if (both)
            {
                if (HasDecoderConvs)
                {
                    var channels = spec.Image!.Channels;
                    writer.Line($"// The first {Count(channels, "channel")} hold the {location}, the next {channels} the {secondName}.");
                    writer.Line($"var ({location}, {second}) = {Maths}.ImageLayout.SplitMaps(maps, z);");
                }
                else
                {
                    writer.Line($"var {location} = {likelihood.LocationField}.forward({hidden});");
                    writer.Line($"var {second} = {likelihood.SecondField}.forward({hidden});");
                }
                writer.Line($"return ({OutputActivation(location)}.MoveToOuterDisposeScope(), {second}.MoveToOuterDisposeScope());");
                return;
            }

            var head = HasDecoderConvs
                ? likelihood.PerLevel ? $"{Maths}.ImageLayout.FromMapsPerLevel(maps, z, 256)" : $"{Maths}.ImageLayout.FromMaps(maps, z)"
                : likelihood.PerLevel ? $"{Maths}.ImageLayout.PerLevel({likelihood.LocationField}.forward({hidden}), 256)" : $"{likelihood.LocationField}.forward({hidden})";
            writer.Line($"var {location} = {head};");
            writer.Line($"return {OutputActivation(location)}.MoveToOuterDisposeScope();");
        }

        /// <summary>
        /// Writes the decoder up to its output layer (condition, hidden layers, and for a convolutional decoder the
        /// projection and transposed convolutions into "maps"), and returns the variable a dense head reads.
        /// </summary>
        private string WriteDecoderBody(SourceWriter writer)
        {
            var current = "z";
            if (Conditional)
            {
                writer.Line($"var conditioned = {Maths}.Conditioning.Append(z, conditionFeatures);");
                current = "conditioned";
            }
            if (HasDecoderLayers)
            {
                writer.Line($"var hidden = decoder.forward({current});");
                current = "hidden";
            }
            if (HasDecoderConvs)
            {
                var start = spec.DecoderConvs[0].Input;
                var end = spec.DecoderConvs[spec.DecoderConvs.Count - 1].Output;
                writer.Line($"// [..., {start.Size}] as {start} maps -> transposed convolutions -> {end.Channels * likelihood.PerFeature}x{end.Height}x{end.Width}");
                writer.Line($"var maps = decoderConv.forward({Maths}.ImageLayout.ToMaps(decoderProjection.forward({current}), {start.Channels}, {start.Height}, {start.Width}));");
            }
            return current;
        }

        /// <summary>The declared output activation around the location, e.g. torch.sigmoid(mean).</summary>
        private string OutputActivation(string location) => spec.OutputActivation switch
        {
            ActivationKind.Identity => location,
            // A cached slope: TorchSharp's functional leaky_relu makes a temporary Scalar on every call.
            ActivationKind.LeakyReLU => $"{Maths}.OutputActivation.LeakyRelu({location})",
            ActivationKind.ReLU => $"{Nn}.functional.relu({location})",
            ActivationKind.Tanh => $"{Torch}.tanh({location})",
            ActivationKind.Sigmoid => $"{Torch}.sigmoid({location})",
            ActivationKind.GELU => $"{Nn}.functional.gelu({location})",
            ActivationKind.SiLU => $"{Nn}.functional.silu({location})",
            // TorchSharp's functional elu has no default alpha; 1.0 is nn.ELU's, the hidden layers' ELU.
            ActivationKind.ELU => $"{Nn}.functional.elu({location}, 1.0)",
            _ => $"{Nn}.functional.softplus({location})",
        };

        private void WriteDecodeMean(SourceWriter writer)
        {
            writer.Line($"/// <summary>The mean of {Observation}: {likelihood.MeanDescription}{(spec.Scaled ? ", in the data's raw units" : string.Empty)}.</summary>");
            writer.Line($"/// <param name=\"z\">Latent points, shape [..., {spec.LatentSize}].</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>Shape [..., {{spec.InputSize}}].</returns>
                {{generatedCode}}
                public {{Tensor}} DecodeMean({{Tensor}} z{{ConditionParameter}})
                {
                """);
            using (writer.Indent())
            {
                if (likelihood.MeanExpression is { } mean)
                {
                    writer.Line($"using var {likelihood.LocationLocal} = Decode(z{ConditionArgument});");
                    if (spec.Scaled)
                    {
                        writer.Line($"using var scaledMean = {mean};");
                        writer.Line(RestoreReturn("scaledMean"));
                    }
                    else
                    {
                        writer.Line($"return {mean};");
                    }
                }
                else if (spec.Scaled)
                {
                    writer.Line($"using var scaledMean = Decode(z{ConditionArgument});");
                    writer.Line(RestoreReturn("scaledMean"));
                }
                else
                {
                    writer.Line($"return Decode(z{ConditionArgument});");
                }
            }
            writer.Line("}");
            writer.Line();
        }

        private void WriteConditionFeatures(SourceWriter writer)
        {
            if (spec.Condition is not { } condition) return;
            var (summary, call) = condition.IsClassLabel
                ? ("The condition as the networks take it: each label one-hot in the dtype of <paramref name=\"input\"/>, [batch, ConditionSize], a tensor the caller disposes.",
                    $"{Maths}.Conditioning.OneHot(condition, ConditionSize, input, \"condition\", \"{plainName}\")")
                : ("The condition as the networks take it: the features (a new handle the caller disposes), checked to be ConditionSize wide and in the dtype of <paramref name=\"input\"/>.",
                    $"{Maths}.Conditioning.Features(condition, ConditionSize, input, \"condition\", \"{plainName}\")");
            writer.Lines($$"""
                /// <summary>{{summary}}</summary>
                /// <param name="condition">The condition a caller passed.</param>
                /// <param name="input">The checked examples or latent points it goes with: one condition per row, on their device.</param>
                /// <exception cref="global::System.ArgumentException">The condition does not fit; the message says how.</exception>
                {{generatedCode}}
                private {{Tensor}} ConditionFeatures({{Tensor}} condition, {{Tensor}} input) =>
                    {{call}};

                """);
        }

        /// <summary>
        /// DrawPosterior, for models that need log q(z|x) per sample: the Gaussian draw, pushed through the flow when there
        /// is one, with its density from the noise and the flow's log-determinant.
        /// </summary>
        private void WriteDrawPosterior(SourceWriter writer)
        {
            if (!UsesDensities) return;
            var flowDoc = posterior.HasFlow
                ? "z = f(z0) with z0 = mu + exp(0.5 * logVar) * eps and f the flow; log q(z|x) = log N(z0; mu, diag(exp(logVar))) - log |det df/dz0|"
                : "z = mu + exp(0.5 * logVar) * eps; log q(z|x) = log N(z; mu, diag(exp(logVar)))";
            writer.Lines($$"""
                /// <summary>Draws z ~ {{Posterior}} with given noise and gives its log-density: {{flowDoc}}.</summary>
                /// <param name="mu">Means of the Gaussian from <see cref="Encode"/>.</param>
                /// <param name="logVar">Log-variances of the Gaussian from <see cref="Encode"/>.</param>
                /// <param name="eps">Standard normal noise that broadcasts against <paramref name="mu"/>, e.g. [samples, batch, {{spec.LatentSize}}].</param>
                /// <returns>The samples, the shape of <paramref name="eps"/>, and log q(z|x) per sample, that shape without its last dimension; both differentiable.</returns>
                {{generatedCode}}
                public ({{Tensor}} Z, {{Tensor}} LogPosterior) DrawPosterior({{Tensor}} mu, {{Tensor}} logVar, {{Tensor}} eps)
                {
                    using var scope = {{Torch}}.NewDisposeScope();
                """);
            using (writer.Indent())
            {
                writer.Line("// log N(z0; mu, diag(exp(logVar))) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)), from the noise directly.");
                writer.Line($"var logBase = {Maths}.LogDensity.DiagonalGaussianAtSample(eps, logVar);");
                if (posterior.HasFlow)
                {
                    writer.Line("var (z, logDet) = flow.forward(Reparameterize(mu, logVar, eps));");
                    writer.Line("// The change of variables: each step divides the density by its |det J|.");
                    writer.Line("return (z.MoveToOuterDisposeScope(), logBase.sub_(logDet).MoveToOuterDisposeScope());");
                }
                else
                {
                    writer.Line("return (Reparameterize(mu, logVar, eps).MoveToOuterDisposeScope(), logBase.MoveToOuterDisposeScope());");
                }
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>LogPrior, for models that need log p(z): the prior component writes the body.</summary>
        private void WriteLogPrior(SourceWriter writer)
        {
            if (!UsesDensities) return;
            writer.Lines($$"""
                /// <summary>log p(z) under the prior, {{prior.Description}}, in nats.</summary>
                /// <param name="z">Latent points, shape [..., {{spec.LatentSize}}].</param>
                /// <returns>The shape of <paramref name="z"/> without its last dimension.</returns>
                {{generatedCode}}
                public {{Tensor}} LogPrior({{Tensor}} z)
                {
                    using var scope = {{Torch}}.NewDisposeScope();
                """);
            using (writer.Indent()) prior.WriteLogProb(writer);
            writer.Line("}");
            writer.Line();
        }

        private void WriteForward(SourceWriter writer)
        {
            writer.Line($"/// <summary>One reparameterized pass: encode, draw {(spec.Samples == 1 ? "z" : $"{spec.Samples} samples of z per example")}, decode. Runs in whatever mode (train or eval) the model is in.</summary>");
            writer.Line($"/// <param name=\"x\">Inputs, shape [batch, {spec.InputSize}].</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>The posterior parameters, the samples and the decoder's output; pass it to <see cref="Loss"/>.</returns>
                /// <exception cref="global::System.ArgumentException">{{BatchRule("x")}}{{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                {{generatedCode}}
                public override Output forward({{Tensor}} x{{ConditionParameter}})
                {
                    {{BatchCheck("x")}}
                    return ForwardPass(x{{ConditionArgument}}, generator: null);
                }

                /// <summary>
                /// The pass of <see cref="forward"/> with noise from <paramref name="generator"/> (null: TorchSharp's global one),
                /// so that a seeded <c>Evaluate</c> is reproducible.
                /// </summary>
                {{generatedCode}}
                private Output ForwardPass({{Tensor}} x{{ConditionParameter}}, {{Torch}}.Generator? generator)
                {
                """);
            using (writer.Indent())
            {
                if (Conditional) writer.Line("using var conditionFeatures = ConditionFeatures(condition, x);");
                writer.Line($"var (mu, logVar) = Encode{Given}(x{FeaturesArgument});");
                var logPosterior = UsesDensities ? ", logPosterior" : string.Empty;
                if (spec.Samples == 1)
                {
                    writer.Line($"using var eps = {Maths}.Reparameterization.NoiseLike(mu, generator);");
                }
                else
                {
                    writer.Line("// eps ~ N(0, I) with a leading dimension of ReconstructionSamples: z holds L draws per example.");
                    writer.Line($"using var eps = {Maths}.Reparameterization.Noise(mu, ReconstructionSamples, generator);");
                }
                writer.Line(UsesDensities ? "var (z, logPosterior) = DrawPosterior(mu, logVar, eps);" : "var z = Reparameterize(mu, logVar, eps);");
                if (Learned)
                {
                    writer.Line($"var ({likelihood.LocationLocal}, {likelihood.SecondLocal}) = {likelihood.DecodeBoth}{Given}(z{FeaturesArgument});");
                    writer.Line($"return new Output(mu, logVar, z{logPosterior}, {likelihood.LocationLocal}, {likelihood.SecondLocal});");
                }
                else
                {
                    writer.Line($"return new Output(mu, logVar, z{logPosterior}, Decode{Given}(z{FeaturesArgument}));");
                }
            }
            writer.Line("}");
            writer.Line();
        }
    }
}
