namespace VaeGen.CodeFixes;

/// <summary>
/// The IDs of the VaeGen diagnostics these code fixes handle. The diagnostics themselves (IDs, titles, messages,
/// locations) are defined in generators/VaeGen.Generators/Diagnostics/DiagnosticDescriptors.cs; this project does not
/// reference the generator, so an ID changed there must be changed here too. The tests run the real generator and
/// fail if an ID here no longer matches what it reports.
/// </summary>
internal static class DiagnosticIds
{
    /// <summary>DiagnosticDescriptors.ClassNotPartial, reported on the class name.</summary>
    public const string ClassNotPartial = "VAE0001";

    /// <summary>DiagnosticDescriptors.ClassIsStatic, reported on the class name.</summary>
    public const string ClassIsStatic = "VAE0002";

    /// <summary>DiagnosticDescriptors.ContainingTypeNotPartial, reported on the (nested) VAE class name, once per non-partial containing type.</summary>
    public const string ContainingTypeNotPartial = "VAE0004";

    /// <summary>DiagnosticDescriptors.BaseClassDeclared, reported on the base type in the base list.</summary>
    public const string BaseClassDeclared = "VAE0005";

    /// <summary>DiagnosticDescriptors.ConstructorMustChainToThis, reported on the constructor's identifier.</summary>
    public const string ConstructorMustChainToThis = "VAE0018";

    /// <summary>
    /// DiagnosticDescriptors.DecoderShapeMismatch, reported on the transposed-convolution attribute where the decoder parts
    /// ways with the encoder; when an output padding would close the gap, its value is in the property <see cref="OutputPaddingProperty"/>.
    /// </summary>
    public const string DecoderShapeMismatch = "VAE0029";

    /// <summary>ShapeInference.OutputPaddingProperty: the name of VAE0029's property with the output padding that fixes it.</summary>
    public const string OutputPaddingProperty = "OutputPadding";
}
