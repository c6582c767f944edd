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
    private const double DefaultObservationVariance = 1.0;

    public static ValidationResult Validate(VaeDeclaration declaration)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var type = declaration.Type;
        var name = type.Name;

        CheckTypeShape(type, diagnostics);
        CheckMembers(declaration, diagnostics);

        if (declaration.InputSize.Value < 1)
            diagnostics.Add(DiagnosticInfo.Create(InputSizeNotPositive, declaration.InputSize.Location, name, declaration.InputSize.Value));
        if (declaration.LatentSize.Value < 1)
            diagnostics.Add(DiagnosticInfo.Create(LatentSizeNotPositive, declaration.LatentSize.Location, name, declaration.LatentSize.Value));

        var likelihood = LikelihoodKind.Bernoulli;
        var likelihoodKnown = true;
        if (declaration.Likelihood is { } likelihoodArgument)
        {
            likelihoodKnown = Enum.IsDefined(typeof(LikelihoodKind), likelihoodArgument.Value);
            if (likelihoodKnown) likelihood = (LikelihoodKind)likelihoodArgument.Value;
            else diagnostics.Add(DiagnosticInfo.Create(UnknownLikelihood, likelihoodArgument.Location, name, likelihoodArgument.Value));
        }

        var samples = declaration.Samples?.Value ?? 1;
        if (samples < 1) diagnostics.Add(DiagnosticInfo.Create(SamplesNotPositive, declaration.Samples!.Location, name, samples));

        var variance = declaration.ObservationVariance?.Value ?? DefaultObservationVariance;
        if (declaration.ObservationVariance is { } varianceArgument)
        {
            if (!(variance > 0) || double.IsInfinity(variance))
                diagnostics.Add(DiagnosticInfo.Create(ObservationVarianceNotPositive, varianceArgument.Location, name, variance.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
            else if (likelihoodKnown && likelihood != LikelihoodKind.Gaussian)
                diagnostics.Add(DiagnosticInfo.Create(ObservationVarianceIgnored, varianceArgument.Location, name, likelihood));
        }

        var encoder = CheckLayerStack(declaration.Encoder, "encoder", MissingEncoder, type, diagnostics);
        var decoder = CheckLayerStack(declaration.Decoder, "decoder", MissingDecoder, type, diagnostics);

        var spec = diagnostics.Any(d => d.Descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error)
            ? null
            : new VaeSpec(type.Namespace, name, type.ContainingTypes, declaration.InputSize.Value, declaration.LatentSize.Value,
                likelihood, samples, variance, encoder!, decoder!);
        return new ValidationResult(spec, diagnostics.ToEquatableArray());
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

        var activation = ActivationKind.ReLU;
        if (stack.Activation is { } activationArgument)
        {
            if (Enum.IsDefined(typeof(ActivationKind), activationArgument.Value)) activation = (ActivationKind)activationArgument.Value;
            else diagnostics.Add(DiagnosticInfo.Create(UnknownActivation, activationArgument.Location, type.Name, activationArgument.Value, role));
        }

        return new LayerStack(stack.HiddenSizes.Select(s => s.Value).ToEquatableArray(), activation);
    }
}
