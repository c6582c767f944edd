using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;
using VaeGen.Generators.Model;
using static VaeGen.Generators.Tests.Fuzzing.ArgGens;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of whole declarations. <see cref="Any"/> mixes sound declarations with every kind of defect;
/// <see cref="Valid"/> makes only declarations the generator must turn into compiling code.
/// </summary>
internal static class DeclarationGens
{
    // ----- Names -----

    /// <summary>A class name as written and as the compiler sees it.</summary>
    private sealed record Name(string Written, string Metadata, bool NeedsNamespace = false);

    private static Name N(string written) => new(written, written.TrimStart('@'));

    private static readonly Name[] OrdinaryNames =
    [
        N("Model"), N("FashionVae"), N("SensorVae"), N("Vae2"), N("Modèle"), N("Ωmega"), new("Vae\\u0041", "VaeA"), N("日本Vae"),
        N("_Hidden"), N("A"), N("Model_1"), N("Forward"), N("Outputs"), N("Sampler"), N("EncoderModel"),
    ];

    private static readonly Name[] KeywordNames = [N("@event"), N("@class"), N("@int"), N("@namespace"), N("@this"), N("@object"), N("@string"), N("@base")];

    private static readonly Name[] ContextualNames =
    [
        N("hidden"), N("scope"), N("session"), N("validation"), N("value"), N("async"), N("await"), N("dynamic"), N("nameof"),
        N("global"), N("args"), N("where"), N("from"), N("select"), N("when"), N("yield"), N("unmanaged"), N("notnull"), N("add"),
    ];

    /// <summary>Names of types and namespaces the generated code uses; it must qualify them so that these names cannot capture them.</summary>
    private static readonly Name[] HostileNames =
    [
        N("Tensor"), N("torch"), N("Module"), N("Linear"), N("Sequential"), N("Math"), N("Maths"), N("Training"), N("Checks"),
        N("Generator"), N("CancellationToken"), N("ArgumentException"), N("ArgumentOutOfRangeException"), N("List"), N("Object"),
        N("String"), N("Int32"), N("IDisposable"), N("GeneratedCode"), N("GeneratedCodeAttribute"), N("Reparameterization"),
        N("LogDensity"), N("GaussianKl"), N("ImportanceSampling"), N("Evaluation"), N("TrainingSession"), N("TrainingOptions"),
        N("TrainingHistory"), N("ElboSummary"), N("IVariationalAutoencoder"), N("TensorChecks"), N("Scalar"), N("nn"), N("Modules"),
        N("Conditioning"), N("ImageLayout"), N("KlObjective"), N("IConditionalVariationalAutoencoder"), N("Interpolation"),
        N("TrainingDivergedException"), N("Conv2d"), N("ConvTranspose2d"),
        // A type of these names in the global namespace hides the namespace itself, even from global::; only elsewhere.
        new("System", "System", NeedsNamespace: true), new("TorchSharp", "TorchSharp", NeedsNamespace: true),
        new("VaeGen", "VaeGen", NeedsNamespace: true), new("Microsoft", "Microsoft", NeedsNamespace: true),
    ];

    /// <summary>Sorted, so the generators do not depend on string hashing, which differs between processes.</summary>
    private static readonly string[] ReservedNames = [.. GeneratedMembers.Names.Order(StringComparer.Ordinal)];

    // A class named var makes the generated 'var' locals mean that class: VAE0022.
    private static readonly Name[] VarNames = [N("var"), N("@var")];

    private static Gen<Name> ValidName => Weighted(
        (8, Gen.OneOf(OrdinaryNames)),
        (2, Gen.OneOf(KeywordNames)),
        (2, Gen.OneOf(ContextualNames)),
        (3, Gen.OneOf(HostileNames)));

    private static Gen<Name> AnyName => Weighted(
        (12, ValidName),
        (1, Gen.OneOf(VarNames)),
        (2, Gen.OneOf(ReservedNames).Select(N)));

    // ----- Namespaces -----

    private static readonly string[] Namespaces =
    [
        "Models", "Demo.Zoo", "@class.@namespace", "Models.System", "Models.TorchSharp", "Models.VaeGen", "TorchSharp.Models",
        "VaeGen.Models", "Ünïcode.Models", "Models.torch", "Models.Tensor", "System.Models", "Models.Training",
    ];

    private static Gen<(NamespaceStyle Style, string? Name)> Namespace =>
        Gen.Select(
            Gen.Frequency((3, NamespaceStyle.Global), (4, NamespaceStyle.FileScoped), (3, NamespaceStyle.Block), (1, NamespaceStyle.NestedBlocks)),
            Gen.OneOf(Namespaces),
            (style, name) => (style, style == NamespaceStyle.Global ? null : name));

    // ----- Attributes -----

    private static void Judge(List<Defect> defects, Arg arg, string slot, string id)
    {
        if (arg.Verdict == Verdict.GeneratorRejects) defects.Add(new Defect($"{slot} = {arg.Text}", id));
        else if (arg.Verdict == Verdict.CompilerRejects) defects.Add(new Defect($"{slot} = {arg.Text}", null));
    }

    /// <summary>
    /// The Likelihood property as the whole declaration sees it: <paramref name="Written"/> is null when it is left at its
    /// default. Drawn before the attributes, because [Vae]'s other properties, the decoder's OutputActivation and the
    /// size checks all depend on it.
    /// </summary>
    private sealed record LikelihoodChoice(Arg? Written)
    {
        /// <summary>The likelihood the validator goes on with: the written one when defined, Bernoulli when absent; null when undefined.</summary>
        public int? Known => Written is null ? 0 : Written.Verdict == Verdict.Ok ? Written.Value : null;

        /// <summary>Decoder outputs per feature, as the validator counts them (Bernoulli's 1 for an undefined likelihood).</summary>
        public int ParametersPerFeature => Known switch { 2 or 4 => 2, 6 => 256, _ => 1 };

        /// <summary>Bernoulli, Continuous Bernoulli, Categorical256 and Poisson decoders output logits or log-rates, which no activation may bound.</summary>
        public bool OutputsUnbounded => Known is 0 or 5 or 6 or 7;
    }

    /// <summary>Written a third of the time when hostile (as before the newer likelihoods: an undefined one is a defect), more often when valid.</summary>
    private static Gen<LikelihoodChoice> LikelihoodGen(bool hostile) => Weighted(
        (hostile ? 6 : 5, Gen.Const(new LikelihoodChoice(null))),
        (hostile ? 3 : 4, (hostile ? AnyLikelihood : DefinedLikelihood).Select(l => new LikelihoodChoice(l))));

