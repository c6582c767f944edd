using System.Reflection;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Diagnostics;
using VaeGen.Generators.Emitting;
using VaeGen.Generators.Parsing;
using VaeGen.Generators.Validation;

namespace VaeGen.Generators;

/// <summary>
/// Turns each partial class marked [Vae] into a TorchSharp module. The pipeline runs in three stages:
/// parse (symbols to a plain <c>VaeDeclaration</c>), validate (declaration to spec and diagnostics), emit (spec to text).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class VaeGenerator : IIncrementalGenerator
{
    /// <summary>The version written into [GeneratedCode] of every generated member.</summary>
    public static readonly string Version =
        typeof(VaeGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(VaeGenerator).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var declarations = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                VaeParser.VaeAttributeName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax && VaeParser.IsNamed(node),
                transform: static (context, cancellationToken) => VaeParser.Parse(context, cancellationToken))
            .Where(static declaration => declaration is not null)
            .Select(static (declaration, _) => declaration!)
            .WithTrackingName(TrackingNames.Parse);

        var results = declarations
            .Select(static (declaration, _) => VaeValidator.Validate(declaration))
            .WithTrackingName(TrackingNames.Validate);

        // Diagnostics leave through their own output, located in the compilation's syntax trees only here at the end, so that
        // #pragma, [SuppressMessage] and .editorconfig apply to them. This is the one place the compilation joins the pipeline:
        // Locate re-runs on every edit, but reduces it to the trees the diagnostics lie in, so the report re-runs only when a
        // diagnostic or one of those files changes, and the emit path below never sees it.
        var diagnostics = results
            .Select(static (result, _) => result.Diagnostics)
            .WithTrackingName(TrackingNames.Diagnostics);
        var located = diagnostics
            .Collect()
            .Combine(context.CompilationProvider)
            .Select(static (pair, cancellationToken) => DiagnosticLocator.Locate(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(TrackingNames.LocatedDiagnostics);
        context.RegisterSourceOutput(located, static (production, locatedDiagnostics) =>
        {
            foreach (var diagnostic in locatedDiagnostics) production.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var specs = results
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(TrackingNames.Specs);
        // Reduced to the few names that collide ignoring case (usually none), so edits elsewhere leave it unchanged.
        var collisions = specs
            .Select(static (spec, _) => spec.HintName)
            .Collect()
            .Select(static (names, _) => HintNames.CaseInsensitiveCollisions(names))
            .WithTrackingName(TrackingNames.HintNameCollisions);
        context.RegisterSourceOutput(specs.Combine(collisions), static (production, pair) =>
            production.AddSource(HintNames.Unique(pair.Left.HintName, pair.Right), VaeEmitter.EmitSourceText(pair.Left, Version)));
    }
}
