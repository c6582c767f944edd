using System.Globalization;
using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>The training loop and the records the passes return.</summary>
    private sealed partial class ModelText
    {
        private void WriteFit(SourceWriter writer)
        {
            var bernoulli = spec.Likelihood.Kind == LikelihoodKind.Bernoulli;
            var objective = ImportanceWeighted
                ? $"the negative importance-weighted bound with k = {spec.Samples}"
                : "the -ELBO with its KL weighted by <see cref=\"Beta\"/> (or <see cref=\"global::VaeGen.Training.TrainingOptions.Beta\"/>),\n/// ramped up from 0 over the warm-up epochs, and floored per dimension at <see cref=\"FreeBits\"/>";
            writer.Lines($$"""
                /// <summary>
                /// Trains the model with Adam on shuffled mini-batches, minimizing {{objective}};
                /// the -ELBO it records is the true one. <see cref="global::VaeGen.Training.TrainingOptions"/> sets the schedule, seed,{{(bernoulli ? " binarization," : string.Empty)}}
                /// validation and checkpoints: one seed gives one run, and a resumed run continues as if it had never stopped.
                /// The data's values are scanned once, up front. The model trains in training mode and gets its modes back on return.
                /// </summary>
                /// <param name="data">Training examples, shape [count, {{spec.InputSize}}], {{likelihood.DataRule}}.</param>
                """);
            if (Conditional) writer.Line(ConditionsDoc);
            writer.Lines($$"""
                {{FitCommonDocs}}
                /// <exception cref="global::System.ArgumentException">{{DataSetRule}}; or the validation data does not fit, or an option cannot work. The message says which.</exception>
                {{FitCheckpointDocs}}
                /// <exception cref="global::System.IO.InvalidDataException">The checkpoint to resume from is damaged, or of another model, architecture or settings; nothing was loaded.</exception>
                {{FitDivergedDoc}}
                {{generatedCode}}
                public global::VaeGen.Training.TrainingHistory Fit({{Tensor}} data{{ConditionsParameter}}, global::VaeGen.Training.TrainingOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)
                {
                    options ??= new global::VaeGen.Training.TrainingOptions();
                """);
            using (writer.Indent())
            {
                WriteCompileAhead(writer);
                foreach (var check in DataSetChecks(fitting: true)) writer.Line(check);
                writer.Line("return TrainEpochs(options, cancellationToken, objective =>");
                writer.Line($"    new global::VaeGen.Training.TrainingSession(this, \"{spec.MetadataName}\", InputSize, data, options, objective{ConditionsArgument}, architecture: Architecture));");
            }
            writer.Line("}");
            writer.Line();
            // A stream is read pass by pass, so scaling, which is fitted on the whole training set, is left to the in-memory overload.
            if (!Conditional && !spec.Scaled) WriteStreamedFit(writer);
            WriteTrainEpochs(writer);
        }

        /// <summary>Fit over a streamed data set: the same checks and loop, a session that reads the stream through its shuffle buffer.</summary>
        private void WriteStreamedFit(SourceWriter writer)
        {
            writer.Lines($$"""
                /// <summary>
                /// Trains as <see cref="Fit(global::TorchSharp.torch.Tensor, global::VaeGen.Training.TrainingOptions?, global::System.Threading.CancellationToken)"/> does, reading
                /// <paramref name="data"/> once per epoch through a shuffle buffer (<see cref="global::VaeGen.Training.TrainingOptions.ShuffleBufferSize"/>),
                /// so memory does not grow with the data set. Values are checked as the first epoch reads them.
                /// </summary>
                /// <param name="data">Training examples of {{spec.InputSize}} features, {{likelihood.DataRule}}.</param>
                {{FitCommonDocs}}
                /// <exception cref="global::System.ArgumentException">An example or the validation data does not fit (the message gives its place), or an option cannot work.</exception>
                {{FitCheckpointDocs}}
                /// <exception cref="global::System.IO.InvalidDataException">The stream yields another number of examples than it holds, or the checkpoint to resume from does not fit.</exception>
                {{FitDivergedDoc}}
                {{generatedCode}}
                public global::VaeGen.Training.TrainingHistory Fit(global::VaeGen.Data.IExampleStream data, global::VaeGen.Training.TrainingOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)
                {
                    options ??= new global::VaeGen.Training.TrainingOptions();
                """);
            using (writer.Indent())
            {
                WriteCompileAhead(writer);
                writer.Line($"{TensorChecks}.RequireStream(data, InputSize, \"data\", \"{plainName}\");");
                writer.Line("return TrainEpochs(options, cancellationToken, objective =>");
                writer.Line($"    new global::VaeGen.Training.TrainingSession(this, \"{spec.MetadataName}\", InputSize, data, options, objective, {likelihood.ValueRule}, architecture: Architecture));");
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>
        /// First in both Fit overloads of a model the compiled step covers: the call that starts compiling the step's
        /// optimized code on a background thread, so that it runs beside the data's checks instead of in the first epoch.
        /// </summary>
        private void WriteCompileAhead(SourceWriter writer)
        {
            if (CompiledStepCoverage.Blocker(spec) is not null) return;
            writer.Line("// Starts compiling the compiled step's methods on another thread, beside the checks and setup below instead of in the first step.");
            writer.Line($"if ({CompiledStepCondition}) global::VaeGen.Training.DenseBernoulliStep.CompileAhead();");
        }

        /// <summary>
        /// When a covered model takes the compiled step at run time: the options leave it on, and the model is this class,
        /// not a subclass (which may override forward or Loss).
        /// </summary>
        private string CompiledStepCondition => $"options.CompiledStep && GetType() == typeof({spec.FullyQualifiedName})";

        /// <summary>The documentation of the parameters and exceptions both Fit overloads share.</summary>
        private const string FitCommonDocs = """
            /// <param name="options">How to train; null takes the defaults.</param>
            /// <param name="cancellationToken">Stops the run at the next batch; the completed epochs are kept.</param>
            /// <returns>The figures of every completed epoch.</returns>
            """;

        private const string FitCheckpointDocs =
            "/// <exception cref=\"global::System.IO.IOException\">The checkpoint directory cannot be written, or holds a checkpoint that neither Resume nor OverwriteCheckpoint lets this run replace; the message names the path.</exception>";

        private const string FitDivergedDoc =
            "/// <exception cref=\"global::VaeGen.Training.TrainingDivergedException\">The loss stopped being finite; the last checkpoint is kept.</exception>";

        /// <summary>The checks of the validation data and options, and the objective, with which the loop of both Fit overloads begins.</summary>
        private void WriteTrainingChecks(SourceWriter writer)
        {
            var bernoulli = spec.Likelihood.Kind == LikelihoodKind.Bernoulli;
            writer.Line("if (options.ValidationData is { } validation)");
            using (writer.Block())
            {
                writer.Line(BatchCheck("validation", "options.ValidationData"));
                foreach (var check in ValueChecks("validation", "options.ValidationData", ScalingStep.None)) writer.Line(check);
                if (Conditional)
                {
                    // Missing validation conditions are the session's to refuse, with the training conditions' form beside them.
                    writer.Line("if (options.ValidationConditions is { } validationConditions)");
                    using (writer.Block())
                    {
                        foreach (var check in ConditionsChecks("validationConditions", "validation", "options.ValidationConditions")) writer.Line(check);
                    }
                }
            }
            if (bernoulli && spec.Scaled)
            {
                writer.Line("if (options.DynamicBinarization)");
                writer.Line($"    throw new global::System.ArgumentException(\"DynamicBinarization draws binary targets from raw values in [0, 1], but {plainName} scales its features ({spec.Scaling}); binarize the data before Fit, or remove Scaling.\", \"options\");");
            }
            if (!bernoulli)
            {
                writer.Line("if (options.DynamicBinarization)");
                writer.Line($"    throw new global::System.ArgumentException(\"DynamicBinarization needs a Bernoulli likelihood, but {plainName} is {spec.Likelihood.Kind}.\", \"options\");");
            }
            writer.Line(ImportanceWeighted
                ? "var objective = global::VaeGen.Training.KlObjective.ImportanceWeightedBound;"
                : "var objective = new global::VaeGen.Training.KlObjective(Beta, FreeBits);");
        }

        /// <summary>
        /// The loop both Fit overloads run after checking their data: the options' checks, the objective, the session the
        /// overload opens over its data, then epochs of shuffled batches, forward, loss, objective, step.
        /// </summary>
        private void WriteTrainEpochs(SourceWriter writer)
        {
            var bernoulli = spec.Likelihood.Kind == LikelihoodKind.Bernoulli;
            writer.Lines($$"""
                /// <summary>The loop of <c>Fit</c> after the data's checks: the options' checks, the session <paramref name="open"/> makes, then per epoch the steps, validation and checkpoint.</summary>
                {{generatedCode}}
                private global::VaeGen.Training.TrainingHistory TrainEpochs(global::VaeGen.Training.TrainingOptions options, global::System.Threading.CancellationToken cancellationToken, global::System.Func<global::VaeGen.Training.KlObjective, global::VaeGen.Training.TrainingSession> open)
                {
                """);
            using (writer.Indent())
            {
                WriteTrainingChecks(writer);
                writer.Line("using var session = open(objective);");
                var blocker = CompiledStepCoverage.Blocker(spec);
                if (blocker is null) WriteCompiledStep(writer);
                else writer.Line($"// Autograd trains this model: the compiled step (DenseBernoulliStep) covers {CompiledStepCoverage.Scope}, and {blocker}.");
                writer.Line("while (session.NextEpoch(cancellationToken))");
                using (writer.Block())
                {
                    if (blocker is null)
                    {
                        writer.Line("// The next NextBatch call frees what a step made. The compiled step makes nothing, and on a data set");
                        writer.Line("// contiguous on the CPU its steps run without a dispose scope.");
                    }
                    else
                    {
                        writer.Line("// Each step's tensors live in a dispose scope that the next NextBatch call closes.");
                    }
                    var batch = bernoulli ? "batch" : "x";
                    writer.Line(Conditional
                        ? $"while (session.NextBatch(cancellationToken, out var {batch}, out var condition))"
                        : $"while (session.NextBatch(cancellationToken, out var {batch}))");
                    using (writer.Block())
                    {
                        if (bernoulli)
                        {
                            writer.Line("// Dynamic binarization draws a fresh binary target from the grey levels on every pass.");
                            writer.Line("var x = options.DynamicBinarization ? session.Binarize(batch) : batch;");
                        }
                        if (blocker is null)
                        {
                            writer.Lines("""
                                if (compiled is not null)
                                {
                                    // Forward pass, loss terms and every gradient of reconstruction + w * KL in one call.
                                    // StepMeans returns the batch means as floats, which Record takes without making tensors.
                                    var (reconstruction, kl) = compiled.StepMeans(x, session.KlWeight);
                                    session.Optimizer.Step();
                                    session.Record(reconstruction, kl, x.size(0));
                                    continue;
                                }
                                """);
                        }
                        writer.Line($"var elbo = Loss(x, forward(x{ConditionArgument}));");
                        // FreeBits is fixed at compile time: without a floor the objective takes the KL the loss already summed.
                        if (ImportanceWeighted)
                            writer.Lines($"""
                                // Minimize the negative importance-weighted bound with k = {spec.Samples}; the recorded -ELBO is the true one.
                                var loss = session.BoundObjective(elbo.Bound);
                                """);
                        else writer.Lines(spec.FreeBits > 0
                            ? """
                                // Minimize reconstruction + w * sum_j max(FreeBits, KL_j), w = beta after its warm-up; the recorded -ELBO is the true one.
                                var loss = session.TrainingObjective(elbo.Reconstruction, elbo.KlPerDimension);
                                """
                            : """
                                // Minimize reconstruction + w * KL, w = beta after its warm-up; the recorded -ELBO is the true one.
                                var loss = session.Objective(elbo.Reconstruction, elbo.Kl);
                                """);
                        writer.Lines("""
                            session.Optimizer.ZeroGrad();
                            loss.backward();
                            // Float32 on the CPU: one fused SIMD pass over the flat buffers; elsewhere eight tensor operations (UpdatePath says why).
                            session.Optimizer.Step();
                            session.Record(elbo.Reconstruction, elbo.Kl, x.shape[0]);
                            """);
                    }
                    writer.Line(Conditional
                        ? "session.EndEpoch((heldOut, heldOutConditions, batchSize) => Evaluate(heldOut, heldOutConditions, batchSize));"
                        : "session.EndEpoch((heldOut, batchSize) => Evaluate(heldOut, batchSize));");
                }
                writer.Line("return session.History;");
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>
        /// The compiled step of a covered model: its layers handed to the runtime's DenseBernoulliStep, or null where the
        /// options turn it off, a subclass trains, or the runtime finds a parameter the step cannot train.
        /// </summary>
        private void WriteCompiledStep(SourceWriter writer)
        {
            writer.Lines($$"""
                // The compiled step trains this model: the closed-form gradients of its layers, likelihood and KL, written into
                // the optimizer's buffers, with the element-wise work in C#. Autograd trains it instead when options.CompiledStep
                // is false, a subclass (which may override forward or Loss) is training, or For returns null (a parameter not
                // float32 on the CPU, frozen, or beyond these layers).
                using var compiled = {{CompiledStepCondition}}
                    ? global::VaeGen.Training.DenseBernoulliStep.For(
                        session,
                """);
            using (writer.Indent())
            using (writer.Indent())
            {
                writer.Line($"{CompiledLayers("encoder", spec.Encoder)},");
                writer.Line("encoderMu,");
                writer.Line("encoderLogVar,");
                writer.Line($"{CompiledLayers("decoder", spec.Decoder)},");
                writer.Line("decoderLogits)");
            }
            writer.Line("    : null;");
        }

        /// <summary>A hidden stack's Linear modules (every other entry of its Sequential) with the activation after each.</summary>
        private static string CompiledLayers(string field, LayerStack stack)
        {
            if (stack.HiddenSizes.Count == 0) return "global::System.Array.Empty<global::VaeGen.Training.DenseBernoulliStep.Layer>()";
            var layers = new System.Text.StringBuilder("new global::VaeGen.Training.DenseBernoulliStep.Layer[] { ");
            for (var i = 0; i < stack.HiddenSizes.Count; i++)
            {
                if (i > 0) layers.Append(", ");
                layers.Append("new((").Append(Modules).Append(".Linear)").Append(field).Append('[').Append((2 * i).ToString(CultureInfo.InvariantCulture))
                    .Append("], global::VaeGen.Activation.").Append(stack.Activation.ToString()).Append(')');
            }
            return layers.Append(" }").ToString();
        }

        private void WriteOutput(SourceWriter writer)
        {
            var location = likelihood.Location;
            var locationShape = likelihood.PerLevel
                ? SampleShape(spec.InputSize.ToString(CultureInfo.InvariantCulture) + ", 256")
                : SampleShape(spec.InputSize.ToString(CultureInfo.InvariantCulture));
            var extra = Learned ? $", {Tensor} {likelihood.SecondOutput}" : string.Empty;
            var logPosterior = UsesDensities ? $", {Tensor} LogPosterior" : string.Empty;
            writer.Lines($$"""
                /// <summary>The result of <see cref="forward"/>. Disposing it disposes every tensor it holds.</summary>
                /// <param name="Mu">Posterior means, [batch, {{spec.LatentSize}}].</param>
                /// <param name="LogVar">Posterior log-variances, [batch, {{spec.LatentSize}}].</param>
                /// <param name="Z">The reparameterized samples, {{SampleShape(spec.LatentSize.ToString(CultureInfo.InvariantCulture))}}{{(posterior.HasFlow ? ", after the flow" : string.Empty)}}.</param>
                """);
            if (UsesDensities)
                writer.Line($"/// <param name=\"LogPosterior\">log q(z|x) of each sample in nats, {(spec.Samples == 1 ? "[batch]" : $"[{spec.Samples}, batch]")}.</param>");
            writer.Line($"/// <param name=\"{location}\">{Capitalize(likelihood.LocationDescription)}, {locationShape}.</param>");
            if (Learned)
            {
                writer.Line($"/// <param name=\"{likelihood.SecondOutput}\">{Capitalize(likelihood.SecondDescription)} of p(x|z), the shape of {location}.</param>");
            }
            writer.Lines($$"""
                {{generatedCode}}
                public sealed record Output({{Tensor}} Mu, {{Tensor}} LogVar, {{Tensor}} Z{{logPosterior}}, {{Tensor}} {{location}}{{extra}}) : global::System.IDisposable
                {
                    /// <summary>Disposes the tensors of this pass.</summary>
                    public void Dispose()
                    {
                        Mu.Dispose();
                        LogVar.Dispose();
                        Z.Dispose();
                """);
            if (UsesDensities) writer.Line("        LogPosterior.Dispose();");
            writer.Lines($$"""
                        {{location}}.Dispose();
                """);
            if (Learned) writer.Line($"        {likelihood.SecondOutput}.Dispose();");
            writer.Line("    }");
            writer.Line("}");
            writer.Line();
        }

        private void WriteElbo(SourceWriter writer)
        {
            var members = new System.Collections.Generic.List<string> { "Total", "Reconstruction", "Kl" };
            writer.Line("/// <summary>The negative ELBO of a batch and its terms: per-example means in nats. Disposing it disposes them.</summary>");
            writer.Line("/// <param name=\"Total\">-ELBO = Reconstruction + Kl.</param>");
            writer.Line("/// <param name=\"Reconstruction\">-E_q[log p(x|z)], averaged over the reconstruction samples.</param>");
            if (spec.KlIsClosedForm)
            {
                writer.Line("/// <param name=\"Kl\">KL(q(z|x) || N(0, I)), in closed form.</param>");
                writer.Line($"/// <param name=\"KlPerDimension\">The KL of each latent dimension, shape [{spec.LatentSize}]; Kl is their sum.</param>");
                members.Add("KlPerDimension");
            }
            else
            {
                writer.Line($"/// <param name=\"Kl\">KL(q(z|x) || p(z)) with p(z) {prior.Description}, estimated by Monte Carlo on the samples of the pass.</param>");
            }
            if (ImportanceWeighted)
            {
                writer.Line($"/// <param name=\"Bound\">The negative importance-weighted bound with k = {spec.Samples}, -mean over the batch of log (1/k) sum_i p(x, z_i) / q(z_i|x): at most Total in expectation.</param>");
                members.Add("Bound");
            }
            writer.Line(generatedCode);
            writer.Line($"public sealed record Elbo({string.Join(", ", members.ConvertAll(m => $"{Tensor} {m}"))}) : global::System.IDisposable");
            using (writer.Block())
            {
                writer.Line($"/// <summary>Disposes the {(members.Count == 4 ? "four" : members.Count == 3 ? "three" : "five")} tensors.</summary>");
                writer.Line("public void Dispose()");
                using (writer.Block())
                {
                    foreach (var member in members) writer.Line($"{member}.Dispose();");
                }
            }
        }
    }
}