    /// <summary>
    /// Whether the likelihood cannot describe the data, per the README's contract table: Bernoulli and Continuous Bernoulli
    /// model [0, 1], Categorical256 the levels k / 255 (binary data are levels too), Poisson counts (binary ones too), the
    /// Gaussians and Laplaces any real. Unspecified means not declared, which nothing contradicts.
    /// </summary>
    private static bool Contradicts(int likelihood, int data) => data != 0 && likelihood switch
    {
        0 or 5 => data is 4 or 5,
        6 => data is not (1 or 3),
        7 => data is not (1 or 4),
        _ => false,
    };

    /// <summary>
    /// Whether the scaling takes the data where the likelihood cannot follow: standardized values leave [0, 1] (Bernoulli,
    /// Continuous Bernoulli), and any scaling turns levels (Categorical256) or counts (Poisson) into other values.
    /// </summary>
    private static bool ScalingContradicts(int likelihood, int scaling) => scaling switch
    {
        1 => likelihood is 0 or 5 or 6 or 7,
        2 => likelihood is 6 or 7,
        _ => false,
    };

    /// <summary>A Scaling the likelihood can follow, for the valid generator: the drawn one, or none.</summary>
    private static Arg CompatibleScaling(int likelihood, Arg scaling) =>
        !ScalingContradicts(likelihood, scaling.Value) ? scaling : ArgGens.Ok("FeatureScaling.None", 0);

    /// <summary>A Data value the likelihood can describe, for the valid generator: the drawn one, or the likelihood's own kind.</summary>
    private static Arg Compatible(int likelihood, Arg data) => !Contradicts(likelihood, data.Value) ? data : likelihood switch
    {
        6 => ArgGens.Ok("DataKind.Levels256", 3),
        7 => ArgGens.Ok("DataKind.Counts", 4),
        _ => ArgGens.Ok("DataKind.UnitInterval", 2),
    };

    /// <summary>[Vae] as written, and the sizes it declares as the validator will read them, for the checks that span attributes.</summary>
    /// <param name="InputSize">The input size the validator goes on with (from [ImageInput] for the one-argument form); null when the compiler rejects it.</param>
    /// <param name="LatentSize">The latent size; null when the compiler rejects it.</param>
    /// <param name="LatentOnly">The one-argument form, [Vae(latentSize)].</param>
    private sealed record VaeDraw(AttributeSpec Spec, long? InputSize, long? LatentSize, bool LatentOnly);

    /// <summary>The dice of [Vae]'s named properties other than Likelihood.</summary>
    private sealed record PropertyDice(Arg Samples, Arg Variance, Arg Scale, Arg Beta, Arg FreeBits, Arg Data, Arg Objective, int Rolls)
    {
        /// <summary>The Scaling drawn; the None member until one is.</summary>
        public Arg Scaling { get; init; } = ArgGens.Ok("FeatureScaling.None", 0);
    }

    private static Gen<PropertyDice> Properties(bool hostile, bool wild) =>
        Gen.Select(BaseProperties(hostile, wild), wild ? AnyScaling : DefinedScaling, (dice, scaling) => dice with { Scaling = scaling });

    private static Gen<PropertyDice> BaseProperties(bool hostile, bool wild) =>
        Gen.Select(
            hostile ? AnyInt(8) : PositiveInt(1, 8),
            hostile ? AnyVariance : PositiveVariance,
            wild ? AnyVariance : PositiveVariance,
            wild ? AnyWeight : ValidWeight,
            wild ? AnyWeight : ValidWeight,
            wild ? AnyDataKind : DefinedDataKind,
            wild ? AnyObjective : DefinedObjective,
            Gen.Int[0, int.MaxValue],
            (samples, variance, scale, beta, freeBits, data, objective, rolls) => new PropertyDice(samples, variance, scale, beta, freeBits, data, objective, rolls));

