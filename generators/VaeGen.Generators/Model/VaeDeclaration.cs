namespace VaeGen.Generators.Model;

/// <summary>
/// What the parser read from one [Vae] class: raw attribute values and the places they were written, not yet judged.
/// Plain, value-equal data, so an edit that leaves it unchanged stops the pipeline here.
/// </summary>
/// <param name="InputSize">The input size argument; null for the one-argument constructor, whose size comes from [ImageInput].</param>
/// <param name="VaeLocation">The [Vae] attribute, for diagnostics about the declaration as a whole.</param>
internal sealed record VaeDeclaration(
    TypeShape Type,
    LocationInfo? VaeLocation,
    Argument<int>? InputSize,
    Argument<int> LatentSize,
    Argument<int>? Likelihood,
    Argument<int>? Samples,
    Argument<double>? ObservationVariance,
    Argument<double>? ObservationScale,
    Argument<double>? Beta,
    Argument<double>? FreeBits,
    Argument<int>? Data,
    LayerStackDeclaration? Encoder,
    LayerStackDeclaration? Decoder,
    ImageInputDeclaration? Image,
    EquatableArray<ConvLayerDeclaration> EncoderConvs,
    EquatableArray<ConvLayerDeclaration> DecoderConvs,
    ConditionDeclaration? Condition,
    Argument<int>? Objective,
    EquatableArray<ComponentDeclaration> Priors,
    EquatableArray<ComponentDeclaration> Flows,
    EquatableArray<MemberDeclaration> ReservedMembers,
    EquatableArray<LocationInfo> UnchainedConstructors,
    Argument<int>? Scaling = null);

/// <summary>An [ImageInput(channels, height, width)] attribute.</summary>
internal sealed record ImageInputDeclaration(Argument<int> Channels, Argument<int> Height, Argument<int> Width, LocationInfo? Location);

/// <summary>An [EncoderConv] or [DecoderConvTranspose] attribute; OutputPadding is 0 for the encoder's.</summary>
/// <param name="Location">The whole attribute.</param>
internal sealed record ConvLayerDeclaration(
    Argument<int> OutChannels,
    Argument<int> KernelSize,
    Argument<int> Stride,
    Argument<int> Padding,
    Argument<int> OutputPadding,
    Argument<int>? Activation,
    LocationInfo? Location);

/// <summary>A prior or flow attribute: [MixturePrior(k)], [VampPrior(k)], [PlanarFlow(k)] or [InverseAutoregressiveFlow(k, width)].</summary>
/// <param name="Attribute">The attribute's name without the Attribute suffix, e.g. "VampPrior".</param>
/// <param name="Size">Its first argument: components, pseudo-inputs or steps.</param>
/// <param name="HiddenSize">The second argument of the inverse autoregressive flow; null for the others.</param>
/// <param name="Location">The whole attribute.</param>
internal sealed record ComponentDeclaration(string Attribute, Argument<int> Size, Argument<int>? HiddenSize, LocationInfo? Location);

/// <summary>A [Condition] attribute: Classes or Features, as written.</summary>
internal sealed record ConditionDeclaration(Argument<int>? Classes, Argument<int>? Features, LocationInfo? Location);

/// <summary>The class that carries [Vae], and where it sits.</summary>
/// <param name="Namespace">The containing namespace, or null in the global namespace.</param>
/// <param name="Name">The class name.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="NameLocation">The class identifier.</param>
/// <param name="IsFileLocal">Declared with the file modifier.</param>
/// <param name="VarTypeInScope">A type named 'var' is visible inside the class.</param>
/// <param name="PrimaryConstructor">The parameter list of a primary constructor, if the class has one.</param>
/// <param name="BaseType">The base class the user declared, if any.</param>
internal sealed record TypeShape(
    string? Namespace,
    string Name,
    EquatableArray<ContainingType> ContainingTypes,
    LocationInfo? NameLocation,
    bool IsPartial,
    bool IsStatic,
    bool IsGeneric,
    bool IsRecord,
    bool IsFileLocal,
    bool VarTypeInScope,
    LocationInfo? PrimaryConstructor,
    BaseTypeDeclaration? BaseType,
    bool IsAbstract = false);

/// <summary>A type around the [Vae] class, re-declared as a partial around the generated part.</summary>
/// <param name="Keyword">class, struct, interface, record or record struct.</param>
internal sealed record ContainingType(string Keyword, string Name, bool IsPartial, bool IsGeneric);

/// <summary>A base class written in the class's base list.</summary>
internal sealed record BaseTypeDeclaration(string Name, LocationInfo? Location);

/// <summary>An attribute argument's value and the place it was written (the attribute itself when it was not written).</summary>
internal sealed record Argument<T>(T Value, LocationInfo? Location)
    where T : System.IEquatable<T>;

/// <summary>An [Encoder] or [Decoder] attribute.</summary>
/// <param name="HiddenSizes">The declared widths, each with its own location when it can be told apart.</param>
/// <param name="Activation">The Activation property, when set.</param>
/// <param name="OutputActivation">The decoder's OutputActivation property, when set.</param>
internal sealed record LayerStackDeclaration(EquatableArray<Argument<int>> HiddenSizes, Argument<int>? Activation, Argument<int>? OutputActivation);

/// <summary>A member the user declared with a name the generator emits.</summary>
internal sealed record MemberDeclaration(string Name, LocationInfo? Location);
