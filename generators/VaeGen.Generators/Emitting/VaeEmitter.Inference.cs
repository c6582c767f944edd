using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>The loss, and what a trained model is for: sampling, reconstruction, interpolation, likelihood and diagnostics.</summary>
    private sealed partial class ModelText
    {
        private void WriteLoss(SourceWriter writer)
        {
            var (comment, call) = likelihood.LogDensity(spec.Scaled ? "scaledX" : "x", $"output.{likelihood.Location}", $"output.{likelihood.SecondOutput}");
            var average = spec.Samples == 1 ? "the batch" : ImportanceWeighted ? "the k samples and the batch" : "the L samples and the batch";
            var klForm = spec.KlIsClosedForm
                ? "with the KL in closed form"
                : "with the KL estimated by Monte Carlo,\n/// E_q[log q(z|x) - log p(z)], on the samples of the reconstruction term";
            var objective = ImportanceWeighted
                ? $"in nats. <see cref=\"Elbo.Bound\"/> is the negative importance-weighted bound over the\n/// k = {spec.Samples} samples of the pass, what <c>Fit</c> minimizes."
                : "in nats. This is the true bound whatever <see cref=\"Beta\"/> and\n/// <see cref=\"FreeBits\"/> are: they shape only the training objective <c>Fit</c> minimizes.";
            writer.Lines($$"""
                /// <summary>
                /// The negative ELBO, -E_q[log p(x|z)] + KL(q(z|x) || p(z)), {{klForm}}. Each term is a
                /// per-example mean over the batch, {{objective}}
                /// </summary>
                /// <param name="x">The inputs given to <see cref="forward"/>, shape [batch, {{spec.InputSize}}].</param>
                /// <param name="output">What <see cref="forward"/> returned for <paramref name="x"/>.</param>
                /// <returns>The total and its terms; <see cref="Elbo.Total"/> is the -ELBO.</returns>
                /// <exception cref="global::System.ArgumentException">{{BatchRule("x")}}. The values are not scanned: Loss runs on every training step.</exception>
                {{generatedCode}}
                public Elbo Loss({{Tensor}} x, Output output)
                {
                    {{BatchCheck("x")}}
                    using var scope = {{Torch}}.NewDisposeScope();
                    // {{comment}}; averaged over {{average}}.
                """);
            using (writer.Indent())
            {
                var moved = new System.Collections.Generic.List<string> { "total", "reconstruction", "kl" };
                if (spec.Scaled) writer.Line("var scaledX = featureScaling.forward(x); // the features as the likelihood models them");
                if (ImportanceWeighted)
                {
                    writer.Line($"var logLikelihood = {call}{RawUnits};");
                    writer.Line("var reconstruction = logLikelihood.mean().neg();");
                }
                else
                {
                    if (RawUnitsJacobian) writer.Line("// In raw units, -log p(x) = -log p(scaled x) + sum_j log scale_j: a constant that leaves the gradients alone.");
                    writer.Line(RawUnitsJacobian
                        ? $"var reconstruction = {Maths}.Addition.Plus_({call}.mean().neg_(), featureScaling.LogScaleSum());"
                        : $"var reconstruction = {call}.mean().neg_();");
                }
                if (spec.KlIsClosedForm)
                {
                    writer.Line("// KL_j = -0.5 * (1 + logVar_j - mu_j^2 - exp(logVar_j)) per latent dimension, averaged over the batch; the KL is their sum.");
                    writer.Line($"var klPerDimension = {Maths}.GaussianKl.PerDimension(output.Mu, output.LogVar).mean(new long[] {{ 0 }});");
                    writer.Line("var kl = klPerDimension.sum();");
                    moved.Add("klPerDimension");
                }
                else
                {
                    writer.Line("// KL(q || p) ~ the mean over the samples of log q(z|x) - log p(z), an unbiased estimate.");
                    writer.Line("var logPrior = LogPrior(output.Z);");
                    writer.Line("var kl = output.LogPosterior.sub(logPrior).mean();");
                }
                writer.Line($"var total = {Maths}.Addition.Plus(reconstruction, kl); // reconstruction + kl, without a per-step native Scalar");
                if (ImportanceWeighted)
                {
                    writer.Line("// log w_i = log p(x|z_i) + log p(z_i) - log q(z_i|x); the bound is the mean over the batch of log (1/k) sum_i w_i.");
                    writer.Line(spec.KlIsClosedForm
                        ? $"var logWeights = {Maths}.Addition.Plus(logLikelihood, LogPrior(output.Z)).sub_(output.LogPosterior);"
                        : $"var logWeights = {Maths}.Addition.Plus(logLikelihood, logPrior).sub_(output.LogPosterior);");
                    writer.Line(spec.Samples == 1
                        ? "var bound = logWeights.mean().neg_(); // one sample: the bound is the ELBO"
                        : $"var bound = {Maths}.ImportanceSampling.LogMeanExp(logWeights, 0).mean().neg_();");
                    moved.Add("bound");
                }
                writer.Line($"return new Elbo({string.Join(", ", moved.ConvertAll(m => m + ".MoveToOuterDisposeScope()"))});");
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>The change of variables a scaled density model subtracts from its log-density, or nothing.</summary>
        private string RawUnits => RawUnitsJacobian ? ".sub_(featureScaling.LogScaleSum())" : string.Empty;

        private void WriteSample(SourceWriter writer)
        {
            if (Conditional)
            {
                writer.Line($"/// <summary>Draws one z from {prior.Named} per condition and decodes it under that condition; runs without gradient tracking, in evaluation mode.</summary>");
                writer.Line(ConditionDoc.Replace("[batch", "[count"));
                writer.Lines($$"""
                    /// <param name="generator">{{GeneratorDoc}}</param>
                    /// <returns>{{Capitalize(likelihood.MeanDescription)}}, shape [count, {{spec.InputSize}}].</returns>
                    /// <exception cref="global::System.ArgumentException">The condition does not fit; the message says how.</exception>
                    {{generatedCode}}
                    public {{Tensor}} Sample({{Tensor}} condition, {{Torch}}.Generator? generator = null)
                    {
                        global::System.ArgumentNullException.ThrowIfNull(condition);
                        if (condition.dim() < 1 || condition.shape[0] < 1) throw new global::System.ArgumentException("At least one condition is needed to draw a sample.", "condition");
                        using var noGrad = {{Torch}}.no_grad();
                        using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                        using var scope = {{Torch}}.NewDisposeScope();
                        var count = condition.shape[0];
                    """);
                using (writer.Indent()) prior.WriteDraw(writer);
                writer.Lines("""
                        return DecodeMean(z, condition).MoveToOuterDisposeScope();
                    }

                    """);
                return;
            }
            writer.Lines($$"""
                /// <summary>Draws z from {{prior.Named}} and decodes it; runs without gradient tracking, in evaluation mode.</summary>
                /// <param name="count">How many samples.</param>
                /// <param name="generator">{{GeneratorDoc}}</param>
                /// <returns>{{Capitalize(likelihood.MeanDescription)}}, shape [count, {{spec.InputSize}}].</returns>
                /// <exception cref="global::System.ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
                {{generatedCode}}
                public {{Tensor}} Sample(long count, {{Torch}}.Generator? generator = null)
                {
                    if (count < 1) throw new global::System.ArgumentOutOfRangeException("count", count, "At least one sample must be drawn.");
                    using var noGrad = {{Torch}}.no_grad();
                    using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                    using var scope = {{Torch}}.NewDisposeScope();
                """);
            using (writer.Indent()) prior.WriteDraw(writer);
            writer.Lines("""
                    return DecodeMean(z).MoveToOuterDisposeScope();
                }

                """);
        }

        /// <summary>Where Reconstruct decodes, for its documentation: the Gaussian's mean, carried through the flow when there is one.</summary>
        private string PosteriorCentre => posterior.HasFlow ? "z = f(mu(x)), the flow applied to the Gaussian's mean" : "z = mu(x)";

        /// <summary>The expression for that point from the Gaussian's mean <paramref name="mu"/>.</summary>
        private string Centre(string mu) => posterior.HasFlow ? $"flow.forward({mu}).Z" : mu;

        private void WriteReconstruct(SourceWriter writer)
        {
            writer.Line("/// <summary>Decodes the posterior mean of each input; runs without gradient tracking, in evaluation mode.</summary>");
            writer.Line($"/// <param name=\"x\">Inputs, shape [..., {spec.InputSize}].</param>");
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <returns>{{Capitalize(likelihood.MeanDescription)}} at {{PosteriorCentre}}, the shape of <paramref name="x"/>.</returns>
                /// <exception cref="global::System.ArgumentException">{{InputRule("x", spec.InputSize)}}{{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                {{generatedCode}}
                public {{Tensor}} Reconstruct({{Tensor}} x{{ConditionParameter}})
                {
                    using var noGrad = {{Torch}}.no_grad();
                    using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                    using var scope = {{Torch}}.NewDisposeScope();
                    var (mu, _) = Encode(x{{ConditionArgument}});
                    return DecodeMean({{Centre("mu")}}{{ConditionArgument}}).MoveToOuterDisposeScope();
                }

                """);
        }

        private void WriteInterpolate(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>
                /// Decodes evenly spaced points on the line from {{(posterior.HasFlow ? "f(mu(x1)) to f(mu(x2)), the flow's images of the Gaussian means" : "mu(x1) to mu(x2)")}}{{(Conditional ? ", under one condition" : string.Empty)}},
                /// without gradient tracking, in evaluation mode.
                /// </summary>
                /// <param name="x1">The start, shape [batch, {{spec.InputSize}}].</param>
                /// <param name="x2">The end, the shape of <paramref name="x1"/>.</param>
                """);
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <param name="steps">Points on the line, both ends included; at least 2.</param>
                /// <returns>{{Capitalize(likelihood.MeanDescription)}}, shape [steps, batch, {{spec.InputSize}}].</returns>
                /// <exception cref="global::System.ArgumentException">The inputs differ in shape, or are not [..., {{spec.InputSize}}] in the parameters' dtype and device.</exception>
                /// <exception cref="global::System.ArgumentOutOfRangeException"><paramref name="steps"/> is less than 2.</exception>
                {{generatedCode}}
                public {{Tensor}} Interpolate({{Tensor}} x1, {{Tensor}} x2{{ConditionParameter}}, int steps)
                {
                    {{InputCheck("x1", "InputSize")}}
                    {{InputCheck("x2", "InputSize")}}
                    if (!global::System.Linq.Enumerable.SequenceEqual(x1.shape, x2.shape))
                        throw new global::System.ArgumentException($"{{plainName}} interpolates between inputs of one shape, but x1 is [{string.Join(", ", x1.shape)}] and x2 is [{string.Join(", ", x2.shape)}].", "x2");
                    using var noGrad = {{Torch}}.no_grad();
                    using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                    using var scope = {{Torch}}.NewDisposeScope();
                    var (from, _) = Encode(x1{{ConditionArgument}});
                    var (to, _) = Encode(x2{{ConditionArgument}});
                """);
            if (posterior.HasFlow)
            {
                using var body = writer.Indent();
                writer.Line("// The flow carries each Gaussian mean to the point it stands for in z.");
                writer.Line("(from, _) = flow.forward(from);");
                writer.Line("(to, _) = flow.forward(to);");
            }
            writer.Lines($$"""
                    var z = {{Maths}}.Interpolation.Linear(from, to, steps);
                    return DecodeMean(z{{ConditionArgument}}).MoveToOuterDisposeScope();
                }

                """);
        }

        private void WriteLogLikelihood(SourceWriter writer)
        {
            var widest = WidestDecoderTensor();
            writer.Lines($$"""
                /// <summary>
                /// The importance-weighted estimate of log {{(Conditional ? "p(x|c)" : "p(x)")}} per example in nats, log (1/k) sum_i p(x|z_i) p(z_i) / q(z_i|x)
                /// with z_i ~ q(z|x): the ELBO in expectation for k = 1, rising towards log p(x) with k. In evaluation mode, without
                /// gradients, drawing the samples in chunks that bound memory.
                /// </summary>
                /// <param name="x">Inputs, shape [batch, {{spec.InputSize}}].</param>
                """);
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <param name="importanceSamples">k, the samples from q(z|x) per example.</param>
                /// <param name="generator">{{GeneratorDoc}}</param>
                /// <returns>Shape [batch].</returns>
                /// <exception cref="global::System.ArgumentOutOfRangeException"><paramref name="importanceSamples"/> is less than 1.</exception>
                /// <exception cref="global::System.ArgumentException">{{BatchRule("x")}}, or holds values the likelihood cannot score (the message gives the first){{(Conditional ? ", or the condition does not fit" : string.Empty)}}.</exception>
                {{generatedCode}}
                public {{Tensor}} LogLikelihood({{Tensor}} x{{ConditionParameter}}, int importanceSamples, {{Torch}}.Generator? generator = null)
                {
                    if (importanceSamples < 1) throw new global::System.ArgumentOutOfRangeException("importanceSamples", importanceSamples, "At least one importance sample is needed.");
                    {{BatchCheck("x")}}
                    {{string.Join("\n    ", ValueChecks("x", "x", ScalingStep.RequireFitted))}}
                    using var noGrad = {{Torch}}.no_grad();
                    using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                    using var scope = {{Torch}}.NewDisposeScope();
                    var (mu, logVar) = Encode(x{{ConditionArgument}});
                """);
            var blocker = CompiledStepCoverage.EvaluationBlocker(spec);
            var compiled = blocker is null;
            using (writer.Indent())
            {
                if (compiled) WriteCompiledEvaluation(writer);
                else writer.Line($"// The model's own LogImportanceWeights scores each chunk: the compiled evaluation (DenseBernoulliEvaluation) covers {CompiledStepCoverage.EvaluationScope}, and {blocker}.");
            }
            var score = compiled
                ? "compiled is null ? LogImportanceWeights(x, mu, logVar, eps) : compiled.LogImportanceWeights(x, mu, logVar, eps)"
                : $"LogImportanceWeights(x{ConditionArgument}, mu, logVar, eps)";
            writer.Lines($$"""
                    // {{widest.Why}}: the widest tensor one example's decoder pass holds, which bounds a chunk's memory.
                    var chunk = {{Maths}}.ImportanceSampling.ChunkSize(importanceSamples, mu.numel() / LatentSize, {{widest.Values}});
                    var logWeights = new global::System.Collections.Generic.List<{{Tensor}}>();
                    for (var drawn = 0; drawn < importanceSamples; drawn += chunk)
                    {
                        var eps = {{Maths}}.Reparameterization.Noise(mu, global::System.Math.Min(chunk, importanceSamples - drawn), generator);
                        logWeights.Add({{score}});
                    }
                    // log p(x) ~ log-mean-exp over the k samples of the log importance weights.
                    return {{Maths}}.ImportanceSampling.LogMeanExp({{Torch}}.cat(logWeights, 0), 0).MoveToOuterDisposeScope();
                }

                """);
        }

        /// <summary>
        /// The compiled evaluation of a covered model: its decoder layers handed to the runtime's DenseBernoulliEvaluation,
        /// or null where the runtime finds a parameter it cannot use.
        /// </summary>
        private void WriteCompiledEvaluation(SourceWriter writer)
        {
            writer.Lines($$"""
                // The compiled evaluation scores each chunk: the decoder's layers and log-density in C#, its products in
                // register tiles on up to two threads (x86 with AVX2 and FMA; elsewhere libtorch's, into buffers kept
                // for this call); forward hooks on the decoder's layers are not called. The model's own
                // LogImportanceWeights scores them instead when For returns null (a parameter not float32 on the CPU).
                using var compiled = global::VaeGen.Training.DenseBernoulliEvaluation.For(
                    {{CompiledLayers("decoder", spec.Decoder)}},
                    decoderLogits);
                """);
        }

        /// <summary>
        /// The most values one example holds at any point of a decoder pass, from the layer plan: the widest decoder
        /// layer's output, or the decoder's whole output (all of the likelihood's parameters) when that is wider.
        /// </summary>
        private (long Values, string Why) WidestDecoderTensor()
        {
            var outputs = (long)spec.InputSize * likelihood.PerFeature;
            var widest = spec.Layers.WidestDecoderLayer;
            return widest is not null && widest.OutputValues > outputs
                ? (widest.OutputValues, $"the {widest.Output} {(widest.Kind == "Linear" ? "outputs" : "maps")} of {widest.Name}")
                : (outputs, $"{outputs} decoder outputs");
        }

        private void WriteLogImportanceWeights(SourceWriter writer)
        {
            var (comment, call) = likelihood.LogDensity(spec.Scaled ? "scaledX" : "x", likelihood.LocationLocal, likelihood.SecondLocal);
            writer.Lines($$"""
                /// <summary>
                /// The log importance weights log p(x|z) + log p(z) - log q(z|x) at {{(posterior.HasFlow ? "z = f(mu + exp(0.5 * logVar) * eps), f the flow" : "z = mu + exp(0.5 * logVar) * eps")}},
                /// which <see cref="LogLikelihood"/> averages, for a caller that fixes the noise.
                /// </summary>
                /// <param name="x">Inputs, shape [batch, {{spec.InputSize}}].</param>
                """);
            if (Conditional) writer.Line(ConditionDoc);
            writer.Lines($$"""
                /// <param name="mu">Posterior means from <see cref="Encode"/>, shape [batch, {{spec.LatentSize}}].</param>
                /// <param name="logVar">Posterior log-variances from <see cref="Encode"/>.</param>
                /// <param name="eps">Standard normal noise, shape [k, batch, {{spec.LatentSize}}].</param>
                /// <returns>Shape [k, batch].</returns>
                /// <exception cref="global::System.ArgumentException">{{BatchRule("x")}}, or <paramref name="eps"/> is not [..., {{spec.LatentSize}}] in that dtype and on that device.</exception>
                {{generatedCode}}
                public {{Tensor}} LogImportanceWeights({{Tensor}} x{{ConditionParameter}}, {{Tensor}} mu, {{Tensor}} logVar, {{Tensor}} eps)
                {
                    {{BatchCheck("x")}}
                    {{InputCheck("eps", "LatentSize")}}
                    using var scope = {{Torch}}.NewDisposeScope();
                """);
            using (writer.Indent())
            {
                writer.Line(UsesDensities ? "var (z, logPosterior) = DrawPosterior(mu, logVar, eps);" : "var z = Reparameterize(mu, logVar, eps);");
                writer.Line(Learned
                    ? $"var ({likelihood.LocationLocal}, {likelihood.SecondLocal}) = {likelihood.DecodeBoth}(z{ConditionArgument});"
                    : $"var {likelihood.LocationLocal} = Decode(z{ConditionArgument});");
                if (spec.Scaled) writer.Line("var scaledX = featureScaling.forward(x); // the features as the likelihood models them");
                writer.Line($"// {comment}");
                if (RawUnitsJacobian) writer.Line("// In raw units: log p(x) = log p(scaled x) - sum_j log scale_j (the change of variables).");
                writer.Line($"var logLikelihood = {call}{RawUnits};");
                if (UsesDensities)
                {
                    writer.Line($"// log p(z) under {prior.Description}; log q(z|x) came with the draw.");
                    writer.Line("var logPrior = LogPrior(z);");
                }
                else
                {
                    writer.Line("// log p(z) = log N(z; 0, I) and log q(z|x) = log N(z; mu, diag(exp(logVar))), the latter from eps directly.");
                    writer.Line($"var logPrior = {Maths}.LogDensity.StandardNormal(z);");
                    writer.Line($"var logPosterior = {Maths}.LogDensity.DiagonalGaussianAtSample(eps, logVar);");
                }
                writer.Line($"return {Maths}.Addition.Plus_(logLikelihood, logPrior).sub_(logPosterior).MoveToOuterDisposeScope(); // log p(x|z) + log p(z) - log q(z|x)");
            }
            writer.Line("}");
            writer.Line();
        }

        private void WriteEvaluate(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>
                /// The -ELBO and its two terms over a data set, per-example means in nats, on {{(spec.Samples == 1 ? "one draw" : $"{spec.Samples} draws")}} of z per example:
                /// in batches, without gradients, in evaluation mode. One seed gives the same figures, bit for bit on one machine.
                /// </summary>
                /// <param name="data">Examples, shape [count, {{spec.InputSize}}], {{likelihood.DataRule}}.</param>
                """);
            if (Conditional) writer.Line(ConditionsDoc);
            writer.Lines($$"""
                /// <param name="batchSize">Examples per forward pass.</param>
                /// <param name="generator">{{GeneratorDoc}}</param>
                /// <exception cref="global::System.ArgumentException">{{DataSetRule}}.</exception>
                {{generatedCode}}
                public global::VaeGen.Training.ElboSummary Evaluate({{Tensor}} data{{ConditionsParameter}}, int batchSize = 500, {{Torch}}.Generator? generator = null)
                {
                """);
            using (writer.Indent())
            {
                foreach (var check in DataSetChecks()) writer.Line(check);
                writer.Line("using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);");
                if (Conditional)
                {
                    writer.Lines("""
                        return global::VaeGen.Training.Evaluation.Elbo(data, conditions, batchSize, (batch, condition) =>
                        {
                            var elbo = Loss(batch, ForwardPass(batch, condition, generator));
                            return (elbo.Reconstruction, elbo.Kl);
                        });
                        """);
                }
                else
                {
                    writer.Lines("""
                        return global::VaeGen.Training.Evaluation.Elbo(data, batchSize, batch =>
                        {
                            var elbo = Loss(batch, ForwardPass(batch, generator));
                            return (elbo.Reconstruction, elbo.Kl);
                        });
                        """);
                }
            }
            writer.Line("}");
            writer.Line();
            if (!Conditional && !spec.Scaled) WriteStreamedEvaluate(writer);
        }

        /// <summary>Evaluate over a streamed data set: read once in order, one batch in memory, values checked as they are read.</summary>
        private void WriteStreamedEvaluate(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>
                /// The figures of <see cref="Evaluate(global::TorchSharp.torch.Tensor, int, global::TorchSharp.torch.Generator?)"/> over a stream, read once in order, one batch in
                /// memory; values are checked as they are read.
                /// </summary>
                /// <param name="data">Examples of {{spec.InputSize}} features, {{likelihood.DataRule}}.</param>
                /// <param name="batchSize">Examples per forward pass.</param>
                /// <param name="generator">{{GeneratorDoc}}</param>
                /// <exception cref="global::System.ArgumentException">An example is not {{spec.InputSize}} wide or holds a value the likelihood cannot describe; the message gives its place.</exception>
                /// <exception cref="global::System.IO.InvalidDataException">The stream yields another number of examples than it holds.</exception>
                {{generatedCode}}
                public global::VaeGen.Training.ElboSummary Evaluate(global::VaeGen.Data.IExampleStream data, int batchSize = 500, {{Torch}}.Generator? generator = null)
                {
                    {{TensorChecks}}.RequireStream(data, InputSize, "data", "{{plainName}}");
                    using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);
                    return global::VaeGen.Training.Evaluation.Elbo(data, batchSize, {{likelihood.ValueRule}}, "{{plainName}}", encoderMu.weight!, batch =>
                    {
                        var elbo = Loss(batch, ForwardPass(batch, generator));
                        return (elbo.Reconstruction, elbo.Kl);
                    });
                }

                """);
        }

        private void WriteLatentUsage(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>
                /// Per latent dimension over a data set: {{(spec.KlSplitsPerDimension ? "the mean KL in nats and the activity, the variance across examples of the posterior mean" : "the activity, the variance across examples of the Gaussian's mean\n/// (the KL does not split per dimension here, so KlPerDimension is null)")}};
                /// and the count of active ones, activity above <paramref name="threshold"/> (Burda et al., 2016). In batches, without
                /// gradients, in evaluation mode.
                /// </summary>
                /// <param name="data">Examples, shape [count, {{spec.InputSize}}], {{likelihood.DataRule}}.</param>
                """);
            if (Conditional) writer.Line(ConditionsDoc);
            writer.Lines($$"""
                /// <param name="batchSize">Examples per forward pass.</param>
                /// <param name="threshold">The activity above which a dimension counts as active.</param>
                /// <exception cref="global::System.ArgumentException">{{DataSetRule}}.</exception>
                {{generatedCode}}
                public global::VaeGen.Training.LatentUsage LatentUsage({{Tensor}} data{{ConditionsParameter}}, int batchSize = 500, double threshold = 0.01)
                {
                """);
            using (writer.Indent())
            {
                foreach (var check in DataSetChecks()) writer.Line(check);
                writer.Line("using var mode = global::VaeGen.Training.ModuleMode.Evaluating(this);");
                writer.Line($"return global::VaeGen.Training.Evaluation.LatentUsage(data{ConditionsArgument}, batchSize, Encode, threshold{(spec.KlSplitsPerDimension ? string.Empty : ", klSplitsPerDimension: false")});");
            }
            writer.Line("}");
            writer.Line();
        }
    }
}