    /// <summary>
    /// [Vae(...)]: positional forms (by position, by name, in either order, the latent size alone, too few, too many,
    /// misnamed) and named properties, judged against the likelihood and the image plan. <paramref name="wild"/> lets the
    /// newer properties (ObservationScale, Beta, FreeBits, Data) be wrong too.
    /// </summary>
    private static Gen<VaeDraw> VaeAttribute(bool hostile, bool wild, LikelihoodChoice likelihood, ImagePlan plan, ImageFacts image, ComponentDraw components) =>
        Gen.Select(
            Gen.OneOf("Vae", "Vae", "Vae", "Vae", "VaeAttribute", "global::VaeGen.Vae", "global::VaeGen.VaeAttribute", "LocalVae", "GlobalVae"),
            hostile ? AnyInt(2000) : PositiveInt(1, 2000),
            hostile ? AnyInt(64) : PositiveInt(1, 64),
            Properties(hostile, wild),
            // With an image, the one-argument form (4) is the natural one; without, it is a defect.
            (hostile, plan.Image is not null) switch
            {
                (true, false) => Gen.Frequency((40, 0), (5, 1), (5, 2), (3, 3), (1, 4), (1, 5), (1, 6), (1, 7)),
                (true, true) => Gen.Frequency((25, 0), (4, 1), (4, 2), (3, 3), (30, 4), (1, 5), (1, 6), (1, 7)),
                (false, false) => Gen.Frequency((40, 0), (5, 1), (5, 2), (3, 3)),
                (false, true) => Gen.Frequency((25, 0), (4, 1), (4, 2), (3, 3), (40, 4)),
            },
            Gen.Int[0, 99],
            (spelling, input, latent, properties, form, extra) =>
            {
                var defects = new List<Defect>();
                var arguments = new List<string>();
                var twoArguments = form is 0 or 1 or 2 or 3;

                // A two-argument [Vae] beside [ImageInput] writes the image's size, or (the injected slip) not quite.
                if (twoArguments && image.ImageSize is { } imageSize && input.Verdict == Verdict.Ok)
                {
                    input = Int((int)(imageSize + plan.InputDelta), properties.Rolls % 10, true);
                    if (plan.InputDelta != 0) defects.Add(new Defect($"inputSize {input} for a {imageSize}-value image", "VAE0024"));
                }

                switch (form)
                {
                    case 1: arguments.Add($"inputSize: {input}"); arguments.Add($"latentSize: {latent}"); break;
                    case 2: arguments.Add($"latentSize: {latent}"); arguments.Add($"inputSize: {input}"); break;
                    case 3: arguments.Add($"inputSize: {input}"); arguments.Add($"{latent}"); break;
                    case 4:
                        arguments.Add(extra % 3 == 0 ? $"latentSize: {latent}" : $"{latent}");
                        if (plan.Image is null) defects.Add(new Defect("latent size alone, without [ImageInput]", "VAE0025"));
                        break;
                    case 5: defects.Add(new Defect("no constructor arguments", null)); break;
                    case 6: arguments.Add($"{input}"); arguments.Add($"{latent}"); arguments.Add("3"); defects.Add(new Defect("three constructor arguments", null)); break;
                    case 7: arguments.Add($"input: {input}"); arguments.Add($"latentSize: {latent}"); defects.Add(new Defect("misnamed argument 'input'", null)); break;
                    default: arguments.Add($"{input}"); arguments.Add($"{latent}"); break;
                }
                if (twoArguments) Judge(defects, input, "inputSize", "VAE0007");
                if (twoArguments || form == 4) Judge(defects, latent, "latentSize", "VAE0008");

                // The input size the validator goes on with: the written one, or the image's (0 when it has none).
                long? inputSize = twoArguments && input.Verdict != Verdict.CompilerRejects ? input.Value
                    : form == 4 ? image.ImageSize ?? 0
                    : null;
                long? latentSize = (twoArguments || form == 4) && latent.Verdict != Verdict.CompilerRejects ? latent.Value : null;
                // A learned variance or scale doubles the decoder's outputs, 256 levels multiply them: the width must stay an int.
                if (inputSize is >= 1 && inputSize * likelihood.ParametersPerFeature > int.MaxValue)
                    defects.Add(new Defect($"{inputSize} features x {likelihood.ParametersPerFeature} decoder outputs", "VAE0031"));

                var rolls = properties.Rolls;
                int Roll(int sides)
                {
                    var roll = rolls % sides;
                    rolls /= sides;
                    return roll;
                }

                var named = new List<string>();
                if (likelihood.Written is { } written)
                {
                    named.Add($"Likelihood = {written}");
                    Judge(defects, written, "Likelihood", "VAE0015");
                }
                if (Roll(3) == 0)
                {
                    named.Add($"Samples = {properties.Samples}");
                    Judge(defects, properties.Samples, "Samples", "VAE0012");
                }
                // The valid generator sets a variance or a scale only with the likelihood that reads it.
                ObservationParameter(Roll(3) == 0, hostile, "ObservationVariance", properties.Variance, 1, "VAE0013", "VAE0014");
                ObservationParameter(Roll(5) == 0, wild, "ObservationScale", properties.Scale, 3, "VAE0034", "VAE0035");
                // The importance-weighted objective is drawn first: it has no KL term for Beta and FreeBits to shape.
                var objective = Roll(8) == 0 ? properties.Objective : null;
                var oneSample = !named.Any(n => n.StartsWith("Samples =", StringComparison.Ordinal)) || properties.Samples is { Verdict: Verdict.Ok, Value: 1 };
                // The valid generator never draws the warning: a bound over one sample is written only by the hostile one.
                if (!hostile && objective is { Verdict: Verdict.Ok, Value: 1 } && oneSample) objective = null;
                var importanceWeighted = objective is { Verdict: Verdict.Ok, Value: 1 };
                if (objective is not null)
                {
                    named.Add($"Objective = {objective}");
                    Judge(defects, objective, "Objective", "VAE0043");
                    if (importanceWeighted && oneSample)
                        defects.Add(new Defect("the importance-weighted bound with one sample", "VAE0044", IsWarning: true));
                }
                // The valid generator leaves Beta and FreeBits out where they would be refused.
                var weightsAllowed = wild || !importanceWeighted;
                if (Roll(5) == 0 && weightsAllowed)
                {
                    named.Add($"Beta = {properties.Beta}");
                    Judge(defects, properties.Beta, "Beta", "VAE0036");
                    KlWeight(properties.Beta, "Beta");
                }
                var freeBits = Roll(5) == 0 && (weightsAllowed && (wild || !components.SplitsKlOrUnknown(false))) ? properties.FreeBits : null;
                if (freeBits is not null)
                {
                    named.Add($"FreeBits = {freeBits}");
                    Judge(defects, freeBits, "FreeBits", "VAE0036");
                    KlWeight(freeBits, "FreeBits");
                    // Free bits floor a per-dimension KL, which a learned prior or a flow does not have (only under the ELBO).
                    if (!importanceWeighted && objective?.Verdict != Verdict.CompilerRejects && freeBits.Verdict == Verdict.Ok
                        && IsPositive(freeBits) && components.SplitsKlOrUnknown(true))
                        defects.Add(new Defect($"FreeBits = {freeBits} with {components.Name}", "VAE0041"));
                }
                if (Roll(4) == 0)
                {
                    // Even the wild generator mostly declares data its likelihood fits, so that contradictions stay one defect among others.
                    var data = (wild && Roll(3) == 0) || likelihood.Known is not { } known ? properties.Data : Compatible(known, properties.Data);
                    named.Add($"Data = {data}");
                    Judge(defects, data, "Data", "VAE0038");
                    // Only a defined kind is held against a defined likelihood.
                    if (data.Verdict == Verdict.Ok && likelihood.Known is { } defined && Contradicts(defined, data.Value))
                        defects.Add(new Defect($"Data = {data} with likelihood {likelihood.Written}", "VAE0032"));
                }
                if (Roll(4) == 0)
                {
                    // As for Data: the wild generator sometimes scales data its likelihood cannot follow.
                    var scaling = (wild && Roll(3) == 0) || likelihood.Known is not { } known ? properties.Scaling : CompatibleScaling(known, properties.Scaling);
                    named.Add($"Scaling = {scaling}");
                    Judge(defects, scaling, "Scaling", "VAE0045");
                    // Only a defined scaling is held against a defined likelihood.
                    if (scaling.Verdict == Verdict.Ok && likelihood.Known is { } defined && ScalingContradicts(defined, scaling.Value))
                        defects.Add(new Defect($"Scaling = {scaling} with likelihood {likelihood.Written}", "VAE0046"));
                }
                named = Permute(named, Roll(1000));
                if (hostile && extra < 1 && named.Count > 0)
                {
                    named.Add(named[0]);
                    defects.Add(new Defect($"named argument twice: {named[0]}", null));
                }
                else if (hostile && extra < 2)
                {
                    named.Add("Seed = 1");
                    defects.Add(new Defect("unknown named argument Seed", null));
                }
                arguments.AddRange(named);
                var text = arguments.Count == 0 ? (extra % 2 == 0 ? spelling : spelling + "()") : $"{spelling}({string.Join(", ", arguments)})";
                return new VaeDraw(new AttributeSpec(text, [.. defects]), inputSize, latentSize, form == 4);

                // Beta or FreeBits written beside the importance-weighted objective, whatever its value, unless the compiler rejects it.
                void KlWeight(Arg value, string property)
                {
                    if (importanceWeighted && value.Verdict != Verdict.CompilerRejects)
                        defects.Add(new Defect($"{property} with Objective.ImportanceWeighted", "VAE0042"));
                }

                void ObservationParameter(bool drawn, bool anyLikelihood, string property, Arg value, int user, string notPositive, string ignored)
                {
                    if (!drawn || !(anyLikelihood || likelihood.Known == user)) return;
                    named.Add($"{property} = {value}");
                    Judge(defects, value, property, notPositive);
                    // A sound value the likelihood does not read draws a warning, when the likelihood is known at all.
                    if (value.Verdict == Verdict.Ok && likelihood.Known is { } known && known != user)
                        defects.Add(new Defect($"{property} with likelihood {likelihood.Written?.Text ?? "Bernoulli"}", ignored, IsWarning: true));
                }
            });

