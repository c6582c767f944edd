using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// The architecture fingerprint of a model: one "part: value" line for each thing that decides what its parameters
/// mean (sizes, likelihood, prior, posterior, objective and samples, activations, convolutions, and every module of the
/// layer plan with its shapes). A checkpoint records it; resuming compares it line by line, so a refusal can name the part that
/// differs ("layer decoder.linear1: checkpoint has Linear 20 -> 400, model has Linear 20 -> 512").
/// </summary>
internal static class ArchitectureText
{
    /// <summary>The lines, in a fixed order; each key (the text before ": ") appears once.</summary>
    public static IReadOnlyList<string> Lines(VaeSpec spec)
    {
        // Values hold no commas, so a refusal can list "checkpoint has X, model has Y" unambiguously.
        var lines = new List<string>
        {
            "input: " + Number(spec.InputSize) + (spec.Image is { } image ? $" (image {image})" : string.Empty),
            "latent: " + Number(spec.LatentSize),
            "condition: " + spec.Condition switch
            {
                null => "none",
                { IsClassLabel: true } label => $"class label of {Number(label.Size)} classes",
                { } features => $"{Number(features.Size)} features",
            },
            "likelihood: " + spec.Likelihood switch
            {
                LikelihoodSpec.FixedGaussian gaussian => $"Gaussian with variance {Number(gaussian.Variance)}",
                LikelihoodSpec.FixedLaplace laplace => $"Laplace with scale {Number(laplace.Scale)}",
                var other => other.Kind.ToString(),
            },
            "prior: " + spec.Prior switch
            {
                PriorSpec.GaussianMixture mixture => $"GaussianMixture of {Number(mixture.Components)} components",
                PriorSpec.Vamp vamp => $"Vamp with {Number(vamp.PseudoInputs)} pseudo-inputs",
                _ => "StandardNormal",
            },
            "posterior: " + spec.Posterior switch
            {
                PosteriorSpec.PlanarFlow planar => $"PlanarFlow of {Number(planar.FlowSteps)} steps",
                PosteriorSpec.InverseAutoregressiveFlow iaf => $"InverseAutoregressiveFlow of {Number(iaf.FlowSteps)} steps of width {Number(iaf.HiddenSize)}",
                _ => "DiagonalGaussian",
            },
            // Beta and free bits are left to the run's settings, which compare the values in effect (an option may override them).
            "objective: " + (spec.Objective is ObjectiveSpec.ImportanceWeighted ? "ImportanceWeighted" : "Elbo"),
            "samples: " + Number(spec.Samples),
            $"encoder activation: {spec.Encoder.Activation}",
            $"decoder activation: {spec.Decoder.Activation}",
            $"output activation: {spec.OutputActivation}",
        };
        // Only a scaled model has the line (and the featureScaling buffers), so existing fingerprints stay as they were.
        if (spec.Scaled) lines.Add($"scaling: {spec.Scaling}");
        for (var i = 0; i < spec.EncoderConvs.Count; i++)
        {
            var conv = spec.EncoderConvs[i];
            lines.Add($"encoder convolution {i + 1}: {conv.KernelSize}x{conv.KernelSize}/{conv.Stride} padding {conv.Padding} ({conv.Activation})");
        }
        for (var i = 0; i < spec.DecoderConvs.Count; i++)
        {
            var conv = spec.DecoderConvs[i];
            lines.Add($"decoder convolution {i + 1}: {conv.KernelSize}x{conv.KernelSize}/{conv.Stride} padding {conv.Padding} output padding {conv.OutputPadding} ({(conv.Activation is { } activation ? activation.ToString() : "no activation")})");
        }
        // The state dict's modules as the layer plan names them; their shapes say what each parameter tensor holds.
        lines.AddRange(spec.Layers.Layers.Select(layer =>
            $"layer {layer.Name}: {layer.Kind} {(layer.Input.Length > 0 ? layer.Input + " -> " : string.Empty)}{layer.Output}"));
        return lines;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
