using System.Collections.Generic;
using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;

namespace VaeGen.Generators.Emitting;

internal static partial class VaeEmitter
{
    /// <summary>What a value check does about the feature scaling before it checks scaled values.</summary>
    private enum ScalingStep
    {
        /// <summary>Nothing: the scaling is known to be fitted (Fit's validation data, after its training data).</summary>
        None,

        /// <summary>Refuse a scaling that was never fitted (Evaluate, LatentUsage, LogLikelihood).</summary>
        RequireFitted,

        /// <summary>Fit the scaling on this data unless it is fitted already (Fit's training data).</summary>
        FitWhenNeeded,
    }

    /// <summary>
    /// The feature scaling of a model declared with Scaling: the scaler field, where raw data becomes scaled and back,
    /// the checks of scaled values, FitScaling, and Save and Load, which every model has.
    /// </summary>
    private sealed partial class ModelText
    {
        private const string Scaler = "global::VaeGen.Scaling.FeatureScaler";

        /// <summary>
        /// True when the likelihood is a density over continuous values, so that reading it in raw units takes the change
        /// of variables, log p(x) = log p(scaled x) - sum_j log scale_j. The Bernoulli is a mass function (of binary data),
        /// which a one-to-one map leaves as it is.
        /// </summary>
        private bool RawUnitsJacobian => spec.Scaled && spec.Likelihood.Kind != LikelihoodKind.Bernoulli;

        /// <summary>True when the likelihood checks a range ([0, 1]) that holds for scaled, not raw, values.</summary>
        private bool ChecksScaledRange => spec.Scaled && spec.Likelihood.Kind is LikelihoodKind.Bernoulli or LikelihoodKind.ContinuousBernoulli;

        /// <summary>The statement that scales x for the networks, declared as <paramref name="declaration"/>.</summary>
        private static string ScaleStatement(string declaration) =>
            $"{declaration} = featureScaling.forward(x); // (x - shift) / scale: the features as the networks see them";

        /// <summary>The statement that returns a mean in scaled units back in raw units.</summary>
        private static string RestoreReturn(string local) =>
            $"return featureScaling.Restore({local}); // scaled * scale + shift: back in the data's raw units";

        /// <summary>
        /// The checks of a data set's values: the likelihood's check, or, in a scaled model, finite raw values, the
        /// scaling step, and the likelihood's range check on the scaled values.
        /// </summary>
        private IEnumerable<string> ValueChecks(string tensor, string parameter, ScalingStep step)
        {
            if (!spec.Scaled)
            {
                yield return likelihood.DataCheckCall(tensor, parameter, plainName) + ";";
                yield break;
            }
            yield return $"{TensorChecks}.RequireFinite({tensor}, \"{parameter}\", \"{plainName}\");";
            if (step == ScalingStep.FitWhenNeeded)
                yield return $"if (!featureScaling.IsFitted) featureScaling.Fit({tensor}); // fitted once, on the training data; a fitted scaling is kept";
            else if (step == ScalingStep.RequireFitted)
                yield return $"featureScaling.RequireFitted(\"{plainName}\");";
            if (ChecksScaledRange)
            {
                var check = likelihood.DataCheckCall("scaled", parameter, plainName);
                yield return $"featureScaling.CheckScaled({tensor}, \"{parameter}\", scaled => {check});";
            }
        }

        private void WriteScalingMembers(SourceWriter writer)
        {
            if (!spec.Scaled) return;
            var what = spec.Scaling == ScalingKind.Standardize
                ? "mean and standard deviation"
                : "minimum and range";
            writer.Lines($$"""
                /// <summary>
                /// The feature scaling ({{spec.Scaling}}): each feature's {{what}} in the training data, applied to every input before the
                /// encoder and undone on every decoded mean. <see cref="Fit"/> fits it on its training data the first time; it is kept
                /// in the state_dict (featureScaling.shift, featureScaling.scale, featureScaling.fitted), checkpoints, saved files and the ONNX export.
                /// </summary>
                {{generatedCode}}
                public {{Scaler}} Scaler => featureScaling;

                /// <summary>
                /// Fits the feature scaling on <paramref name="data"/> instead of leaving it to <see cref="Fit"/>, which keeps a fitted
                /// scaling: for training in a loop of your own, or to fit it on data you choose. Call it before training, not after.
                /// </summary>
                /// <param name="data">Training examples, shape [count, {{spec.InputSize}}], finite values.</param>
                /// <exception cref="global::System.ArgumentException">{{BatchRule("data", "count")}}, or holds a value that is not finite.</exception>
                {{generatedCode}}
                public void FitScaling({{Tensor}} data)
                {
                    {{BatchCheck("data")}}
                    {{TensorChecks}}.RequireFinite(data, "data", "{{plainName}}");
                    featureScaling.Fit(data);
                }

                """);
        }

        private void WriteSaveLoad(SourceWriter writer)
        {
            var scaling = spec.Scaled ? " and the feature scaling" : string.Empty;
            var load = spec.IsAbstract ? "loading" : "<see cref=\"Load\"/>";
            writer.Lines($$"""
                /// <summary>
                /// Saves the parameters{{scaling}} with the class name, <see cref="Architecture"/> and tensor shapes, so that
                /// {{load}} refuses a file of another model; written beside the target and renamed over it, never half-written.
                /// </summary>
                /// <param name="path">The file to write; its folder is created when missing.</param>
                /// <exception cref="global::System.IO.IOException">The file cannot be written; the message names it. An existing file is left as it was.</exception>
                {{generatedCode}}
                public void Save(string path) =>
                    global::VaeGen.IO.ModelFile.Save(this, "{{spec.MetadataName}}", Architecture, path);

                """);
            // An abstract class cannot be made, so it has nothing to load into.
            if (spec.IsAbstract) return;
            writer.Lines($$"""
                /// <summary>A new {{plainName}} in evaluation mode with the state{{scaling}} <see cref="Save"/> wrote to <paramref name="path"/>.</summary>
                /// <param name="path">The file.</param>
                /// <returns>The loaded model.</returns>
                /// <exception cref="global::System.IO.FileNotFoundException">There is no such file.</exception>
                /// <exception cref="global::System.IO.InvalidDataException">The file is not a saved model, is damaged, or holds another model, architecture or tensor; the message says what differs.</exception>
                {{generatedCode}}
                public static {{name}} Load(string path) =>
                    global::VaeGen.IO.ModelFile.Load(new {{name}}(), "{{spec.MetadataName}}", Architecture, path);

                """);
        }
    }
}