    /// <summary>[Encoder] or [Decoder] as written, and its hidden sizes when it is sound (else default).</summary>
    private sealed record StackDraw(AttributeSpec Spec, ImmutableArray<long> Sizes);

    /// <summary>
    /// [Encoder(...)] or [Decoder(...)]: sizes as params, in an array (typed, implicitly typed, collection expression, named),
    /// or null; the decoder's OutputActivation judged against the likelihood.
    /// </summary>
    private static Gen<StackDraw> StackAttribute(string role, bool hostile, bool wild, LikelihoodChoice likelihood) =>
        Gen.Select(
            Gen.OneOf(role, role, role, role, role + "Attribute", "global::VaeGen." + role, "Global" + role),
            (hostile ? AnyInt(1024) : PositiveInt(1, 1024)).Array[0, 4],
            Gen.Int[0, 99],
            hostile ? AnyActivation : DefinedActivation,
            Gen.Int[0, 99],
            wild ? AnyActivation : DefinedActivation,
            (spelling, sizes, formRoll, activation, activationRoll, outputActivation) =>
            {
                var defects = new List<Defect>();
                var lower = role.ToLowerInvariant();
                for (var i = 0; i < sizes.Length; i++) Judge(defects, sizes[i], $"{lower} layer {i + 1}", "VAE0009");
                var list = string.Join(", ", sizes.Select(s => s.Text));
                var needsNullableDisabled = false;
                string? sizeArgument;
                if (formRoll < 55) sizeArgument = sizes.Length == 0 ? null : list;
                else if (formRoll < 65 && (hostile || sizes.Length > 0))
                {
                    sizeArgument = $"new[] {{ {list} }}";
                    // An implicitly typed array is an int[] only if some element is an int.
                    if (!sizes.Any(s => s.IsInt) && sizes.All(s => s.Verdict != Verdict.CompilerRejects))
                        defects.Add(new Defect($"new[] {{ {list} }} is not an int[]", null));
                }
                else if (formRoll < 75) sizeArgument = sizes.Length == 0 ? "new int[0]" : $"new int[] {{ {list} }}";
                else if (formRoll < 88) sizeArgument = $"[{list}]";
                else if (formRoll < 95) sizeArgument = $"hiddenSizes: new int[] {{ {list} }}";
                else if (sizes.Length == 0)
                {
                    sizeArgument = "null";
                    needsNullableDisabled = true;
                }
                else sizeArgument = list;

                var arguments = new List<string>();
                if (sizeArgument is not null) arguments.Add(sizeArgument);
                if (activationRoll < 35)
                {
                    arguments.Add($"Activation = {activation}");
                    Judge(defects, activation, $"{role} Activation", "VAE0016");
                }
                else if (hostile && activationRoll < 36)
                {
                    arguments.Add($"Activation = {activation}");
                    arguments.Add("Activation = Activation.Tanh");
                    defects.Add(new Defect($"{role} Activation twice", null));
                }
                else if (hostile && activationRoll < 37)
                {
                    arguments.Add("Dropout = 0.5");
                    defects.Add(new Defect($"unknown named argument {role}.Dropout", null));
                }
                // Only the Gaussians' and Laplaces' locations may be bounded; the valid generator bounds nothing else.
                if (role == "Decoder" && formRoll % 4 == 0 && (!likelihood.OutputsUnbounded && likelihood.Known is not null || wild && formRoll % 24 == 0))
                {
                    arguments.Add($"OutputActivation = {outputActivation}");
                    Judge(defects, outputActivation, "OutputActivation", "VAE0016");
                    if (outputActivation.Verdict == Verdict.Ok && outputActivation.Value != 8 && likelihood.OutputsUnbounded)
                        defects.Add(new Defect($"OutputActivation = {outputActivation} with likelihood {likelihood.Written?.Text ?? "Bernoulli"}", "VAE0033"));
                }
                var text = arguments.Count == 0 ? (formRoll % 2 == 0 ? spelling : spelling + "()") : $"{spelling}({string.Join(", ", arguments)})";
                return new StackDraw(new AttributeSpec(text, [.. defects], needsNullableDisabled), defects.Count == 0 ? [.. sizes.Select(s => (long)s.Value)] : default);
            });

    /// <summary>A Beta or FreeBits the generator accepts that is above 0, judged on the value it stands for.</summary>
    private static bool IsPositive(Arg weight) => weight.Real > 0;

    /// <summary>
    /// The prior and flow attributes as written. <paramref name="Name"/> names the learned prior or flow that stops the KL
    /// splitting per dimension (the first one, as the validator reports it), or null for none or when its attribute does not bind.
    /// </summary>
    private sealed record ComponentDraw(
        ImmutableArray<AttributeSpec> Specs, string? Name, ImmutableArray<string> Features, (string Kind, long Size)? Prior, (string Kind, long Steps, long Hidden)? Flow)
    {
        /// <summary>
        /// Whether a learned prior or flow is declared, for the FreeBits check. <paramref name="sound"/> true: one that the
        /// validator accepted as declared (VAE0041 needs it); false: any attempt at one, which the valid generator avoids.
        /// </summary>
        public bool SplitsKlOrUnknown(bool sound) => sound ? Name is not null : Specs.Length > 0;
    }

