using System;
using System.Collections.Generic;
using System.Linq;

namespace VaeGen.Imaging;

/// <summary>
/// What <see cref="LinePlot"/> draws: a title and one or more panels stacked top to bottom, each with its own axes,
/// so quantities on very different scales (say a -ELBO near 250 nats and a KL near 20) each get a readable y axis.
/// </summary>
public sealed class PlotSpec
{
    /// <summary>The default width in pixels.</summary>
    public const int DefaultWidth = 900;

    /// <summary>The default height of a one-panel plot; each further panel adds <see cref="DefaultPanelHeight"/>.</summary>
    public const int DefaultHeight = 560;

    /// <summary>The height each panel after the first adds by default.</summary>
    public const int DefaultPanelHeight = 400;

    /// <summary>The narrowest plot that still has room for tick labels, axis titles and a legend.</summary>
    public const int MinimumWidth = 400;

    /// <summary>The least height per panel.</summary>
    public const int MinimumPanelHeight = 250;

    /// <summary>A plot of the given panels.</summary>
    /// <param name="title">The heading across the top; empty for none.</param>
    /// <param name="panels">The panels, top to bottom, at least one.</param>
    /// <param name="width">Width in pixels, at least 400.</param>
    /// <param name="height">Height in pixels, at least 250 per panel; null for <see cref="DefaultHeight"/> + <see cref="DefaultPanelHeight"/> per extra panel.</param>
    /// <exception cref="ArgumentException">There are no panels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The size is too small to lay out.</exception>
    public PlotSpec(string title, IEnumerable<PlotPanel> panels, int width = DefaultWidth, int? height = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(panels);
        Title = title;
        Panels = panels.ToArray();
        if (Panels.Count == 0 || Panels.Any(p => p is null))
            throw new ArgumentException("A plot needs at least one panel, and none may be null.", nameof(panels));
        Width = width;
        Height = height ?? DefaultHeight + (Panels.Count - 1) * DefaultPanelHeight;
        if (Width < MinimumWidth)
            throw new ArgumentOutOfRangeException(nameof(width), width, $"A plot must be at least {MinimumWidth} pixels wide.");
        if (Height < MinimumPanelHeight * Panels.Count)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"A plot of {Panels.Count} panel(s) must be at least {MinimumPanelHeight * Panels.Count} pixels high.");
    }

    /// <summary>A plot with a single panel.</summary>
    /// <param name="title">The heading across the top; empty for none.</param>
    /// <param name="xLabel">The title under the x axis.</param>
    /// <param name="yLabel">The title beside the y axis.</param>
    /// <param name="series">The lines to draw.</param>
    public PlotSpec(string title, string xLabel, string yLabel, IEnumerable<PlotSeries> series)
        : this(title, new[] { new PlotPanel(xLabel, yLabel, series) })
    {
    }

    /// <summary>The heading across the top.</summary>
    public string Title { get; }

    /// <summary>The panels, top to bottom; they share the width and split the height below the title equally.</summary>
    public IReadOnlyList<PlotPanel> Panels { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }
}
