using System.Linq;

namespace VaeGen.Generators.Model;

/// <summary>A validated model, everything the emitter needs and nothing else.</summary>
/// <param name="Namespace">The containing namespace, or null in the global namespace.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="InputSize">Features of one example.</param>
/// <param name="LatentSize">Dimension of z.</param>
/// <param name="Likelihood">The observation model.</param>
/// <param name="Samples">L, reparameterized samples per example.</param>
/// <param name="ObservationVariance">The fixed variance of a Gaussian likelihood.</param>
/// <param name="Encoder">The encoder's hidden layers.</param>
/// <param name="Decoder">The decoder's hidden layers.</param>
internal sealed record VaeSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    int InputSize,
    int LatentSize,
    LikelihoodKind Likelihood,
    int Samples,
    double ObservationVariance,
    LayerStack Encoder,
    LayerStack Decoder)
{
    /// <summary>The global::-qualified name of the class as code, e.g. global::Demo.Outer.FashionVae.</summary>
    public string FullyQualifiedName => "global::" + string.Join(".", DottedParts().Select(Emitting.Identifiers.Escape));

    /// <summary>
    /// The generated file's name from the metadata name, nested types joined by '+' (Namespace.Outer+Class.Vae.g.cs),
    /// so a class nested in type A.B and one in namespace A.B never share it.
    /// </summary>
    public string HintName
    {
        get
        {
            var name = string.Join("+", ContainingTypes.Select(t => t.Name).Concat(new[] { ClassName }));
            return (Namespace is null ? name : Namespace + "." + name) + ".Vae.g.cs";
        }
    }

    private System.Collections.Generic.IEnumerable<string> DottedParts()
    {
        if (Namespace is not null)
        {
            foreach (var part in Namespace.Split('.')) yield return part;
        }
        foreach (var type in ContainingTypes) yield return type.Name;
        yield return ClassName;
    }
}

/// <summary>The hidden layers of an encoder or decoder.</summary>
internal sealed record LayerStack(EquatableArray<int> HiddenSizes, ActivationKind Activation);

/// <summary>The outcome of validation: a spec when the declaration is sound, and the diagnostics either way.</summary>
internal sealed record ValidationResult(VaeSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