    /// <summary>
    /// No prior or flow most often; a mixture prior, a VampPrior, a planar flow or an inverse autoregressive flow, a prior
    /// with a flow; when <paramref name="wild"/>, sizes below 1, two priors or two flows, or forms the compiler rejects.
    /// </summary>
    private static Gen<ComponentDraw> Components(bool wild) =>
        Gen.Select(
            // Mostly sound sizes even when wild, so that the other defects of a case are not drowned.
            wild ? Weighted((3, PositiveInt(1, 12)), (1, AnyInt(12))) : PositiveInt(1, 12),
            wild ? Weighted((3, PositiveInt(1, 6)), (1, AnyInt(6))) : PositiveInt(1, 6),
            wild ? Weighted((3, PositiveInt(1, 32)), (1, AnyInt(32))) : PositiveInt(1, 32),
            Gen.Int[0, 99],
            Gen.Int[0, 99],
            (size, steps, hidden, priorRoll, flowRoll) =>
            {
                var specs = new List<AttributeSpec>();
                var features = new List<string>();
                string? name = null;
                var prior = priorRoll switch { < 84 => null, < 92 => "MixturePrior", _ => "VampPrior" };
                (string, long)? soundPrior = null;
                (string, long, long)? soundFlow = null;
                var flow = flowRoll switch { < 84 => null, < 92 => "PlanarFlow", _ => "InverseAutoregressiveFlow" };
                if (prior is not null)
                {
                    var defects = new List<Defect>();
                    Judge(defects, size, $"[{prior}] size", "VAE0039");
                    specs.Add(new AttributeSpec($"{prior}({size})", [.. defects]));
                    // A second prior of the other kind: the validator then keeps N(0, I).
                    var twoPriors = wild && priorRoll % 7 == 0;
                    if (twoPriors)
                        specs.Add(new AttributeSpec($"{(prior == "VampPrior" ? "MixturePrior" : "VampPrior")}(2)", [new Defect("two priors", "VAE0040")]));
                    if (size.Verdict == Verdict.Ok && !twoPriors)
                    {
                        name = $"[{prior}]";
                        features.Add(prior);
                        soundPrior = (prior, size.Value);
                    }
                }
                if (flow is not null)
                {
                    var defects = new List<Defect>();
                    Judge(defects, steps, $"[{flow}] steps", "VAE0039");
                    var text = flow == "PlanarFlow" ? $"PlanarFlow({steps})" : $"InverseAutoregressiveFlow({steps}, {hidden})";
                    if (flow != "PlanarFlow") Judge(defects, hidden, "[InverseAutoregressiveFlow] hiddenSize", "VAE0039");
                    specs.Add(new AttributeSpec(text, [.. defects]));
                    var twoFlows = wild && flowRoll % 5 == 0;
                    if (twoFlows)
                        specs.Add(new AttributeSpec(flow == "PlanarFlow" ? "InverseAutoregressiveFlow(1, 4)" : "PlanarFlow(1)", [new Defect("two flows", "VAE0040")]));
                    var flowSound = defects.Count == 0 && !twoFlows;
                    if (flowSound)
                    {
                        features.Add(flow);
                        soundFlow = (flow, steps.Value, hidden.Value);
                    }
                    // The validator names the prior first when both are there.
                    if (flowSound && name is null) name = $"[{flow}]";
                    if (wild && flowRoll % 11 == 1)
                        specs.Add(new AttributeSpec("PlanarFlow", [new Defect("[PlanarFlow] without its steps", null)]));
                }
                return new ComponentDraw([.. specs], name, [.. features], soundPrior, soundFlow);
            });

    /// <summary>[Condition] as written, and the width of the condition it declares when it is sound.</summary>
    private sealed record ConditionDraw(ImmutableArray<AttributeSpec> Specs, long? Size, string? Feature);

    /// <summary>
    /// No [Condition] most often; Classes or Features (any int for <paramref name="hostile"/>, so at times int.MaxValue, whose
    /// sum with the input no longer fits); both, neither, twice, or forms the compiler rejects.
    /// </summary>
    private static Gen<ConditionDraw> Condition(bool hostile) =>
        Gen.Select(
            Gen.OneOf("Condition", "Condition", "ConditionAttribute", "global::VaeGen.Condition"),
            hostile ? AnyInt(64) : PositiveInt(1, 32),
            hostile ? AnyInt(64) : PositiveInt(1, 32),
            Gen.Int[0, 99],
            (spelling, classes, features, roll) =>
            {
                if (!hostile)
                {
                    return roll < 70 ? new ConditionDraw([], null, null)
                        : roll < 85 ? Single("Classes", classes, "condition (classes)")
                        : Single("Features", features, "condition (features)");
                }
                return roll switch
                {
                    < 78 => new ConditionDraw([], null, null),
                    < 87 => Single("Classes", classes, "condition (classes)"),
                    < 96 => Single("Features", features, "condition (features)"),
                    < 97 => Both(),
                    < 98 => Draw(roll % 2 == 0 ? spelling : spelling + "()", "neither Classes nor Features", "VAE0037"),
                    _ => ((roll + classes.Value) % 3) switch
                    {
                        0 => new ConditionDraw(
                            [new AttributeSpec($"{spelling}(Classes = {classes})", [new Defect("[Condition] twice", null)]), new AttributeSpec($"{spelling}(Features = {features})", [])],
                            null, null),
                        1 => Draw($"{spelling}({classes})", "a positional [Condition] argument", null),
                        _ => Draw($"{spelling}(Size = {features})", "unknown named argument Condition.Size", null),
                    },
                };

                // Both set is VAE0037 when both compile; the compiler has the last word on any that does not.
                ConditionDraw Both()
                {
                    var defects = new List<Defect>();
                    if (classes.Verdict == Verdict.CompilerRejects || features.Verdict == Verdict.CompilerRejects)
                    {
                        Judge(defects, classes, "Condition Classes", "VAE0037");
                        Judge(defects, features, "Condition Features", "VAE0037");
                    }
                    else defects.Add(new Defect("both Classes and Features", "VAE0037"));
                    return new ConditionDraw([new AttributeSpec($"{spelling}(Classes = {classes}, Features = {features})", [.. defects])], null, null);
                }

                ConditionDraw Single(string property, Arg size, string feature)
                {
                    var defects = new List<Defect>();
                    Judge(defects, size, $"Condition {property}", "VAE0037");
                    var spec = new AttributeSpec($"{spelling}({property} = {size})", [.. defects]);
                    return new ConditionDraw([spec], size.Verdict == Verdict.Ok ? size.Value : null, feature);
                }

                ConditionDraw Draw(string text, string what, string? id) => new([new AttributeSpec(text, [new Defect(what, id)])], null, null);
            });

    /// <summary>Which of [Vae], [Encoder] and [Decoder] are there, once, twice or not at all; the image, the layers and the condition.</summary>
    /// <param name="SizeOverflows">The model the attributes describe, if sound, has more parameters or multiply-accumulates than a long holds (<see cref="SizeOracle"/>).</param>
    private sealed record AttributeSet(ImmutableArray<AttributeSpec> Attributes, ImmutableArray<Defect> Defects, int VaeCount, ImmutableArray<string> Features, bool SizeOverflows);

    /// <summary>
    /// The attributes. A hostile set is wild in the newer attributes and properties (images, convolutions, conditions, the
    /// objective, the data, the output activation, priors and flows) in 40% of the cases only: defects are many already, and the rest give
    /// sound convolutional and conditional models the chance to reach the full compilation.
    /// </summary>
    private static Gen<AttributeSet> Attributes(bool hostile) =>
        Gen.Int[0, 99].SelectMany(focus => Attributes(hostile, wild: hostile && focus < 40));

