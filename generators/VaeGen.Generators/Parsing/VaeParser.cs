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

    /// <summary>
    /// False while the class, a type around it or its namespace has no name yet (<c>public partial class</c> or <c>namespace Demo.</c>
    /// half typed): the compiler reports the missing identifier, and code generated for a nameless type cannot compile.
    /// </summary>
    public static bool IsNamed(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            var missing = current switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier.IsMissing,
                BaseNamespaceDeclarationSyntax ns => ns.Name.DescendantTokens().Any(token => token.IsMissing),
                _ => false,
            };
            if (missing) return false;
        }
        return true;
    }

    /// <summary>Returns null when the attribute itself does not bind (the compiler reports that error).</summary>
    public static VaeDeclaration? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Class } type || context.Attributes.Length == 0) return null;
        if (context.Attributes[0] is not { AttributeConstructor: not null, ConstructorArguments.Length: 1 or 2 } vaeData) return null;

        // One pass over the class's attributes, each VaeGen attribute sorted by its name.
        var vaeCount = 0;
        AttributeReader? encoder = null, decoder = null, image = null, condition = null;
        var encoderConvs = new List<ConvLayerDeclaration>();
        var decoderConvs = new List<ConvLayerDeclaration>();
        var priors = new List<ComponentDeclaration>();
        var flows = new List<ComponentDeclaration>();
        foreach (var attribute in type.GetAttributes())
        {
            if (VaeGenAttributeName(attribute) is not { } name) continue;
            switch (name)
            {
                case "VaeAttribute": vaeCount++; break;
                case "EncoderAttribute": encoder ??= new AttributeReader(attribute, cancellationToken); break;
                case "DecoderAttribute": decoder ??= new AttributeReader(attribute, cancellationToken); break;
                case "ImageInputAttribute": image ??= new AttributeReader(attribute, cancellationToken); break;
                case "ConditionAttribute": condition ??= new AttributeReader(attribute, cancellationToken); break;
                case "EncoderConvAttribute": AddConvLayer(encoderConvs, new AttributeReader(attribute, cancellationToken)); break;
                case "DecoderConvTransposeAttribute": AddConvLayer(decoderConvs, new AttributeReader(attribute, cancellationToken)); break;
                case "MixturePriorAttribute" or "VampPriorAttribute": AddComponent(priors, name, 1, new AttributeReader(attribute, cancellationToken)); break;
                case "PlanarFlowAttribute": AddComponent(flows, name, 1, new AttributeReader(attribute, cancellationToken)); break;
                case "InverseAutoregressiveFlowAttribute": AddComponent(flows, name, 2, new AttributeReader(attribute, cancellationToken)); break;
            }
        }
        // [Vae] on two parts of one class is the compiler's CS0579; generating twice would clash on the file name.
        if (vaeCount > 1) return null;

        var vae = new AttributeReader(vaeData, cancellationToken);
        var imageOnly = vaeData.ConstructorArguments.Length == 1;
        var typeShape = ReadTypeShape(type, (TypeDeclarationSyntax)context.TargetNode, context.SemanticModel, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        return new VaeDeclaration(
            typeShape,
            VaeLocation: vae.Location,
            InputSize: imageOnly ? null : vae.Positional(0),
            LatentSize: vae.Positional(imageOnly ? 0 : 1),
            Likelihood: vae.Named<int>("Likelihood"),
            Samples: vae.Named<int>("Samples"),
            ObservationVariance: vae.Named<double>("ObservationVariance"),
            ObservationScale: vae.Named<double>("ObservationScale"),
            Beta: vae.Named<double>("Beta"),
            FreeBits: vae.Named<double>("FreeBits"),
            Data: vae.Named<int>("Data"),
            Encoder: ReadLayerStack(encoder),
            Decoder: ReadLayerStack(decoder),
            Image: ReadImageInput(image),
            EncoderConvs: encoderConvs.ToEquatableArray(),
            DecoderConvs: decoderConvs.ToEquatableArray(),
            Condition: condition is null ? null : new ConditionDeclaration(condition.Named<int>("Classes"), condition.Named<int>("Features"), condition.Location),
            Objective: vae.Named<int>("Objective"),
            Priors: priors.ToEquatableArray(),
            Flows: flows.ToEquatableArray(),
            ReservedMembers: ReadReservedMembers(type, cancellationToken),
            UnchainedConstructors: ReadUnchainedConstructors(type, cancellationToken),
            Scaling: vae.Named<int>("Scaling"));
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
            BaseType: ReadBaseType(type, declarations, semanticModel, cancellationToken),
            IsAbstract: type.IsAbstract);
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

    private static LayerStackDeclaration? ReadLayerStack(AttributeReader? attribute)
    {
        if (attribute is null) return null;
        var sizes = new List<Argument<int>>();
        if (attribute.HasConstructorArguments(1) && attribute.Data.ConstructorArguments[0] is { Kind: TypedConstantKind.Array, IsNull: false } array)
        {
            var valueLocations = HiddenSizeLocations(attribute.ConstructorArgumentSyntax, array.Values.Length);
            for (var i = 0; i < array.Values.Length; i++)
            {
                var value = array.Values[i].Value is int size ? size : 0;
                sizes.Add(new Argument<int>(value, valueLocations?[i] ?? attribute.Location));
            }
        }
        return new LayerStackDeclaration(sizes.ToEquatableArray(), attribute.Named<int>("Activation"), attribute.Named<int>("OutputActivation"));
    }

    private static ImageInputDeclaration? ReadImageInput(AttributeReader? attribute) =>
        attribute is not null && attribute.HasConstructorArguments(3)
            ? new ImageInputDeclaration(attribute.Positional(0), attribute.Positional(1), attribute.Positional(2), attribute.Location)
            : null;

    /// <summary>Adds a bound [EncoderConv] or [DecoderConvTranspose]; the layers keep the order their attributes are written in.</summary>
    /// <summary>Adds a prior or flow attribute whose constructor bound with its <paramref name="arguments"/> arguments.</summary>
    private static void AddComponent(List<ComponentDeclaration> components, string name, int arguments, AttributeReader attribute)
    {
        if (!attribute.HasConstructorArguments(arguments)) return;
        components.Add(new ComponentDeclaration(
            name.Substring(0, name.Length - "Attribute".Length),
            attribute.Positional(0),
            arguments > 1 ? attribute.Positional(1) : null,
            attribute.Location));
    }

    private static void AddConvLayer(List<ConvLayerDeclaration> layers, AttributeReader attribute)
    {
        var arguments = attribute.Data.ConstructorArguments.Length;
        if (attribute.Data.AttributeConstructor is null || arguments < 4) return;
        var outputPadding = arguments > 4 ? attribute.Positional(4) : new Argument<int>(0, attribute.Location);
        layers.Add(new ConvLayerDeclaration(
            attribute.Positional(0), attribute.Positional(1), attribute.Positional(2), attribute.Positional(3), outputPadding,
            attribute.Named<int>("Activation"), attribute.Location));
    }

    /// <summary>
    /// The place of each hidden size: the positional arguments when each size is its own argument (params form),
    /// the elements of a single array-creation argument, or null when they cannot be told apart.
    /// </summary>
    private static IReadOnlyList<LocationInfo?>? HiddenSizeLocations(List<AttributeArgumentSyntax>? positional, int count)
    {
        if (positional is null) return null;
        var initializer = positional.Count == 1 ? InitializerOf(positional[0].Expression) : null;
        if (positional.Count == count && !(count == 1 && initializer is not null))
            return positional.Select(a => LocationInfo.From(a)).ToList();
        if (initializer is not null && initializer.Expressions.Count == count)
            return initializer.Expressions.Select(e => LocationInfo.From(e)).ToList();
        return null;
    }

    private static InitializerExpressionSyntax? InitializerOf(ExpressionSyntax expression) => expression switch
    {
        ArrayCreationExpressionSyntax creation => creation.Initializer,
        ImplicitArrayCreationExpressionSyntax implicitCreation => implicitCreation.Initializer,
        _ => null,
    };

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

    /// <summary>The class name of a VaeGen.* attribute, matched by its parts without formatting a display string; null for others.</summary>
    private static string? VaeGenAttributeName(AttributeData attribute) =>
        attribute.AttributeClass is { Name: var className, ContainingNamespace: { Name: "VaeGen", ContainingNamespace.IsGlobalNamespace: true } }
            ? className
            : null;

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
