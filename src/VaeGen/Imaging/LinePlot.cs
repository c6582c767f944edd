using System;
using System.Collections.Generic;
using System.Linq;

namespace VaeGen.Imaging;

/// <summary>
/// Renders a <see cref="PlotSpec"/> as an RGB PNG: a title, then each panel with a framed plotting area, light grid
/// lines at nice ticks (<see cref="AxisScale"/>), labelled ticks, axis titles, the series as anti-aliased lines
/// (with point markers when a series has at most <see cref="MarkerLimit"/> points) and a legend in the corner of
/// the plotting area that the lines cross least. Non-finite points are skipped; an empty or flat series still draws.
/// </summary>
public static class LinePlot
{
    /// <summary>Font scale of the plot title.</summary>
    public const int TitleScale = 3;

    /// <summary>Font scale of panel titles, axis titles, tick labels and the legend.</summary>
    public const int TextScale = 2;

    /// <summary>Width of series lines in pixels.</summary>
    public const double LineWidth = 2.5;

    /// <summary>Radius of point markers in pixels.</summary>
    public const double MarkerRadius = 3.5;

    /// <summary>Series with at most this many finite points get a marker on each point.</summary>
    public const int MarkerLimit = 40;

    private const int Margin = 12;
    private const int TickLength = 5;
    private const int TickGap = 6;
    private const int LegendSwatch = 26;
    private const int LegendPadding = 9;
    private const int LegendRowGap = 8;
    private const int LegendInset = 10;

    private sealed record PanelLayout(PlotPanel Panel, (double X, double Y)[] Points, int PanelTop, int AreaTop, int AreaBottom, AxisScale Y, int YLabelWidth);

    private static int TextCapHeight => BitmapFont.CapHeight * TextScale;

    private static int TextLineHeight => BitmapFont.GlyphHeight * TextScale;

    /// <summary>Renders the plot and writes it as an 8-bit RGB PNG, atomically (see <see cref="Png.Save"/>).</summary>
    /// <param name="path">The PNG file; an existing file is replaced and missing folders are created.</param>
    /// <param name="spec">What to draw.</param>
    public static void Save(string path, PlotSpec spec)
    {
        ArgumentNullException.ThrowIfNull(path);
        Render(spec).SaveRgb(path);
    }

    /// <summary>Renders the plot to a <see cref="PlotSpec.Width"/> x <see cref="PlotSpec.Height"/> canvas.</summary>
    /// <param name="spec">What to draw.</param>
    /// <returns>The canvas.</returns>
    public static Raster Render(PlotSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var canvas = new Raster(spec.Width, spec.Height, PlotColors.Background);
        var top = 0;
        if (!string.IsNullOrEmpty(spec.Title))
        {
            var (titleWidth, _) = Raster.MeasureText(spec.Title, TitleScale);
            canvas.DrawText(spec.Title, (spec.Width - titleWidth) / 2, Margin, PlotColors.Text, TitleScale);
            top = Margin + BitmapFont.GlyphHeight * TitleScale + 4;
        }

        var panelHeight = (spec.Height - top) / spec.Panels.Count;
        var layouts = spec.Panels.Select((panel, i) => Measure(panel, top + i * panelHeight, panelHeight)).ToArray();
        // One left edge for all panels, so that stacked plotting areas line up even when tick labels differ in width.
        var areaLeft = Margin + TextLineHeight + Margin + layouts.Max(l => l.YLabelWidth) + TickGap + TickLength;
        var nextColor = 0;
        foreach (var layout in layouts)
        {
            var colors = layout.Panel.Series.Select(s => s.Color ?? PlotColors.Series[nextColor++ % PlotColors.Series.Count]).ToArray();
            DrawPanel(canvas, layout, colors, areaLeft);
        }
        return canvas;
    }

    // The vertical layout and y axis of a panel, which fix the width of its tick labels.
    private static PanelLayout Measure(PlotPanel panel, int panelTop, int panelHeight)
    {
        var points = panel.Series.SelectMany(FinitePoints).ToArray();
        var hasTitle = !string.IsNullOrEmpty(panel.Title);
        var areaTop = hasTitle ? panelTop + Margin + TextLineHeight + Margin : panelTop + Margin + TextCapHeight / 2;
        var areaBottom = panelTop + panelHeight - (TickLength + TickGap + TextCapHeight + 2 * Margin + TextLineHeight);
        var y = YScale(points, areaBottom - areaTop);
        var yLabelWidth = y.Ticks.Max(t => Raster.MeasureText(y.Format(t), TextScale).Width);
        return new PanelLayout(panel, points, panelTop, areaTop, areaBottom, y, yLabelWidth);
    }