    private static Gen<AttributeSet> Attributes(bool hostile, bool wild) =>
        Gen.SelectMany(LikelihoodGen(hostile), ImageGens.Plan(wild), Condition(wild), Components(wild), (likelihood, plan, condition, components) =>
        {
            var image = ImageOracle.Judge(plan);
            return Gen.Select(
                VaeAttribute(hostile, wild, likelihood, plan, image, components), VaeAttribute(hostile, wild, likelihood, plan, image, components),
                StackAttribute("Encoder", hostile, wild, likelihood), StackAttribute("Encoder", hostile, wild, likelihood),
                StackAttribute("Decoder", hostile, wild, likelihood), StackAttribute("Decoder", hostile, wild, likelihood),
                Gen.Int[0, 999_999],
                Gen.Int[0, int.MaxValue],
                (vae, vae2, encoder, encoder2, decoder, decoder2, rolls, order) =>
                {
                    var attributes = new List<AttributeSpec>();
                    var defects = new List<Defect>();
                    var vaeCount = Presence(hostile, rolls % 100, 96, 99);
                    var encoderCount = Presence(hostile, rolls / 100 % 100, 95, 99);
                    var decoderCount = Presence(hostile, rolls / 10_000 % 100, 95, 99);
                    Add(vaeCount, vae.Spec, vae2.Spec, "[Vae]", null);
                    Add(encoderCount, encoder.Spec, encoder2.Spec, "[Encoder]", "VAE0010");
                    Add(decoderCount, decoder.Spec, decoder2.Spec, "[Decoder]", "VAE0011");
                    attributes.AddRange(plan.Attributes());
                    defects.AddRange(image.Defects);
                    attributes.AddRange(condition.Specs);
                    attributes.AddRange(components.Specs);

                    // The condition joins the encoder's input (the last convolution's output, or the features) and z: both sums must stay ints.
                    if (condition.Size is { } width && !image.HasCompilerDefect)
                    {
                        // The flattened maps when the encoder has convolutions (unknown when they break), else the features.
                        var encoderInput = plan.Encoder.Length > 0 ? image.EncoderOutputSize : vae.InputSize;
                        if (encoderInput is >= 1 && encoderInput + width > int.MaxValue)
                            defects.Add(new Defect($"{encoderInput} encoder inputs + {width} condition features", "VAE0031"));
                        if (vae.LatentSize is >= 1 && vae.LatentSize + width > int.MaxValue)
                            defects.Add(new Defect($"{vae.LatentSize} latent dimensions + {width} condition features", "VAE0031"));
                    }

                    var features = new List<string>();
                    if (plan.Image is not null) features.Add(plan.Encoder.Length > 0 ? "encoder convolutions" : "image, dense layers");
                    if (plan.Decoder.Length > 0) features.Add("transposed convolutions");
                    if (condition.Feature is not null) features.Add(condition.Feature);
                    if (likelihood.Known is >= 3 and <= 7) features.Add($"likelihood {(global::VaeGen.Likelihood)likelihood.Known}");
                    var vaeText = vae.Spec.Text;
                    features.AddRange(components.Features);
                    if (vae.Spec.Text.Contains("Objective = ", StringComparison.Ordinal)) features.Add("Objective");
                    foreach (var property in new[] { "ObservationScale", "Beta", "FreeBits", "Data", "Scaling" })
                        if (vaeText.Contains(property + " =", StringComparison.Ordinal)) features.Add(property);
                    if (decoder.Spec.Text.Contains("OutputActivation", StringComparison.Ordinal)) features.Add("OutputActivation");
                    if (vae.LatentOnly && plan.Image is not null) features.Add("[Vae(latentSize)]");
                    // Named in a failure's description; among the cases compiled in full, an injection the oracle found harmless
                    // (a slip that still gives the image back, an input size beside a one-argument [Vae]).
                    if (plan.Injected is { } injected) features.Add("injected: " + injected);

                    // Counted only when every size is known; were one not, the declaration has another error, which VaeGen reports instead.
                    var overflows = vae.InputSize is >= 1 && vae.LatentSize is >= 1 && !encoder.Sizes.IsDefault && !decoder.Sizes.IsDefault
                        && !image.Convolutions.Encoder.IsDefault && SizeOracle.Overflows(new ModelSizes(
                            vae.InputSize.Value, vae.LatentSize.Value, condition.Size ?? 0, encoder.Sizes, decoder.Sizes, likelihood.ParametersPerFeature,
                            image.Convolutions.Encoder, image.Convolutions.Decoder, components.Prior, components.Flow));

                    return new AttributeSet([.. KeepGroupOrder(Permute(attributes, order), attributes)], [.. defects], vaeCount, [.. features], overflows);

                    void Add(int count, AttributeSpec first, AttributeSpec second, string name, string? missingId)
                    {
                        if (count == 0 && missingId is not null) defects.Add(new Defect($"no {name}", missingId));
                        if (count >= 1) attributes.Add(first);
                        if (count == 2)
                        {
                            attributes.Add(second);
                            defects.Add(new Defect($"{name} twice", null));
                        }
                    }
                });
        });

    /// <summary>The attributes in <paramref name="permuted"/> order, except that each group's attributes keep their order in <paramref name="original"/>.</summary>
    private static List<AttributeSpec> KeepGroupOrder(List<AttributeSpec> permuted, List<AttributeSpec> original)
    {
        var queues = original.Where(a => a.Group is not null).GroupBy(a => a.Group!).ToDictionary(g => g.Key, g => new Queue<AttributeSpec>(g));
        return permuted.Select(a => a.Group is null ? a : queues[a.Group].Dequeue()).ToList();
    }

    private static int Presence(bool hostile, int roll, int absentFrom, int twiceFrom) =>
        !hostile || roll < absentFrom ? 1 : roll < twiceFrom ? 0 : 2;

    // ----- Members -----

    private const string MemberDoc = "/// <summary>A member.</summary>\n";

    private static Member M(string key, string text, bool allowedInStaticClass, params Defect[] defects) =>
        new(key, MemberDoc + text, [.. defects], allowedInStaticClass);

    private static readonly Member[] OrdinaryMembers =
    [
        M("Epochs", "internal int Epochs { get; set; }", false),
        M("Describe", "internal static string Describe() => \"model\";", true),
        M("Width", "internal const int Width = 3;", true),
        M("Helper", "internal sealed class Helper { }", true),
        M("static-ctor", "static $NAME$() { }", true),
        M("finalizer", "~$NAME$() { }", false),
        M("ctor(int)", "internal $NAME$(int seed) : this() { _ = seed; }", false),
        M("ctor(string)", "public $NAME$(string name) : this() { _ = name; }", false),
        M("IMarkerLike", "internal interface IMarkerLike { }", true),
    ];

