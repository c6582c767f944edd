using System;
using ScottPlot;
using SkiaSharp;

namespace VaeGen.Visualization;

/// <summary>
/// Answers ScottPlot's request for one family name with one typeface, whatever weight or slant is asked (the package
/// embeds the regular face only, so a bold title is drawn regular); other names are left to the next resolver.
/// </summary>
internal sealed class EmbeddedFontResolver(string name, SKTypeface typeface) : IFontResolver
{
    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Matches(fontName) ? typeface : null;

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
        Matches(fontName) ? typeface : null;

    private bool Matches(string fontName) => string.Equals(fontName, name, StringComparison.Ordinal);
}
