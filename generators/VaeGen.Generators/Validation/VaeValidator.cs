using System;
using System.Collections.Generic;
using System.Linq;
using VaeGen.Generators.Model;
using static VaeGen.Generators.Diagnostics.DiagnosticDescriptors;

namespace VaeGen.Generators.Validation;

/// <summary>
/// Stage two: judges a <see cref="VaeDeclaration"/>. A sound declaration becomes a <see cref="VaeSpec"/>; any error
/// leaves the spec out, so invalid input never produces code, while warnings let it through.
/// </summary>
internal static class VaeValidator
{
    public static ValidationResult Validate(VaeDeclaration declaration)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var type = declaration.Type;
        var name = type.Name;

        CheckTypeShape(type, diagnostics);
        CheckMembers(declaration, diagnostics);

        if (declaration.LatentSize.Value < 1)
            diagnostics.Add(DiagnosticInfo.Create(LatentSizeNotPositive, declaration.LatentSize.Location, name, declaration.LatentSize.Value));

        var likelihoodKnown = EnumArguments.TryRead(declaration.Likelihood, LikelihoodKind.Bernoulli,
            a => DiagnosticInfo.Create(UnknownLikelihood, a.Location, name, a.Value), diagnostics, out var likelihood);
        LikelihoodKind? knownLikelihood = likelihoodKnown ? likelihood : null;

        var samples = declaration.Samples?.Value ?? 1;
        if (samples < 1) diagnostics.Add(DiagnosticInfo.Create(SamplesNotPositive, declaration.Samples!.Location, name, samples));

        var variance = CheckObservationParameter(declaration.ObservationVariance, knownLikelihood, LikelihoodKind.Gaussian,
            ObservationVarianceNotPositive, ObservationVarianceIgnored, name, diagnostics);
        var scale = CheckObservationParameter(declaration.ObservationScale, knownLikelihood, LikelihoodKind.Laplace,
            ObservationScaleNotPositive, ObservationScaleIgnored, name, diagnostics);
        var beta = CheckObjectiveWeight(declaration.Beta, "Beta", 1.0, name, diagnostics);
        var freeBits = CheckObjectiveWeight(declaration.FreeBits, "FreeBits", 0.0, name, diagnostics);
        var prior = CheckPrior(declaration, diagnostics);
        var posterior = CheckPosterior(declaration, diagnostics);
        var objective = CheckObjective(declaration, samples, beta, freeBits, prior, posterior, diagnostics);

        EnumArguments.TryRead(declaration.Data, DataKindValue.Unspecified,
            a => DiagnosticInfo.Create(UnknownDataKind, a.Location, name, a.Value), diagnostics, out var data);
        // Only declared data is held against the likelihood: Unspecified, written or not, means not declared, and an
        // undefined kind (VAE0038) declares nothing either.
        if (data != DataKindValue.Unspecified && knownLikelihood is { } known && LikelihoodContract.Mismatch(known, data) is { } mismatch)
            diagnostics.Add(DiagnosticInfo.Create(LikelihoodDoesNotFitData, declaration.Data!.Location, name, data, known, mismatch.Models, mismatch.Advice));

        var scaling = CheckScaling(declaration.Scaling, knownLikelihood, name, diagnostics);

        var encoder = CheckLayerStack(declaration.Encoder, "encoder", MissingEncoder, type, diagnostics);
        var decoder = CheckLayerStack(declaration.Decoder, "decoder", MissingDecoder, type, diagnostics);
        var outputActivation = CheckOutputActivation(declaration.Decoder?.OutputActivation, knownLikelihood, name, diagnostics);

        var image = CheckImage(declaration, diagnostics);
        var inputSize = CheckInputSize(declaration, image, diagnostics);
        var (encoderConvs, decoderConvs) = CheckConvolutions(declaration, image, diagnostics);
        var condition = CheckCondition(declaration.Condition, name, diagnostics);
        if (condition is not null)
        {
            // The condition joins the encoder's input (the last convolution's maps, flattened, or the features) and z:
            // each sum is a layer's width, so it must fit an int like every other size.
            // When the convolutions could not be worked out (their error is reported), neither can the encoder's input.
            if (declaration.EncoderConvs.Count == 0 || encoderConvs.Count > 0)
            {
                var encoderInput = encoderConvs.Count > 0 ? encoderConvs[encoderConvs.Count - 1].Output.Size : inputSize;
                CheckConditionedWidth(encoderInput, "the encoder's input", "features", condition, declaration, diagnostics);
            }
            CheckConditionedWidth(declaration.LatentSize.Value, "the decoder's input", "latent dimensions", condition, declaration, diagnostics);
        }
        var outputs = (long)inputSize * LikelihoodContract.ParametersPerFeature(likelihood);
        if (outputs > int.MaxValue)
        {
            diagnostics.Add(DiagnosticInfo.Create(SizeOverflow, declaration.VaeLocation ?? type.NameLocation, name,
                $"the decoder output ({inputSize} features x {LikelihoodContract.ParametersPerFeature(likelihood)} parameters)", outputs, "a 32-bit int"));
        }

