using System.Linq;
using Microsoft.CodeAnalysis;

namespace VaeGen.Generators.Model;

/// <summary>A diagnostic waiting to be reported, kept as plain values so the pipeline can cache it.</summary>
/// <param name="Descriptor">One of <see cref="Diagnostics.DiagnosticDescriptors"/>; compared by reference.</param>
/// <param name="Location">Where the squiggle goes; null only when the source offers no place.</param>
/// <param name="MessageArgs">The values the message format names.</param>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] messageArgs) =>
        new(descriptor, location, messageArgs.Select(a => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0}", a)).ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArgs.Select(a => (object)a).ToArray());
}
