using System;
using System.IO;
using ScottPlot;
using SkiaSharp;

namespace VaeGen.Visualization;

/// <summary>
/// The typeface every picture of this package writes its text in: DejaVu Sans 2.37, embedded in the assembly (its
/// licence is in the package). Skia's Linux library here reads no font configuration and a bare server has no fonts, so
/// text drawn in a system font would come out blank; this one is always there. <see cref="Apply"/> gives a ScottPlot
/// plot of your own the same text.
/// </summary>
public static class EmbeddedFont
{
    /// <summary>
    /// The family name ScottPlot knows the embedded font by. Distinct from "DejaVu Sans", so a plot asking for it gets
    /// the embedded file even where the system has its own copy; ScottPlot's other plots keep their fonts.
    /// </summary>
    public const string Name = "VaeGen.Visualization DejaVu Sans";

    private const string ResourceName = "VaeGen.Visualization.DejaVuSans.ttf";

    private static readonly Lazy<SKTypeface> Face = new(Load);

    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>The typeface, loaded from the assembly once and kept for the life of the process; do not dispose it.</summary>
    public static SKTypeface Typeface => Face.Value;

    /// <summary>
    /// Sets the title, the axis labels, the tick labels and the legend of <paramref name="plot"/> to the embedded font.
    /// Text added to the plot later keeps ScottPlot's default font unless its style names <see cref="Name"/>.
    /// </summary>
    /// <param name="plot">The plot to change.</param>
    public static void Apply(Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        EnsureRegistered();
        plot.Axes.Title.Label.FontName = Name;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = Name;
            axis.TickLabelStyle.FontName = Name;
        }
        plot.Legend.FontName = Name;
    }

    /// <summary>Makes ScottPlot resolve <see cref="Name"/> to the embedded typeface; once per process.</summary>
    internal static void EnsureRegistered() => _ = Registered.Value;

    private static bool Register()
    {
        // First in the list: ScottPlot asks its resolvers in order, and this one answers only for its own name.
        Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver(Name, Typeface));
        return true;
    }

    private static SKTypeface Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly {typeof(EmbeddedFont).Assembly.GetName().Name} lacks its font resource {ResourceName}.");
        using var data = SKData.Create(stream);
        return SKTypeface.FromData(data)
            ?? throw new InvalidDataException($"Skia could not read the embedded font {ResourceName}.");
    }
}