        if (diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            return new ValidationResult(null, diagnostics.ToEquatableArray());

        var shape = new VaeSpec(type.Namespace, name, type.ContainingTypes, inputSize, declaration.LatentSize.Value,
            LikelihoodSpec.Create(likelihood, variance, scale), prior, posterior, objective, encoder!, decoder!, outputActivation, image, encoderConvs.ToEquatableArray(),
            decoderConvs.ToEquatableArray(), condition, new LayerPlan(EquatableArray<PlannedLayer>.Empty), scaling, type.IsAbstract);
        var card = Count(shape);
        if (card.Overflows.Count > 0)
        {
            // The counts are longs, unlike the sizes checked above.
            diagnostics.Add(DiagnosticInfo.Create(SizeOverflow, declaration.VaeLocation ?? type.NameLocation, name, card.Overflows[0], "more than 2^63 - 1", "a 64-bit long"));
            return new ValidationResult(null, diagnostics.ToEquatableArray());
        }

        var spec = shape with { Layers = card.Plan };
        return new ValidationResult(spec, diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// Scaling: a member of the enum, and one whose scaled values the likelihood can still describe. Standardized data
    /// leaves [0, 1], and no scaling keeps 8-bit levels or counts what they are.
    /// </summary>
    private static ScalingKind CheckScaling(Argument<int>? argument, LikelihoodKind? likelihood, string name, List<DiagnosticInfo> diagnostics)
    {
        if (!EnumArguments.TryRead(argument, ScalingKind.None,
                a => DiagnosticInfo.Create(UnknownScaling, a.Location, name, a.Value), diagnostics, out var scaling))
            return ScalingKind.None;
        if (scaling == ScalingKind.None || likelihood is not { } known) return scaling;
        var conflict = (scaling, known) switch
        {
            (ScalingKind.Standardize, LikelihoodKind.Bernoulli or LikelihoodKind.ContinuousBernoulli) =>
                ("gives values outside [0, 1] (mean 0, standard deviation 1)", "use Scaling = FeatureScaling.MinMax, which maps the training data to [0, 1], or a Gaussian or Laplace likelihood"),
            (_, LikelihoodKind.Categorical256) =>
                ("turns the 256 levels k / 255 into other values", "remove Scaling (the levels are already in [0, 1]), or use ContinuousBernoulli with MinMax"),
            (_, LikelihoodKind.Poisson) =>
                ("turns counts into fractions", "remove Scaling, or use a Gaussian or Laplace likelihood for scaled real values"),
            _ => ((string, string)?)null,
        };
        if (conflict is { } c)
            diagnostics.Add(DiagnosticInfo.Create(ScalingDoesNotFitLikelihood, argument!.Location, name, scaling, c.Item1, known, c.Item2));
        return scaling;
    }

    /// <summary>
    /// The smallest normal float32: the model computes in float32, where the reciprocal of anything smaller overflows.
    /// </summary>
    private const double SmallestNormalFloat32 = 1.1754943508222875E-38;

    /// <summary>
    /// ObservationVariance or ObservationScale: finite and at least <see cref="SmallestNormalFloat32"/> (a positive double
    /// below it, such as 1e-300, is zero or a subnormal as a float32, and its reciprocal infinite: every likelihood would be
    /// NaN or infinite), and a warning when the likelihood ignores it.
    /// </summary>
    private static double CheckObservationParameter(
        Argument<double>? argument, LikelihoodKind? likelihood, LikelihoodKind user,
        Microsoft.CodeAnalysis.DiagnosticDescriptor outOfRange, Microsoft.CodeAnalysis.DiagnosticDescriptor ignored, string name, List<DiagnosticInfo> diagnostics)
    {
        if (argument is null) return 1.0;
        var value = argument.Value;
        if (!(value >= SmallestNormalFloat32) || double.IsInfinity(value))
            diagnostics.Add(DiagnosticInfo.Create(outOfRange, argument.Location, name, value));
        else if (likelihood is { } known && known != user)
            diagnostics.Add(DiagnosticInfo.Create(ignored, argument.Location, name, known));
        return value;
    }

    private static double CheckObjectiveWeight(Argument<double>? argument, string property, double fallback, string name, List<DiagnosticInfo> diagnostics)
    {
        if (argument is null) return fallback;
        var value = argument.Value;
        if (!(value >= 0) || double.IsInfinity(value))
            diagnostics.Add(DiagnosticInfo.Create(ObjectiveWeightInvalid, argument.Location, name, property, value));
        return value;
    }

    private static ActivationKind CheckOutputActivation(Argument<int>? argument, LikelihoodKind? likelihood, string name, List<DiagnosticInfo> diagnostics)
    {
        EnumArguments.TryRead(argument, ActivationKind.Identity,
            a => DiagnosticInfo.Create(UnknownActivation, a.Location, name, a.Value, "decoder output"), diagnostics, out var activation);
        if (activation != ActivationKind.Identity && likelihood is { } known && LikelihoodContract.UnboundedOutputs(known) is { } outputs)
            diagnostics.Add(DiagnosticInfo.Create(OutputActivationNotAllowed, argument!.Location, name, activation, known, outputs));
        return activation;
    }

    private static ImageShape? CheckImage(VaeDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        if (declaration.Image is not { } image) return null;
        var name = declaration.Type.Name;
        var ok = true;
        foreach (var (argument, what) in new[] { (image.Channels, "channel count"), (image.Height, "height"), (image.Width, "width") })
        {
            if (argument.Value >= 1) continue;
            diagnostics.Add(DiagnosticInfo.Create(ImageDimensionNotPositive, argument.Location, name, what, argument.Value));
            ok = false;
        }
        return ok
            ? ShapeInference.Shape(image.Channels.Value, image.Height.Value, image.Width.Value, "the image size", image.Location, name, diagnostics)
            : null;
    }

    private static int CheckInputSize(VaeDeclaration declaration, ImageShape? image, List<DiagnosticInfo> diagnostics)
    {
        var name = declaration.Type.Name;
        if (declaration.InputSize is not { } inputSize)
        {
            if (declaration.Image is null)
                diagnostics.Add(DiagnosticInfo.Create(MissingInputSize, declaration.VaeLocation ?? declaration.Type.NameLocation, name, declaration.LatentSize.Value));
            return image?.Size ?? 0;
        }
        if (inputSize.Value < 1)
            diagnostics.Add(DiagnosticInfo.Create(InputSizeNotPositive, inputSize.Location, name, inputSize.Value));
        else if (image is not null && image.Size != inputSize.Value)
            diagnostics.Add(DiagnosticInfo.Create(InputSizeMismatchesImage, inputSize.Location, name, inputSize.Value, image, image.Size));
        return inputSize.Value;
    }

    private static (List<ConvLayer> Encoder, List<ConvLayer> Decoder) CheckConvolutions(
        VaeDeclaration declaration, ImageShape? image, List<DiagnosticInfo> diagnostics)
    {
        var none = (new List<ConvLayer>(), new List<ConvLayer>());
        var name = declaration.Type.Name;
        var encoderLayers = declaration.EncoderConvs;
        var decoderLayers = declaration.DecoderConvs;
        if (encoderLayers.Count == 0 && decoderLayers.Count == 0) return none;
        if (declaration.Image is null)
        {
            var first = encoderLayers.Count > 0 ? encoderLayers[0] : decoderLayers[0];
            diagnostics.Add(DiagnosticInfo.Create(ConvNeedsImageInput, first.Location, name));
            return none;
        }
        if (encoderLayers.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DecoderConvWithoutEncoderConv, decoderLayers[0].Location, name));
            return none;
        }
        if (image is null) return none;

        var encoder = ShapeInference.Encoder(image, encoderLayers, name, diagnostics);
        if (encoder is null || decoderLayers.Count == 0) return (encoder ?? new List<ConvLayer>(), new List<ConvLayer>());
        var decoder = ShapeInference.Decoder(image, encoder, decoderLayers, name, diagnostics);
        return (encoder, decoder ?? new List<ConvLayer>());
    }

