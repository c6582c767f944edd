using System.Collections.Immutable;

namespace VaeGen.Generators.Model;

/// <summary>The names the emitter gives to members of a VAE class; a user member with one of them is a conflict.</summary>
internal static class GeneratedMembers
{
    /// <summary>Every name the generated part may declare, whatever the likelihood, so the rule does not shift with it.</summary>
    public static readonly ImmutableHashSet<string> Names = ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "InputSize", "LatentSize", "ReconstructionSamples", "ObservationVariance",
        "encoder", "encoderMu", "encoderLogVar", "decoder", "decoderLogits", "decoderMean", "decoderLogVar",
        "Encode", "Reparameterize", "Decode", "DecodeMean", "DecodeWithLogVar", "forward", "Loss", "Sample", "Reconstruct",
        "LogLikelihood", "LogImportanceWeights", "Evaluate", "Fit", "Output", "Elbo",
        "ObservationScale", "ImageChannels", "ImageHeight", "ImageWidth", "ConditionSize", "Beta", "FreeBits", "ParameterCount",
        "MultiplyAccumulates", "encoderConv", "decoderProjection", "decoderConv", "decoderLocation", "decoderLogScale", "decoderLogRate",
        "DecodeWithLogScale", "ConditionFeatures", "EncodeGiven", "DecodeGiven", "DecodeWithLogVarGiven", "DecodeWithLogScaleGiven", "Interpolate", "LatentUsage",
        "prior", "pseudoInputs", "flow", "DrawPosterior", "LogPrior", "ForwardPass", "Architecture", "ExportOnnx", "TrainEpochs",
        "featureScaling", "Scaler", "FitScaling", "Save", "Load");
}
