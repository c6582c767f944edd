using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Parsing;

/// <summary>
/// Stage one: reads a [Vae] class's symbol and attributes into a <see cref="VaeDeclaration"/>. It records what was
/// written and where; judging it is the validator's job. Nothing it returns holds a symbol, node or compilation.
/// </summary>
internal static class VaeParser
{
    public const string VaeAttributeName = "VaeGen.VaeAttribute";

    /// <summary>Returns null when the attribute itself does not bind (the compiler reports that error).</summary>
    public static VaeDeclaration? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.Attributes.Length == 0) return null;
        // [Vae] on two parts of one class is the compiler's CS0579; generating twice would clash on the file name.
        var attributes = type.GetAttributes();
        if (attributes.Count(a => IsVaeGenAttribute(a, "VaeAttribute")) > 1) return null;
        var vae = context.Attributes[0];
        if (vae.AttributeConstructor is null || vae.ConstructorArguments.Length is not (1 or 2)) return null;
        var vaeSyntax = vae.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var imageOnly = vae.ConstructorArguments.Length == 1;

        var typeShape = ReadTypeShape(type, (TypeDeclarationSyntax)context.TargetNode, context.SemanticModel, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        return new VaeDeclaration(
            typeShape,
            VaeLocation: LocationInfo.From(vaeSyntax),
            InputSize: imageOnly ? null : PositionalInt(vae, vaeSyntax, 0),
            LatentSize: PositionalInt(vae, vaeSyntax, imageOnly ? 0 : 1),
            Likelihood: NamedInt(vae, vaeSyntax, "Likelihood"),
            Samples: NamedInt(vae, vaeSyntax, "Samples"),
            ObservationVariance: NamedDouble(vae, vaeSyntax, "ObservationVariance"),
            ObservationScale: NamedDouble(vae, vaeSyntax, "ObservationScale"),
            Beta: NamedDouble(vae, vaeSyntax, "Beta"),
            FreeBits: NamedDouble(vae, vaeSyntax, "FreeBits"),
            Data: NamedInt(vae, vaeSyntax, "Data"),
            Encoder: ReadLayerStack(attributes, "EncoderAttribute", cancellationToken),
            Decoder: ReadLayerStack(attributes, "DecoderAttribute", cancellationToken),
            Image: ReadImageInput(attributes, cancellationToken),
            EncoderConvs: ReadConvLayers(attributes, "EncoderConvAttribute", cancellationToken),
            DecoderConvs: ReadConvLayers(attributes, "DecoderConvTransposeAttribute", cancellationToken),
            Condition: ReadCondition(attributes, cancellationToken),
            ReservedMembers: ReadReservedMembers(type, cancellationToken),
            UnchainedConstructors: ReadUnchainedConstructors(type, cancellationToken));
    }

    private static TypeShape ReadTypeShape(INamedTypeSymbol type, TypeDeclarationSyntax target, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var declarations = Declarations(type, cancellationToken).ToList();
        var containing = new List<ContainingType>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            var isPartial = Declarations(outer, cancellationToken).All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword));
            containing.Insert(0, new ContainingType(Keyword(outer), outer.Name, isPartial, outer.TypeParameters.Length > 0));
        }

        return new TypeShape(
            Namespace: NamespaceOf(type),
            Name: type.Name,
            ContainingTypes: containing.ToEquatableArray(),
            NameLocation: LocationInfo.From(target.Identifier),
            IsPartial: declarations.Count > 0 && declarations.All(d => d.Modifiers.Any(SyntaxKind.PartialKeyword)),
            IsStatic: type.IsStatic,
            IsGeneric: type.TypeParameters.Length > 0,
            IsRecord: type.IsRecord,
            IsFileLocal: type.IsFileLocal,
            VarTypeInScope: IsVarATypeName(type, target, semanticModel),
            PrimaryConstructor: declarations
                .Select(d => (d as ClassDeclarationSyntax)?.ParameterList)
                .Where(p => p is not null)
                .Select(p => LocationInfo.From(p))
                .FirstOrDefault(),
            BaseType: ReadBaseType(type, declarations, semanticModel, cancellationToken));
    }

    private static BaseTypeDeclaration? ReadBaseType(
        INamedTypeSymbol type, List<TypeDeclarationSyntax> declarations, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        // An explicit ': object' counts too: the generated part names another base class.
        var baseType = type.BaseType;
        if (baseType is null || type.IsRecord) return null;
        foreach (var declaration in declarations)
        {
            var first = declaration.BaseList?.Types.FirstOrDefault();
            if (first is null) continue;
            var model = first.SyntaxTree == semanticModel.SyntaxTree
                ? semanticModel
                : semanticModel.Compilation.GetSemanticModel(first.SyntaxTree);
            if (model.GetTypeInfo(first.Type, cancellationToken).Type is { TypeKind: TypeKind.Class })
                return new BaseTypeDeclaration(baseType.ToDisplayString(), LocationInfo.From(first));
        }
        return baseType.SpecialType == SpecialType.System_Object ? null : new BaseTypeDeclaration(baseType.ToDisplayString(), null);
    }

    private static LayerStackDeclaration? ReadLayerStack(
        System.Collections.Immutable.ImmutableArray<AttributeData> attributes, string attributeName, CancellationToken cancellationToken)
    {
        var attribute = attributes.FirstOrDefault(a => IsVaeGenAttribute(a, attributeName));
        if (attribute is null) return null;
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var attributeLocation = LocationInfo.From(syntax);

        var sizes = new List<Argument<int>>();
        if (attribute.AttributeConstructor is not null && attribute.ConstructorArguments.Length == 1
            && attribute.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: false } array)
        {
            var valueLocations = HiddenSizeLocations(syntax, array.Values.Length);
            for (var i = 0; i < array.Values.Length; i++)
            {
                var value = array.Values[i].Value is int size ? size : 0;
                sizes.Add(new Argument<int>(value, valueLocations?[i] ?? attributeLocation));
            }
        }

        return new LayerStackDeclaration(sizes.ToEquatableArray(), NamedInt(attribute, syntax, "Activation"), NamedInt(attribute, syntax, "OutputActivation"));
    }

    private static ImageInputDeclaration? ReadImageInput(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        var attribute = attributes.FirstOrDefault(a => IsVaeGenAttribute(a, "ImageInputAttribute"));
        if (attribute is null || attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length != 3) return null;
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        return new ImageInputDeclaration(
            PositionalInt(attribute, syntax, 0), PositionalInt(attribute, syntax, 1), PositionalInt(attribute, syntax, 2), LocationInfo.From(syntax));
    }

    /// <summary>The layers in the order their attributes are written (the order GetAttributes keeps).</summary>
    private static EquatableArray<ConvLayerDeclaration> ReadConvLayers(
        System.Collections.Immutable.ImmutableArray<AttributeData> attributes, string attributeName, CancellationToken cancellationToken)
    {
        var layers = new List<ConvLayerDeclaration>();
        foreach (var attribute in attributes)
        {
            if (!IsVaeGenAttribute(attribute, attributeName)) continue;
            if (attribute.AttributeConstructor is null || attribute.ConstructorArguments.Length < 4) continue;
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var outputPadding = attribute.ConstructorArguments.Length > 4
                ? PositionalInt(attribute, syntax, 4)
                : new Argument<int>(0, LocationInfo.From(syntax));
            layers.Add(new ConvLayerDeclaration(
                PositionalInt(attribute, syntax, 0), PositionalInt(attribute, syntax, 1), PositionalInt(attribute, syntax, 2),
                PositionalInt(attribute, syntax, 3), outputPadding, NamedInt(attribute, syntax, "Activation"), LocationInfo.From(syntax)));
        }
        return layers.ToEquatableArray();
    }

    private static ConditionDeclaration? ReadCondition(System.Collections.Immutable.ImmutableArray<AttributeData> attributes, CancellationToken cancellationToken)
    {
        var attribute = attributes.FirstOrDefault(a => IsVaeGenAttribute(a, "ConditionAttribute"));
        if (attribute is null) return null;
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        return new ConditionDeclaration(NamedInt(attribute, syntax, "Classes"), NamedInt(attribute, syntax, "Features"), LocationInfo.From(syntax));
    }

    /// <summary>
    /// The place of each hidden size: the positional arguments when each size is its own argument (params form),
    /// the elements of a single array-creation argument, or null when they cannot be told apart.
    /// </summary>
    private static IReadOnlyList<LocationInfo?>? HiddenSizeLocations(AttributeSyntax? syntax, int count)
    {
        var positional = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();
        if (positional is null) return null;
        if (positional.Count == count && !(count == 1 && IsArrayCreation(positional[0].Expression)))
            return positional.Select(a => LocationInfo.From(a)).ToList();
        if (positional.Count == 1 && InitializerOf(positional[0].Expression) is { } initializer && initializer.Expressions.Count == count)
            return initializer.Expressions.Select(e => LocationInfo.From(e)).ToList();
        return null;
    }

    private static bool IsArrayCreation(ExpressionSyntax expression) => InitializerOf(expression) is not null;

    private static InitializerExpressionSyntax? InitializerOf(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax creation => creation.Initializer,
        ImplicitArrayCreationExpressionSyntax implicitCreation => implicitCreation.Initializer,
        _ => null,
    };

    private static Argument<int> PositionalInt(AttributeData attribute, AttributeSyntax? syntax, int index)
    {
        var value = attribute.ConstructorArguments[index].Value is int number ? number : 0;
        var parameterName = attribute.AttributeConstructor?.Parameters[index].Name;
        var arguments = syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();
        // A named argument (latentSize: 20) may stand anywhere; any other stands at its parameter's position.
        var atPosition = arguments?.ElementAtOrDefault(index);
        var argument = arguments?.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName)
            ?? (atPosition?.NameColon is null ? atPosition : null);
        return new Argument<int>(value, LocationInfo.From((SyntaxNode?)argument ?? syntax));
    }

    private static Argument<int>? NamedInt(AttributeData attribute, AttributeSyntax? syntax, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is int value) return new Argument<int>(value, NamedLocation(syntax, name));
        }
        return null;
    }

    private static Argument<double>? NamedDouble(AttributeData attribute, AttributeSyntax? syntax, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Value is double value) return new Argument<double>(value, NamedLocation(syntax, name));
        }
        return null;
    }

    private static LocationInfo? NamedLocation(AttributeSyntax? syntax, string name)
    {
        var argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        return LocationInfo.From((SyntaxNode?)argument ?? syntax);
    }

    private static EquatableArray<MemberDeclaration> ReadReservedMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var conflicts = new List<MemberDeclaration>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared) continue;
            if (member is IMethodSymbol { MethodKind: MethodKind.Constructor, IsStatic: false, Parameters.Length: 0 } constructor)
            {
                conflicts.Add(new MemberDeclaration($"{type.Name}()", LocationInfo.From(constructor.Locations.FirstOrDefault())));
            }
            else if (GeneratedMembers.Names.Contains(member.Name))
            {
                conflicts.Add(new MemberDeclaration(member.Name, LocationInfo.From(member.Locations.FirstOrDefault())));
            }
        }
        return conflicts.ToEquatableArray();
    }

    private static EquatableArray<LocationInfo> ReadUnchainedConstructors(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var unchained = new List<LocationInfo>();
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.IsImplicitlyDeclared || constructor.Parameters.Length == 0) continue;
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is ConstructorDeclarationSyntax syntax
                    && !syntax.Initializer.IsKind(SyntaxKind.ThisConstructorInitializer)
                    && LocationInfo.From(syntax.Identifier) is { } location)
                {
                    unchained.Add(location);
                }
            }
        }
        return unchained.ToEquatableArray();
    }

    /// <summary>True when a type named 'var' is visible in the class (nested in it or around it): generated locals use 'var'.</summary>
    private static bool IsVarATypeName(INamedTypeSymbol type, TypeDeclarationSyntax target, SemanticModel semanticModel) =>
        type.GetTypeMembers("var").Length > 0
        || semanticModel.LookupNamespacesAndTypes(target.SpanStart, name: "var").Any(s => s is ITypeSymbol);

    /// <summary>Matches VaeGen.{name} by its parts, without formatting a display string for every attribute.</summary>
    private static bool IsVaeGenAttribute(AttributeData attribute, string name) =>
        attribute.AttributeClass is { Name: var className, ContainingNamespace: { Name: "VaeGen", ContainingNamespace.IsGlobalNamespace: true } }
        && className == name;

    /// <summary>The namespace as plain dotted names (no @ on keywords: the emitter adds them where code needs them).</summary>
    private static string? NamespaceOf(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace) parts.Insert(0, ns.Name);
        return parts.Count == 0 ? null : string.Join(".", parts);
    }

    private static IEnumerable<TypeDeclarationSyntax> Declarations(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>();

    private static string Keyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };
}
