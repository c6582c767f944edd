using System;
using System.Collections.Generic;
using System.Linq;

namespace VaeGen.Imaging;

/// <summary>One set of axes of a <see cref="PlotSpec"/>: its own x and y ranges, labels, series and legend.</summary>
public sealed class PlotPanel
{
    /// <summary>A panel.</summary>
    /// <param name="xLabel">The title under the x axis.</param>
    /// <param name="yLabel">The title beside the y axis, written upward.</param>
    /// <param name="series">The lines to draw, in legend order; may be empty.</param>
    /// <param name="title">A heading above the panel, or null for none.</param>
    public PlotPanel(string xLabel, string yLabel, IEnumerable<PlotSeries> series, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(xLabel);
        ArgumentNullException.ThrowIfNull(yLabel);
        ArgumentNullException.ThrowIfNull(series);
        XLabel = xLabel;
        YLabel = yLabel;
        Series = series.ToArray();
        if (Series.Any(s => s is null))
            throw new ArgumentException("A panel's series cannot be null.", nameof(series));
        Title = title;
    }

    /// <summary>The title under the x axis.</summary>
    public string XLabel { get; }

    /// <summary>The title beside the y axis.</summary>
    public string YLabel { get; }

    /// <summary>The lines, in legend order.</summary>
    public IReadOnlyList<PlotSeries> Series { get; }

    /// <summary>A heading above the panel, or null.</summary>
    public string? Title { get; }
}
