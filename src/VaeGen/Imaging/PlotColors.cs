using System.Collections.Generic;

namespace VaeGen.Imaging;

/// <summary>The colours of a plot: a series palette that stays distinguishable on white, and the greys of the frame.</summary>
public static class PlotColors
{
    /// <summary>Default series colours, used in order across all panels of a plot and then repeated.</summary>
    public static IReadOnlyList<Rgb> Series { get; } = new[]
    {
        new Rgb(31, 119, 180),   // blue
        new Rgb(230, 97, 1),     // orange
        new Rgb(44, 160, 44),    // green
        new Rgb(200, 30, 40),    // red
        new Rgb(128, 80, 180),   // purple
        new Rgb(140, 86, 75),    // brown
        new Rgb(220, 60, 170),   // magenta
        new Rgb(0, 160, 180),    // teal
    };

    /// <summary>The canvas.</summary>
    public static Rgb Background => Rgb.White;

    /// <summary>Text: titles, labels and tick values.</summary>
    public static Rgb Text => new(30, 30, 30);

    /// <summary>The frame around each plotting area and the tick marks.</summary>
    public static Rgb Axis => new(90, 90, 90);

    /// <summary>Grid lines at the ticks.</summary>
    public static Rgb Grid => new(228, 228, 228);

    /// <summary>The legend's border.</summary>
    public static Rgb LegendBorder => new(190, 190, 190);
}
