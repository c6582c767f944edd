using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace VaeGen.Generators.Model;

/// <summary>A diagnostic waiting to be reported, kept as plain values so the pipeline can cache it.</summary>
/// <param name="Descriptor">One of <see cref="Diagnostics.DiagnosticDescriptors"/>; compared by reference.</param>
/// <param name="Location">Where the squiggle goes; null only when the source offers no place.</param>
/// <param name="MessageArgs">The values the message format names.</param>
/// <param name="Properties">Facts for a code fix (the diagnostic's properties), such as the value that would fix it.</param>
internal sealed record DiagnosticInfo(
    DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs, EquatableArray<DiagnosticProperty> Properties)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] messageArgs) =>
        new(descriptor, location,
            messageArgs.Select(Format).ToEquatableArray(),
            EquatableArray<DiagnosticProperty>.Empty);

    /// <summary>A message value in invariant culture; doubles with round-trip digits, so -0.5 reads -0.5 and 0.1 reads 0.1.</summary>
    private static string Format(object value) => value is double number
        ? number.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
        : string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", value);

    /// <summary>This diagnostic with one more property for a code fix.</summary>
    public DiagnosticInfo WithProperty(string key, string value) =>
        this with { Properties = Properties.Concat(new[] { new DiagnosticProperty(key, value) }).ToEquatableArray() };

    /// <summary>The diagnostic to report, located in <paramref name="tree"/> (see <see cref="LocationInfo.ToLocation"/>).</summary>
    public Diagnostic ToDiagnostic(SyntaxTree? tree) =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(tree),
            Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value),
            MessageArgs.Select(a => (object)a).ToArray());
}

/// <summary>One property of a diagnostic: a name a code fix knows and its value.</summary>
internal sealed record DiagnosticProperty(string Key, string Value);
