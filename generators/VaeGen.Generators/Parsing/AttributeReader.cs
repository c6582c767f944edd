using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Parsing;

/// <summary>
/// One applied attribute with its syntax, read once: its values, and the place each was written (the attribute itself
/// when an argument was not written or cannot be told apart).
/// </summary>
internal sealed class AttributeReader
{
    private List<AttributeArgumentSyntax>? positional;

    public AttributeReader(AttributeData data, CancellationToken cancellationToken)
    {
        Data = data;
        Syntax = data.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        Location = LocationInfo.From(Syntax);
    }

    public AttributeData Data { get; }

    public AttributeSyntax? Syntax { get; }

    /// <summary>The whole attribute.</summary>
    public LocationInfo? Location { get; }

    /// <summary>True when the attribute bound to a constructor with exactly <paramref name="count"/> arguments (defaults included).</summary>
    public bool HasConstructorArguments(int count) => Data.AttributeConstructor is not null && Data.ConstructorArguments.Length == count;

    /// <summary>The arguments written without "Name =": positional ones and "name:" ones, in order; null without syntax.</summary>
    public List<AttributeArgumentSyntax>? ConstructorArgumentSyntax =>
        positional ??= Syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null).ToList();

    /// <summary>The int constructor argument at <paramref name="index"/> (0 when it is not an int) and where it was written.</summary>
    public Argument<int> Positional(int index)
    {
        var value = Data.ConstructorArguments[index].Value is int number ? number : 0;
        var parameterName = Data.AttributeConstructor?.Parameters[index].Name;
        var arguments = ConstructorArgumentSyntax;
        // A named argument (latentSize: 20) may stand anywhere; any other stands at its parameter's position.
        var atPosition = arguments?.ElementAtOrDefault(index);
        var argument = arguments?.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameterName)
            ?? (atPosition?.NameColon is null ? atPosition : null);
        return new Argument<int>(value, argument is null ? Location : LocationInfo.From(argument));
    }

    /// <summary>The property set as "<paramref name="name"/> = value" when its value is a <typeparamref name="T"/>, or null.</summary>
    public Argument<T>? Named<T>(string name)
        where T : System.IEquatable<T>
    {
        foreach (var pair in Data.NamedArguments)
        {
            if (pair.Key != name || pair.Value.Value is not T value) continue;
            var argument = Syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
            return new Argument<T>(value, argument is null ? Location : LocationInfo.From(argument));
        }
        return null;
    }
}