    /// <summary>Member names the generated code uses for its locals, parameters, types and namespaces, none of them reserved.</summary>
    private static readonly string[] HostileMemberNames =
    [
        "Tensor", "torch", "TorchSharp", "VaeGen", "System", "Math", "Maths", "Training", "Checks", "Microsoft", "hidden", "scope",
        "mu", "logVar", "z", "eps", "x", "count", "generator", "weight", "chunk", "drawn", "session", "elbo", "objective", "batch",
        "options", "data", "cancellationToken", "importanceSamples", "Samples", "Forward", "Outputs",
        "Sampler", "Mu", "LogVar", "Z", "Mean", "Logits", "Total", "Kl", "Reconstruction", "noGrad", "logWeights", "reconstruction",
        "kl", "total", "mean", "logLikelihood", "logPrior", "logPosterior", "value", "Model", "dynamic", "global", "Evaluation",
        "ImportanceSampling", "GaussianKl", "Reparameterization", "LogDensity", "TensorChecks", "ElboSummary", "TrainingOptions",
        "TrainingSession", "TrainingHistory", "IVariationalAutoencoder", "GeneratedCode", "List", "Collections", "Generic", "Threading",
        "CodeDom", "Compiler", "nn", "Modules", "Linear", "Sequential", "ReLU", "Tanh", "GELU", "SiLU", "ELU", "Softplus", "LeakyReLU",
        // Names the code of images, conditions and the newer likelihoods uses.
        "condition", "conditioned", "conditions", "logits", "location", "logRate", "logScale", "maps", "features", "steps", "threshold",
        "loss", "klPerDimension", "batchSize", "Conditioning", "ImageLayout", "Interpolation", "KlObjective", "TrainingDivergedException",
        "IConditionalVariationalAutoencoder", "Location", "LogRate", "LogScale", "KlPerDimension", "ObservationLogScale", "ObservationLogVar",
        "Conv2d", "ConvTranspose2d", "Sigmoid", "Identity",
    ];

    private static Member Named(string name, int kind, params Defect[] defects) => kind switch
    {
        0 => M(name, $"internal static int {name} => 0;", true, defects),
        1 => M(name, $"internal static int {name}() => 1;", true, defects),
        2 => M(name, $"internal const int {name} = 2;", true, defects),
        3 => M(name, $"internal sealed class {name} {{ }}", true, defects),
        _ => M(name, $"internal int {name} {{ get; set; }}", false, defects),
    };

    private static Gen<Member> Member(bool hostile) => Weighted(
        (8, Gen.OneOf(OrdinaryMembers)),
        (6, Gen.Select(Gen.OneOf(HostileMemberNames), Gen.Int[0, 4], (name, kind) => Named(name, kind))),
        (hostile ? 2 : 0, Gen.Select(Gen.OneOf(ReservedNames), Gen.Int[0, 4], (name, kind) => Named(name, kind, new Defect($"member '{name}'", "VAE0017")))),
        (hostile ? 1 : 0, Gen.Const(M("ctor()", "internal $NAME$() { }", false, new Defect("parameterless constructor", "VAE0017")))),
        (hostile ? 2 : 0, Gen.OneOf(
            M("ctor(int)", "internal $NAME$(int seed) { _ = seed; }", false, new Defect("constructor without : this()", "VAE0018")),
            M("ctor(long)", "internal $NAME$(long seed) : base() { _ = seed; }", false, new Defect("constructor chained to base()", "VAE0018")))),
        (1, Gen.Const(M("nameof", "internal static int nameof(object value) => value is null ? 0 : 1;", true))),
        (hostile ? 1 : 0, Gen.Const(M("var", "internal sealed class var { }", true))));

    private static Gen<Member[]> Members(bool hostile) =>
        Weighted((5, Member(hostile).Array[0]), (4, Member(hostile).Array[1]), (3, Member(hostile).Array[2, 3]));

    // ----- Shapes -----

    /// <summary>The class's shape as dice rolls, read by <see cref="Build"/>.</summary>
    private sealed record Shape(string Kind, int Partial, int Static, int Modifier, int File, int Generic, int Primary, int Base, int Access);