    private static void DrawPanel(Raster canvas, PanelLayout layout, Rgb[] colors, int areaLeft)
    {
        var panel = layout.Panel;
        if (!string.IsNullOrEmpty(panel.Title))
        {
            var (titleWidth, _) = Raster.MeasureText(panel.Title, TextScale);
            canvas.DrawText(panel.Title, (canvas.Width - titleWidth) / 2, layout.PanelTop + Margin, PlotColors.Text, TextScale);
        }
        var areaRight = canvas.Width - 2 * Margin;
        var x = XScale(layout.Points, areaRight - areaLeft);
        var area = new PlotArea(areaLeft, layout.AreaTop, areaRight, layout.AreaBottom, x, layout.Y);

        DrawGridAndAxes(canvas, area);
        DrawAxisTitles(canvas, panel, area);
        var polylines = new List<(double X, double Y)>[panel.Series.Count];
        for (var s = 0; s < panel.Series.Count; s++)
            polylines[s] = DrawSeries(canvas, panel.Series[s], colors[s], area);
        DrawLegend(canvas, panel.Series, colors, area, polylines);
    }

    private static IEnumerable<(double X, double Y)> FinitePoints(PlotSeries series)
    {
        for (var i = 0; i < series.X.Count; i++)
        {
            if (double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]))
                yield return (series.X[i], series.Y[i]);
        }
    }

    private static AxisScale YScale((double X, double Y)[] points, int height)
    {
        if (points.Length == 0)
            return AxisScale.Covering(0, 1);
        var low = points.Min(p => p.Y);
        var high = points.Max(p => p.Y);
        // A little headroom so the extreme points do not sit on the frame.
        var pad = 0.04 * (high - low);
        return AxisScale.Covering(low - pad, high + pad, Math.Clamp(height / 60, 2, 8));
    }

    private static AxisScale XScale((double X, double Y)[] points, int width)
    {
        if (points.Length == 0)
            return AxisScale.Covering(0, 1);
        var low = points.Min(p => p.X);
        var high = points.Max(p => p.X);
        var integers = points.All(p => Math.Abs(p.X - Math.Round(p.X)) < 1e-9);
        AxisScale scale;
        // Fewer ticks until the labels fit side by side, and no fractional ticks when x counts (epochs, steps).
        for (var target = 10; ; target--)
        {
            scale = AxisScale.Covering(low, high, target);
            var labelWidth = scale.Ticks.Max(t => Raster.MeasureText(scale.Format(t), TextScale).Width);
            var spacing = (double)width / Math.Max(1, scale.Ticks.Count - 1);
            var fits = spacing >= labelWidth + 2 * Margin;
            if (target == 1 || (fits && (!integers || scale.Step >= 1 || high - low < 1)))
                return scale;
        }
    }

    private static void DrawGridAndAxes(Raster canvas, PlotArea area)
    {
        foreach (var tick in area.X.Ticks)
        {
            var column = (int)Math.Floor(area.ToPixelX(tick));
            canvas.FillRectangle(column, area.Top, 1, area.Bottom - area.Top, PlotColors.Grid);
            canvas.FillRectangle(column, area.Bottom + 1, 1, TickLength, PlotColors.Axis);
            var label = area.X.Format(tick);
            var (width, _) = Raster.MeasureText(label, TextScale);
            canvas.DrawText(label, column - width / 2, area.Bottom + TickLength + TickGap, PlotColors.Text, TextScale);
        }
        foreach (var tick in area.Y.Ticks)
        {
            var row = (int)Math.Floor(area.ToPixelY(tick));
            canvas.FillRectangle(area.Left, row, area.Right - area.Left, 1, PlotColors.Grid);
            canvas.FillRectangle(area.Left - TickLength, row, TickLength, 1, PlotColors.Axis);
            var label = area.Y.Format(tick);
            var (width, _) = Raster.MeasureText(label, TextScale);
            canvas.DrawText(label, area.Left - TickLength - TickGap - width, row - TextCapHeight / 2, PlotColors.Text, TextScale);
        }
        canvas.DrawRectangle(area.Left, area.Top, area.Right - area.Left + 1, area.Bottom - area.Top + 1, PlotColors.Axis);
    }

    private static void DrawAxisTitles(Raster canvas, PlotPanel panel, PlotArea area)
    {
        var (xWidth, _) = Raster.MeasureText(panel.XLabel, TextScale);
        canvas.DrawText(panel.XLabel, (area.Left + area.Right - xWidth) / 2,
            area.Bottom + TickLength + TickGap + TextCapHeight + Margin, PlotColors.Text, TextScale);
        var (yWidth, _) = Raster.MeasureText(panel.YLabel, TextScale);
        canvas.DrawTextUpward(panel.YLabel, Margin, (area.Top + area.Bottom - yWidth) / 2, PlotColors.Text, TextScale);
    }

    private static List<(double X, double Y)> DrawSeries(Raster canvas, PlotSeries series, Rgb color, PlotArea area)
    {
        var finite = 0;
        for (var i = 0; i < series.X.Count; i++)
        {
            if (double.IsFinite(series.X[i]) && double.IsFinite(series.Y[i]))
                finite++;
        }
        var drawn = new List<(double X, double Y)>();
        (double X, double Y)? previous = null;
        for (var i = 0; i < series.X.Count; i++)
        {
            if (!double.IsFinite(series.X[i]) || !double.IsFinite(series.Y[i]))
            {
                // A gap: the line does not bridge a missing value.
                previous = null;
                continue;
            }
            var point = (X: area.ToPixelX(series.X[i]), Y: area.ToPixelY(series.Y[i]));
            if (previous is { } p)
                canvas.DrawLine(p.X, p.Y, point.X, point.Y, color, LineWidth);
            var isolated = previous is null && (i + 1 >= series.X.Count || !double.IsFinite(series.X[i + 1]) || !double.IsFinite(series.Y[i + 1]));
            if (finite <= MarkerLimit || isolated)
                canvas.FillCircle(point.X, point.Y, MarkerRadius, color);
            drawn.Add(point);
            previous = point;
        }
        return drawn;
    }

    private static void DrawLegend(Raster canvas, IReadOnlyList<PlotSeries> series, Rgb[] colors, PlotArea area, List<(double X, double Y)>[] polylines)
    {
        if (series.Count == 0)
            return;
        var textWidth = series.Max(s => Raster.MeasureText(s.Name, TextScale).Width);
        var width = 2 * LegendPadding + LegendSwatch + LegendPadding + textWidth;
        var height = 2 * LegendPadding + series.Count * TextCapHeight + (series.Count - 1) * LegendRowGap;
        var corners = new[]
        {
            (X: area.Right - LegendInset - width, Y: area.Top + LegendInset),
            (X: area.Left + LegendInset, Y: area.Top + LegendInset),
            (X: area.Right - LegendInset - width, Y: area.Bottom - LegendInset - height),
            (X: area.Left + LegendInset, Y: area.Bottom - LegendInset - height),
        };
        var best = corners.OrderBy(c => Crossings(polylines, c.X, c.Y, width, height)).First();

        canvas.FillRectangle(best.X, best.Y, width, height, PlotColors.Background);
        canvas.DrawRectangle(best.X, best.Y, width, height, PlotColors.LegendBorder);
        for (var s = 0; s < series.Count; s++)
        {
            var rowTop = best.Y + LegendPadding + s * (TextCapHeight + LegendRowGap);
            var middle = rowTop + TextCapHeight / 2;
            canvas.FillRectangle(best.X + LegendPadding, middle - 1, LegendSwatch, 3, colors[s]);
            canvas.DrawText(series[s].Name, best.X + 2 * LegendPadding + LegendSwatch, rowTop, PlotColors.Text, TextScale);
        }
    }

    // How much of the drawn lines a legend box at (x, y) would hide: samples every 2 pixels along each line.
    private static int Crossings(List<(double X, double Y)>[] polylines, int x, int y, int width, int height)
    {
        var hidden = 0;
        foreach (var line in polylines)
        {
            for (var i = 0; i < line.Count; i++)
            {
                var (x0, y0) = line[i];
                var (x1, y1) = i + 1 < line.Count ? line[i + 1] : line[i];
                var steps = Math.Max(1, (int)Math.Ceiling(Math.Sqrt((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) / 2));
                for (var k = 0; k <= steps; k++)
                {
                    var px = x0 + (x1 - x0) * k / steps;
                    var py = y0 + (y1 - y0) * k / steps;
                    if (px >= x - 4 && px <= x + width + 4 && py >= y - 4 && py <= y + height + 4)
                        hidden++;
                }
            }
        }
        return hidden;
    }
}
