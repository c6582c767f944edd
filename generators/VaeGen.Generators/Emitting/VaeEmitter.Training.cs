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
            writer.Lines($$"""
                /// <summary>
                /// Trains the model with Adam in shuffled mini-batches on the training objective: the negative ELBO with its KL
                /// term weighted by <see cref="Beta"/> (or <see cref="global::VaeGen.Training.TrainingOptions.Beta"/>), ramped up over the warm-up
                /// epochs, and floored per dimension at <see cref="FreeBits"/>. The -ELBO it reports is the true one.
                /// <see cref="global::VaeGen.Training.TrainingOptions"/> sets the schedule,{{(bernoulli ? " dynamic binarization," : string.Empty)}} validation and checkpoints.
                /// The same seed and data give the same run, and a run resumed from its checkpoint continues as if it had never stopped.
                /// The model trains in training mode and evaluates the validation data in evaluation mode; it gets back the
                /// modes it had when Fit returns. The data's values are scanned once, up front, not on every step.
                /// </summary>
                /// <param name="data">Training examples, shape [count, {{spec.InputSize}}], {{likelihood.DataRule}}.</param>
                """);
            if (Conditional) writer.Line(ConditionsDoc);
            writer.Lines($$"""
                /// <param name="options">How to train; null takes the defaults.</param>
                /// <param name="cancellationToken">Stops the run at the next batch boundary; the epochs completed so far are kept.</param>
                /// <returns>The figures of every completed epoch.</returns>
                /// <exception cref="global::System.ArgumentException">
                /// The data (or the validation data) is not [count, {{spec.InputSize}}] in the dtype and on the device of the parameters,
                /// holds values the likelihood cannot describe{{(Conditional ? ", its conditions do not fit" : string.Empty)}}, or an option cannot work; the message names it.
                /// </exception>
                /// <exception cref="global::System.IO.IOException">The checkpoint directory cannot be written, or holds a checkpoint that neither Resume nor OverwriteCheckpoint lets this run replace; the message names the path.</exception>
                /// <exception cref="global::System.IO.InvalidDataException">Resuming from a checkpoint of another model, architecture or settings, or a damaged one; nothing was loaded.</exception>
                /// <exception cref="global::VaeGen.Training.TrainingDivergedException">The loss stopped being finite; the last checkpoint is left intact.</exception>
                {{generatedCode}}
                public global::VaeGen.Training.TrainingHistory Fit({{Tensor}} data{{ConditionsParameter}}, global::VaeGen.Training.TrainingOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)
                {
                    options ??= new global::VaeGen.Training.TrainingOptions();
                """);
            using (writer.Indent())
            {
                foreach (var check in DataSetChecks(fitting: true)) writer.Line(check);
                WriteTrainingChecks(writer);
                writer.Line($"using var session = new global::VaeGen.Training.TrainingSession(this, \"{spec.MetadataName}\", InputSize, data, options, objective{ConditionsArgument}, architecture: Architecture);");
                writer.Line("return TrainEpochs(session, options, cancellationToken);");
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
                /// Trains the model as <see cref="Fit(global::TorchSharp.torch.Tensor, global::VaeGen.Training.TrainingOptions?, global::System.Threading.CancellationToken)"/> does, on a data set read
                /// from <paramref name="data"/> pass after pass instead of held in memory: each epoch reads the stream once, through a
                /// shuffle buffer of <see cref="global::VaeGen.Training.TrainingOptions.ShuffleBufferSize"/> examples seeded by the seed and the epoch, so memory
                /// stays that of the buffer and a batch whatever the data set's size. The same seed and stream give the same run,
                /// and a resumed run continues as if it had never stopped. The examples' values are checked as the first epoch reads them.
                /// </summary>
                /// <param name="data">Training examples of {{spec.InputSize}} features, {{likelihood.DataRule}}.</param>
                /// <param name="options">How to train; null takes the defaults.</param>
                /// <param name="cancellationToken">Stops the run at the next batch boundary; the epochs completed so far are kept.</param>
                /// <returns>The figures of every completed epoch.</returns>
                /// <exception cref="global::System.ArgumentException">
                /// The stream's examples are not {{spec.InputSize}} wide or hold a value the likelihood cannot describe (the message gives its place in the stream),
                /// the validation data does not fit, or an option cannot work.
                /// </exception>
                /// <exception cref="global::System.IO.IOException">The checkpoint directory cannot be written, or holds a checkpoint that neither Resume nor OverwriteCheckpoint lets this run replace; the message names the path.</exception>
                /// <exception cref="global::System.IO.InvalidDataException">The stream yields another number of examples than it holds, or resuming from a checkpoint of another model, architecture or settings.</exception>
                /// <exception cref="global::VaeGen.Training.TrainingDivergedException">The loss stopped being finite; the last checkpoint is left intact.</exception>
                {{generatedCode}}
                public global::VaeGen.Training.TrainingHistory Fit(global::VaeGen.Data.IExampleStream data, global::VaeGen.Training.TrainingOptions? options = null, global::System.Threading.CancellationToken cancellationToken = default)
                {
                    options ??= new global::VaeGen.Training.TrainingOptions();
                    {{TensorChecks}}.RequireStream(data, InputSize, "data", "{{plainName}}");
                """);
            using (writer.Indent())
            {
                WriteTrainingChecks(writer);
                writer.Line($"using var session = new global::VaeGen.Training.TrainingSession(this, \"{spec.MetadataName}\", InputSize, data, options, objective, {likelihood.ValueRule}, architecture: Architecture);");
                writer.Line("return TrainEpochs(session, options, cancellationToken);");
            }
            writer.Line("}");
            writer.Line();
        }

        /// <summary>The checks of the validation data and options, and the objective, both Fit overloads begin with.</summary>
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

        /// <summary>The loop both Fit overloads run on their session: epochs of shuffled batches, forward, loss, objective, step.</summary>
        private void WriteTrainEpochs(SourceWriter writer)
        {
            var bernoulli = spec.Likelihood.Kind == LikelihoodKind.Bernoulli;
            writer.Lines($$"""
                /// <summary>The training loop of <c>Fit</c>: per epoch, shuffled batches from the session, forward, loss, the objective, backward, Adam's step; then validation and the checkpoint.</summary>
                {{generatedCode}}
                private global::VaeGen.Training.TrainingHistory TrainEpochs(global::VaeGen.Training.TrainingSession session, global::VaeGen.Training.TrainingOptions options, global::System.Threading.CancellationToken cancellationToken)
                {
                """);
            using (writer.Indent())
            {
                writer.Line("while (session.NextEpoch(cancellationToken))");
                using (writer.Block())
                {
                    writer.Line("// Each step's tensors live in a dispose scope that the next NextBatch call closes.");
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