    /// <summary>VAE0031 when <paramref name="width"/> plus the condition's width does not fit an int.</summary>
    private static void CheckConditionedWidth(
        int width, string what, string unit, ConditionSpec condition, VaeDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        var total = (long)width + condition.Size;
        if (width < 1 || total <= int.MaxValue) return;
        diagnostics.Add(DiagnosticInfo.Create(SizeOverflow, declaration.Condition?.Location ?? declaration.VaeLocation ?? declaration.Type.NameLocation,
            declaration.Type.Name, $"{what} ({width} {unit} + {condition.Size} condition features)", total, "a 32-bit int"));
    }

    private static ConditionSpec? CheckCondition(ConditionDeclaration? condition, string name, List<DiagnosticInfo> diagnostics)
    {
        if (condition is null) return null;
        var (classes, features) = (condition.Classes, condition.Features);
        if (classes is null && features is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(ConditionInvalid, condition.Location, name, "sets neither"));
            return null;
        }
        if (classes is not null && features is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(ConditionInvalid, features.Location, name,
                $"sets both Classes ({classes.Value}) and Features ({features.Value})"));
            return null;
        }
        var (argument, property) = classes is not null ? (classes, "Classes") : (features!, "Features");
        if (argument.Value < 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(ConditionInvalid, argument.Location, name, $"has {property} = {argument.Value}"));
            return null;
        }
        return new ConditionSpec(classes is not null, argument.Value);
    }

    /// <summary>The plan of the module the emitter builds from <paramref name="spec"/>, layer for layer, with its counts.</summary>
    internal static ModelCard Count(VaeSpec spec)
    {
        var card = new ModelCard();
        var conditionWidth = spec.Condition?.Size ?? 0;
        var perFeature = spec.OutputsPerFeature;

        for (var i = 0; i < spec.EncoderConvs.Count; i++) card.Conv($"encoderConv.conv{i + 1}", spec.EncoderConvs[i], spec.EncoderConvs[i].OutChannels);
        long width = spec.EncoderFeatures + conditionWidth;
        for (var i = 0; i < spec.Encoder.HiddenSizes.Count; i++)
        {
            card.Linear($"encoder.linear{i + 1}", LayerRole.Encoder, width, spec.Encoder.HiddenSizes[i]);
            width = spec.Encoder.HiddenSizes[i];
        }
        card.Linear("encoderMu", LayerRole.Encoder, width, spec.LatentSize);
        card.Linear("encoderLogVar", LayerRole.Encoder, width, spec.LatentSize);

        width = spec.LatentSize + conditionWidth;
        for (var i = 0; i < spec.Decoder.HiddenSizes.Count; i++)
        {
            card.Linear($"decoder.linear{i + 1}", LayerRole.Decoder, width, spec.Decoder.HiddenSizes[i]);
            width = spec.Decoder.HiddenSizes[i];
        }
        if (spec.DecoderConvs.Count > 0)
        {
            card.Linear("decoderProjection.linear", LayerRole.Decoder, width, spec.DecoderConvs[0].Input.Size);
            for (var i = 0; i < spec.DecoderConvs.Count; i++) card.ConvTranspose($"decoderConv.deconv{i + 1}", spec.DecoderConvs[i], spec.DecoderConvOutChannels(i));
        }
        else if (perFeature == 2)
        {
            card.Linear("decoder" + spec.Likelihood.Location, LayerRole.Decoder, width, spec.InputSize);
            card.Linear("decoder" + spec.Likelihood.Second, LayerRole.Decoder, width, spec.InputSize);
        }
        else
        {
            card.Linear("decoder" + spec.Likelihood.Location, LayerRole.Decoder, width, (long)spec.InputSize * perFeature);
        }
        PlanPosterior(card, spec);
        PlanPrior(card, spec);
        return card;
    }

    /// <summary>The flow's parameters and its multiply-accumulates per sample of z.</summary>
    private static void PlanPosterior(ModelCard card, VaeSpec spec)
    {
        var latent = (decimal)spec.LatentSize;
        var shape = spec.LatentSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (spec.Posterior)
        {
            case PosteriorSpec.PlanarFlow planar:
                // Per step u, w (D each) and b; w'z and u * h cost D each.
                card.Other("flow", "PlanarFlow", LayerRole.Posterior, shape, shape, spec.LatentSize,
                    planar.FlowSteps * (2 * latent + 1), planar.FlowSteps * 2 * latent);
                break;
            case PosteriorSpec.InverseAutoregressiveFlow iaf:
                // Per step a MADE: D -> H, H -> H, and two heads H -> D (m and s), each with biases.
                var hidden = (decimal)iaf.HiddenSize;
                card.Other("flow", "InverseAutoregressiveFlow", LayerRole.Posterior, shape, shape, spec.LatentSize,
                    iaf.FlowSteps * (3 * hidden * latent + hidden * hidden + 2 * hidden + 2 * latent),
                    iaf.FlowSteps * (3 * hidden * latent + hidden * hidden));
                break;
        }
    }

    /// <summary>A learned prior's parameters; it costs no multiply-accumulates per example's network pass.</summary>
    private static void PlanPrior(ModelCard card, VaeSpec spec)
    {
        var latent = (decimal)spec.LatentSize;
        switch (spec.Prior)
        {
            case PriorSpec.GaussianMixture mixture:
                // Means and log-variances (K x D each) and K logits.
                card.Other("prior", "MixturePrior", LayerRole.Prior, string.Empty, $"{mixture.Components}x{spec.LatentSize}", 0,
                    mixture.Components * (2 * latent + 1), 0);
                break;
            case PriorSpec.Vamp vamp:
                // K pseudo-inputs of the input's width, and for a conditional model a condition each.
                var width = (decimal)spec.InputSize + (spec.Condition?.Size ?? 0);
                card.Other("pseudoInputs", "PseudoInputs", LayerRole.Prior, string.Empty, $"{vamp.PseudoInputs}x{spec.InputSize}", 0,
                    vamp.PseudoInputs * width, 0);
                break;
        }
    }

    /// <summary>The prior the attributes declare: N(0, I) without one, null (after a diagnostic) when they conflict or a size is wrong.</summary>
    private static PriorSpec CheckPrior(VaeDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        if (!CheckComponents(declaration, declaration.Priors, "prior", diagnostics)) return new PriorSpec.StandardNormal();
        var declared = declaration.Priors[0];
        return declared.Attribute == "MixturePrior"
            ? new PriorSpec.GaussianMixture(declared.Size.Value)
            : new PriorSpec.Vamp(declared.Size.Value);
    }

    /// <summary>The posterior the attributes declare: the diagonal Gaussian, followed by the flow when there is one.</summary>
    private static PosteriorSpec CheckPosterior(VaeDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        if (!CheckComponents(declaration, declaration.Flows, "flow", diagnostics)) return new PosteriorSpec.DiagonalGaussian();
        var declared = declaration.Flows[0];
        return declared.HiddenSize is { } hidden
            ? new PosteriorSpec.InverseAutoregressiveFlow(declared.Size.Value, hidden.Value)
            : new PosteriorSpec.PlanarFlow(declared.Size.Value);
    }

    /// <summary>True when exactly one such attribute is declared and its sizes are at least 1; diagnostics for every one otherwise.</summary>
    private static bool CheckComponents(VaeDeclaration declaration, EquatableArray<ComponentDeclaration> components, string what, List<DiagnosticInfo> diagnostics)
    {
        if (components.Count == 0) return false;
        var name = declaration.Type.Name;
        for (var i = 1; i < components.Count; i++)
            diagnostics.Add(DiagnosticInfo.Create(ComponentConflict, components[i].Location, name, components[0].Attribute, components[i].Attribute, what));
        var ok = components.Count == 1;
        foreach (var declared in components)
        {
            var sizeName = declared.Attribute switch
            {
                "MixturePrior" => "components",
                "VampPrior" => "pseudoInputs",
                _ => "steps",
            };
            foreach (var (argument, argumentName) in new[] { (declared.Size, sizeName), (declared.HiddenSize, "hiddenSize") })
            {
                if (argument is null || argument.Value >= 1) continue;
                diagnostics.Add(DiagnosticInfo.Create(ComponentSizeNotPositive, argument.Location, name, declared.Attribute, argumentName, argument.Value));
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>The training objective, with the checks that tie Beta and FreeBits to what the objective and the KL allow.</summary>
    private static ObjectiveSpec CheckObjective(
        VaeDeclaration declaration, int samples, double beta, double freeBits, PriorSpec prior, PosteriorSpec posterior, List<DiagnosticInfo> diagnostics)
    {
        var name = declaration.Type.Name;
        EnumArguments.TryRead(declaration.Objective, ObjectiveKind.Elbo,
            a => DiagnosticInfo.Create(UnknownObjective, a.Location, name, a.Value), diagnostics, out var kind);
        if (kind == ObjectiveKind.ImportanceWeighted)
        {
            foreach (var (argument, property) in new[] { (declaration.Beta, "Beta"), (declaration.FreeBits, "FreeBits") })
            {
                if (argument is not null)
                    diagnostics.Add(DiagnosticInfo.Create(KlWeightWithImportanceWeighting, argument.Location, name, property, argument.Value));
            }
            if (samples == 1)
                diagnostics.Add(DiagnosticInfo.Create(ImportanceWeightedWithOneSample, declaration.Objective!.Location, name));
            return new ObjectiveSpec.ImportanceWeighted(samples);
        }

        var learnedPrior = prior is not PriorSpec.StandardNormal;
        var flow = posterior is not PosteriorSpec.DiagonalGaussian;
        // An invalid FreeBits (VAE0036) is reported once, for what it is.
        if (freeBits > 0 && !double.IsInfinity(freeBits) && (learnedPrior || flow))
        {
            var (why, remove) = learnedPrior
                ? ($"the learned prior [{declaration.Priors[0].Attribute}]", "prior")
                : ($"the flow posterior [{declaration.Flows[0].Attribute}]", "flow");
            diagnostics.Add(DiagnosticInfo.Create(FreeBitsNeedPerDimensionKl, declaration.FreeBits!.Location, name, freeBits, why, remove));
        }
        return new ObjectiveSpec.Elbo(samples, beta, freeBits);
    }

    private static void CheckTypeShape(TypeShape type, List<DiagnosticInfo> diagnostics)
    {
        var location = type.NameLocation;
        if (type.IsRecord) diagnostics.Add(DiagnosticInfo.Create(ClassIsRecord, location, type.Name));
        else if (!type.IsPartial) diagnostics.Add(DiagnosticInfo.Create(ClassNotPartial, location, type.Name));
        if (type.IsStatic) diagnostics.Add(DiagnosticInfo.Create(ClassIsStatic, location, type.Name));
        if (GeneratedMembers.Names.Contains(type.Name)) diagnostics.Add(DiagnosticInfo.Create(ClassNameReserved, location, type.Name));
        if (type.IsFileLocal) diagnostics.Add(DiagnosticInfo.Create(FileLocalClass, location, type.Name));
        if (type.VarTypeInScope) diagnostics.Add(DiagnosticInfo.Create(VarTypeInScope, location, type.Name));
        if (type.PrimaryConstructor is { } parameters) diagnostics.Add(DiagnosticInfo.Create(PrimaryConstructor, parameters, type.Name));

        var genericOwner = type.IsGeneric ? type.Name : type.ContainingTypes.LastOrDefault(t => t.IsGeneric)?.Name;
        if (genericOwner is not null) diagnostics.Add(DiagnosticInfo.Create(ClassIsGeneric, location, type.Name, genericOwner));

        foreach (var outer in type.ContainingTypes.Where(t => !t.IsPartial))
            diagnostics.Add(DiagnosticInfo.Create(ContainingTypeNotPartial, location, type.Name, outer.Name));

        if (type.BaseType is { } baseType)
            diagnostics.Add(DiagnosticInfo.Create(BaseClassDeclared, baseType.Location ?? location, type.Name, baseType.Name));
    }

    private static void CheckMembers(VaeDeclaration declaration, List<DiagnosticInfo> diagnostics)
    {
        var name = declaration.Type.Name;
        foreach (var member in declaration.ReservedMembers)
            diagnostics.Add(DiagnosticInfo.Create(MemberConflict, member.Location ?? declaration.Type.NameLocation, name, member.Name));
        foreach (var constructor in declaration.UnchainedConstructors)
            diagnostics.Add(DiagnosticInfo.Create(ConstructorMustChainToThis, constructor, name));
    }

    private static LayerStack? CheckLayerStack(
        LayerStackDeclaration? stack, string role, Microsoft.CodeAnalysis.DiagnosticDescriptor missing, TypeShape type, List<DiagnosticInfo> diagnostics)
    {
        if (stack is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(missing, type.NameLocation, type.Name));
            return null;
        }

        for (var i = 0; i < stack.HiddenSizes.Count; i++)
        {
            var size = stack.HiddenSizes[i];
            if (size.Value < 1) diagnostics.Add(DiagnosticInfo.Create(HiddenSizeNotPositive, size.Location, type.Name, i + 1, role, size.Value));
        }

        EnumArguments.TryRead(stack.Activation, ActivationKind.ReLU,
            a => DiagnosticInfo.Create(UnknownActivation, a.Location, type.Name, a.Value, role), diagnostics, out var activation);

        return new LayerStack(stack.HiddenSizes.Select(s => s.Value).ToEquatableArray(), activation);
    }
}