    private static Gen<Shape> AnyShape =>
        Gen.Select(
            Gen.Frequency((100, "class"), (1, "record"), (1, "record class"), (1, "struct"), (1, "record struct"), (1, "interface")),
            Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99],
            Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99]),
            (kind, partial, isStatic, modifier, file, generic, rest) =>
                new Shape(kind, partial, isStatic, modifier, file, generic, rest.Item1, rest.Item2, rest.Item3));

    /// <summary>A shape the generator must accept: a partial, non-static, non-generic class without primary constructor or base class.</summary>
    private static Gen<Shape> ValidShape =>
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], (modifier, baseRoll, access) =>
            new Shape("class", 0, 99, modifier, 99, 99, 99, baseRoll < 80 ? 0 : baseRoll < 90 ? 84 : 87, access));

    private sealed record ContainerRolls(int Kind, int Partial, int Generic, int Access);

    /// <summary>No container (most often), one, or two nested in each other.</summary>
    private static Gen<ContainerRolls[]> ContainerDice =>
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], Gen.Int[0, 99], (k, p, g, a) => new ContainerRolls(k, p, g, a))
            .Array[0, 2]
            .Select(rolls => rolls.Length == 2 && rolls[0].Kind % 3 != 0 ? rolls[..1] : rolls);

    /// <summary>How the case is laid out: split across two files, where things go, a companion class, garbage.</summary>
    private sealed record Layout(int Split, int FileBits, int Combine, int Companion, Garbage? Garbage);

    private static readonly string[] GarbageTokens =
        ["}", "{", ")", "]", "=>", "$", "\\", "int", "partial", "[", "#region", "/*", "\"", "'", "@", "class", "?", "::", "namespace", "[Vae(", "<"];

    private static Gen<Garbage?> AnyGarbage => Weighted(
        (40, Gen.Const((Garbage?)null)),
        (3, Gen.Select(Gen.Int[0, 1], Gen.Int[0, 10_000], Gen.OneOf(GarbageTokens), (file, position, token) => (Garbage?)new Garbage(GarbageKind.InsertAtLineStart, file, position, token))),
        (1, Gen.Select(Gen.Int[0, 1], Gen.OneOf(GarbageTokens), (file, token) => (Garbage?)new Garbage(GarbageKind.Append, file, 0, token))),
        (1, Gen.Int[0, 1].Select(file => (Garbage?)new Garbage(GarbageKind.DropLastBrace, file, 0, "}"))),
        (2, Gen.Select(Gen.Int[0, 10_000], Gen.Int[1, 10_000], (list, cut) => (Garbage?)new Garbage(GarbageKind.TruncateAttributeList, 0, list, "", cut))));

    private static Gen<Layout> AnyLayout =>
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, 99], AnyGarbage,
            (split, fileBits, combine, companion, garbage) => new Layout(split, fileBits, combine, companion, garbage));

    private static Gen<Layout> ValidLayout =>
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (split, fileBits, combine) => new Layout(split, fileBits, combine, 99, null));

    // ----- Declarations -----

    /// <summary>Any declaration: valid ones and ones with defects of every kind the issue lists, often several at once.</summary>
    public static Gen<Declaration> Any =>
        Gen.Select(AnyShape, AnyName, ContainerDice, Namespace, Attributes(hostile: true), Members(hostile: true), AnyLayout,
            (shape, name, containers, ns, attributes, members, layout) => Build(true, shape, name, containers, ns, attributes, members, layout));

    /// <summary>Declarations the generator must accept: defined enum values, sizes in range, harmless shapes.</summary>
    public static Gen<Declaration> Valid =>
        Gen.Select(ValidShape, ValidName, ContainerDice, Namespace, Attributes(hostile: false), Members(hostile: false), ValidLayout,
            (shape, name, containers, ns, attributes, members, layout) => Build(false, shape, name, containers, ns, attributes, members, layout));

    private static Declaration Build(
        bool hostile, Shape shape, Name name, ContainerRolls[] containerRolls, (NamespaceStyle Style, string? Name) ns,
        AttributeSet attributes, Member[] members, Layout layout)
    {
        if (name.NeedsNamespace && ns.Name is null) name = N("Model");

        var containers = containerRolls.Select((r, i) =>
        {
            var kind = r.Kind < 55 ? "class" : r.Kind < 70 ? "struct" : r.Kind < 78 ? "record" : r.Kind < 84 ? "record struct" : r.Kind < 90 ? "interface" : "class";
            var access = i == 0 ? new[] { "public", "internal", "" }[r.Access % 3] : new[] { "public", "internal", "private", "" }[r.Access % 4];
            return new Container(kind, $"Outer{i}", access, IsPartial: !hostile || r.Partial < 94, IsStatic: r.Kind >= 90,
                // One name per level: an inner type parameter named like an outer one is warning CS0693.
                TypeParameters: hostile && r.Generic < 5 ? $"<TOuter{i}>" : "");
        }).ToImmutableArray();

        var kind = shape.Kind;
        var isClass = kind == "class";
        var isStatic = hostile && isClass && shape.Static < 4;
        var isFile = hostile && containers.Length == 0 && shape.File < 4;
        var isPartial = !hostile || shape.Partial < 93;
        var isRecordClass = kind is "record" or "record class";
        var modifier = isStatic || !(isClass || isRecordClass)
            ? ""
            : shape.Modifier < 10 ? "sealed" : shape.Modifier < 16 ? "abstract" : "";
        var access = isFile ? "" : containers.Length == 0 ? new[] { "public", "internal", "" }[shape.Access % 3] : new[] { "public", "internal", "private", "" }[shape.Access % 4];
        var typeParameters = hostile && shape.Generic < 5 ? (shape.Generic < 3 ? "<T>" : "<TIn, TOut>") : "";
        var primary = hostile && !isStatic && shape.Primary < 5 ? (shape.Primary < 3 ? "(int seed)" : "()") : null;

        // Base classes only on classes (records and structs cannot have one; static classes neither).
        var (baseType, baseIsClass) = shape.Base switch
        {
            < 80 => ((string?)null, false),
            < 83 when isClass && !isStatic => ("Base", true),
            < 86 => ("IMarker", false),
            < 89 => ("global::System.IDisposable", false),
            < 91 when isClass && !isStatic => ("global::System.Exception", true),
            < 93 when isClass && !isStatic => ("global::TorchSharp.torch.nn.Module", true),
            < 95 when isClass && !isStatic => ("object", true),
            _ => (null, false),
        };
        if (isStatic) baseType = null;

        // Two files only when every part may repeat: partial class, partial containers, not file-local.
        var isSplit = layout.Split < 20 && isPartial && !isFile && containers.All(c => c.IsPartial);
        var bits = layout.FileBits;
        int NextFile()
        {
            var file = isSplit ? bits & 1 : 0;
            bits >>= 1;
            if (bits == 0) bits = layout.FileBits | 1;
            return file;
        }

        var baseFile = NextFile();

        // The valid generator keeps apart what would clash: two members of one name, a member named like its class.
        var kept = members.Where(m => !isStatic || m.AllowedInStaticClass);
        if (!hostile) kept = kept.Where(m => m.Key != name.Metadata).DistinctBy(m => m.Key);
        var placed = kept
            .Select(m => m with { File = NextFile() })
            .ToImmutableArray();

        // Attribute lists: each attribute alone or joined with its neighbour in the same file. The compiler reads the
        // parts of a class in file order, so a layer never goes to an earlier file than the layer before it.
        var lists = new List<AttributeList>();
        var combine = layout.Combine;
        var groupFiles = new Dictionary<string, int>();
        foreach (var attribute in attributes.Attributes)
        {
            var file = NextFile();
            if (attribute.Group is { } group)
            {
                file = Math.Max(file, groupFiles.GetValueOrDefault(group));
                groupFiles[group] = file;
            }
            if (lists.Count > 0 && lists[^1].File == file && (combine & 1) == 1)
                lists[^1] = lists[^1] with { Attributes = lists[^1].Attributes.Add(attribute.Text) };
            else
                lists.Add(new AttributeList([attribute.Text], file, TypeTarget: (combine & 6) == 6 && (combine & 8) == 8, CutAt: null));
            combine = (combine >> 4) | ((combine & 15) << 27);
        }

        var garbage = layout.Garbage;
        if (garbage is not null)
        {
            if (!isSplit) garbage = garbage with { File = 0 };
            if (garbage.Kind == GarbageKind.TruncateAttributeList)
            {
                if (lists.Count == 0) garbage = garbage with { Kind = GarbageKind.Append, Token = "}" };
                else
                {
                    var index = garbage.Position % lists.Count;
                    var full = lists[index].Render().Length;
                    lists[index] = lists[index] with { CutAt = 1 + garbage.Cut % (full - 1) };
                }
            }
        }

        // A class named var in the global namespace is a type named var in the companion's scope too (VAE0022 there).
        var companion = isSplit || garbage is { File: 1 } || name.Metadata == "var" ? CompanionKind.None
            : layout.Companion < 8 ? CompanionKind.Valid
            : layout.Companion < 10 && containers.Length == 0 && Declaration.CaseTwinName(name.Metadata) is not null ? CompanionKind.CaseTwin
            : CompanionKind.None;

        var cls = new ClassSpec(kind, name.Written, name.Metadata, access, isPartial, isStatic, modifier, isFile, typeParameters, primary,
            baseType, baseIsClass, baseFile);
        return new Declaration(ns.Style, ns.Name, containers, cls, [.. lists], attributes.Defects.AddRange(attributes.Attributes.SelectMany(a => a.Defects)),
            attributes.VaeCount, placed, isSplit, attributes.Attributes.Any(a => a.NeedsNullableDisabled), garbage, companion, attributes.Features,
            attributes.SizeOverflows);
    }

    private static List<T> Permute<T>(IReadOnlyList<T> items, int seed)
    {
        var pool = items.ToList();
        var result = new List<T>();
        while (pool.Count > 0)
        {
            var index = seed % pool.Count;
            seed /= pool.Count;
            result.Add(pool[index]);
            pool.RemoveAt(index);
        }
        return result;
    }
}
