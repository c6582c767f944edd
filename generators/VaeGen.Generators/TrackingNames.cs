namespace VaeGen.Generators;

/// <summary>The names of the generator's pipeline steps, for incremental-caching tests.</summary>
public static class TrackingNames
{
    /// <summary>Symbols read into a <c>VaeDeclaration</c>.</summary>
    public const string Parse = "Parse";

    /// <summary>Declarations judged into a spec and diagnostics.</summary>
    public const string Validate = "Validate";

    /// <summary>The diagnostics of one declaration.</summary>
    public const string Diagnostics = "Diagnostics";

    /// <summary>Every diagnostic paired with the syntax tree it lies in, ready to report.</summary>
    public const string LocatedDiagnostics = "LocatedDiagnostics";

    /// <summary>The specs of sound declarations, ready to emit.</summary>
    public const string Specs = "Specs";

    /// <summary>The generated file names that collide ignoring case.</summary>
    public const string HintNameCollisions = "HintNameCollisions";
}
