namespace VaeGen.Generators.Model;

/// <summary>
/// What the parser read from one [Vae] class: raw attribute values and the places they were written, not yet judged.
/// Plain, value-equal data, so an edit that leaves it unchanged stops the pipeline here.
/// </summary>
internal sealed record VaeDeclaration(
    TypeShape Type,
    Argument<int> InputSize,
    Argument<int> LatentSize,
    Argument<int>? Likelihood,
    Argument<int>? Samples,
    Argument<double>? ObservationVariance,
    LayerStackDeclaration? Encoder,
    LayerStackDeclaration? Decoder,
    EquatableArray<MemberDeclaration> ReservedMembers,
    EquatableArray<LocationInfo> UnchainedConstructors);

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
    BaseTypeDeclaration? BaseType);

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
internal sealed record LayerStackDeclaration(EquatableArray<Argument<int>> HiddenSizes, Argument<int>? Activation);

/// <summary>A member the user declared with a name the generator emits.</summary>
internal sealed record MemberDeclaration(string Name, LocationInfo? Location);
