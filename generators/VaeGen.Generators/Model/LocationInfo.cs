using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace VaeGen.Generators.Model;

/// <summary>A source location as plain values: a <see cref="Location"/> would pin a syntax tree inside the pipeline.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || !location.IsInSource) return null;
        return new LocationInfo(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);
    }

    public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

    public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

    /// <summary>
    /// This location inside <paramref name="tree"/>, the current compilation's tree for <see cref="FilePath"/>: only a location in
    /// a syntax tree is one that #pragma, [SuppressMessage] and .editorconfig severities apply to. Without the tree, or when the
    /// tree no longer holds the span, a location by path and line, which the compiler treats as outside the source.
    /// </summary>
    public Location ToLocation(SyntaxTree? tree) =>
        tree is not null && Span.End <= tree.Length
            ? Location.Create(tree, Span)
            : Location.Create(FilePath, Span, LineSpan);
}
