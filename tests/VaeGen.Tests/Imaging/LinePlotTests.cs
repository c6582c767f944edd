using System;
using System.Collections.Generic;
using System.Linq;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>Line plots: size, visible content, series colours, panels, the legend's placement and awkward data.</summary>
public sealed class LinePlotTests
{
    private static readonly double[] Train = Enumerable.Range(0, 30).Select(e => 245 + 50 * Math.Exp(-e / 5.0)).ToArray();
    private static readonly double[] Validation = Enumerable.Range(0, 30).Select(e => 250 + 45 * Math.Exp(-e / 6.0)).ToArray();
    private static readonly double[] Kl = Enumerable.Range(0, 30).Select(e => 28 - 12 * Math.Exp(-e / 4.0)).ToArray();

    private static PlotSpec TwoPanels() => new(
        "Training",
        new[]
        {
            new PlotPanel("epoch", "-ELBO (nats)", new[] { new PlotSeries("train", Train), new PlotSeries("validation", Validation) }),
            new PlotPanel("epoch", "KL (nats)", new[] { new PlotSeries("KL", Kl) }),
        });

    private static Dictionary<Rgb, int> Histogram(Raster canvas, int fromRow = 0, int toRow = int.MaxValue)
    {
        var counts = new Dictionary<Rgb, int>();
        for (var y = fromRow; y < Math.Min(toRow, canvas.Height); y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                var c = canvas.GetPixel(x, y);
                counts[c] = counts.GetValueOrDefault(c) + 1;
            }
        }
        return counts;
    }

    [Fact]
    public void A_saved_plot_has_the_requested_size_and_is_not_blank()
    {
        using var folder = new TempDirectory("imaging");
        var spec = new PlotSpec("Loss", "epoch", "-ELBO (nats)", new[] { new PlotSeries("train", Train) });
        LinePlot.Save(folder.File("loss.png"), spec);
        var image = Decoded.File(folder.File("loss.png"));
        Assert.Equal((900, 560, 3), (image.Width, image.Height, image.Channels));
        var distinct = Enumerable.Range(0, image.Width * image.Height).Select(i => image.Rgb(i % image.Width, i / image.Width)).Distinct().Count();
        Assert.True(distinct >= 6, $"{distinct} distinct colours");
        Assert.Single(System.IO.Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Each_series_shows_in_its_colour_and_each_panel_keeps_to_its_half()
    {
        var canvas = LinePlot.Render(TwoPanels());
        Assert.Equal((900, PlotSpec.DefaultHeight + PlotSpec.DefaultPanelHeight), (canvas.Width, canvas.Height));
        var middle = canvas.Height / 2;
        var top = Histogram(canvas, 0, middle);
        var bottom = Histogram(canvas, middle);
        var (train, validation, kl) = (PlotColors.Series[0], PlotColors.Series[1], PlotColors.Series[2]);
        // A legend swatch is 26 x 3 = 78 pixels; a line across the plot is far more.
        Assert.True(top.GetValueOrDefault(train) > 600, $"train: {top.GetValueOrDefault(train)}");
        Assert.True(top.GetValueOrDefault(validation) > 600, $"validation: {top.GetValueOrDefault(validation)}");
        Assert.True(bottom.GetValueOrDefault(kl) > 600, $"KL: {bottom.GetValueOrDefault(kl)}");
        Assert.False(bottom.ContainsKey(train));
        Assert.False(top.ContainsKey(kl));
        Assert.True(top.GetValueOrDefault(PlotColors.Grid) > 1000);
        Assert.True(top.GetValueOrDefault(PlotColors.Text) > 300);
    }

    [Fact]
    public void Explicit_colours_are_used()
    {
        var orange = new Rgb(250, 120, 0);
        var canvas = LinePlot.Render(new PlotSpec("", "x", "y", new[] { new PlotSeries("a", new[] { 1.0, 5.0, 2.0 }, orange) }));
        Assert.True(Histogram(canvas).GetValueOrDefault(orange) > 300);
        Assert.False(Histogram(canvas).ContainsKey(PlotColors.Series[0]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_legend_goes_to_a_corner_the_line_avoids(bool rising)
    {
        // From 0 to 96, which the axis (-20 to 100) shows up to its top corner.
        var y = Enumerable.Range(0, 50).Select(i => (rising ? i : 49 - i) * 96.0 / 49).ToArray();
        var canvas = LinePlot.Render(new PlotSpec("", "x", "y", new[] { new PlotSeries("line", y) }));
        var counts = Histogram(canvas, 0, canvas.Height / 2);
        var leftBorder = 0;
        var rightBorder = 0;
        for (var row = 0; row < canvas.Height / 2; row++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                if (canvas.GetPixel(x, row) != PlotColors.LegendBorder)
                    continue;
                if (x < canvas.Width / 2)
                    leftBorder++;
                else
                    rightBorder++;
            }
        }
        // A rising line crosses the top right, so the legend belongs top left; a falling one the other way round.
        Assert.True(rising ? leftBorder > 50 && rightBorder == 0 : rightBorder > 50 && leftBorder == 0, $"left {leftBorder}, right {rightBorder}");
        Assert.True(counts.Count > 5);
    }

    public static IEnumerable<object[]> AwkwardSeries() => new[]
    {
        new object[] { "one point", new[] { 250.0 } },
        new object[] { "constant", new[] { 7.0, 7.0, 7.0, 7.0 } },
        new object[] { "zeros", new[] { 0.0, 0.0 } },
        new object[] { "NaN and infinities", new[] { 3.0, double.NaN, 5.0, double.PositiveInfinity, 4.0, double.NegativeInfinity, 6.0 } },
        new object[] { "all NaN", new[] { double.NaN, double.NaN } },
        new object[] { "empty", Array.Empty<double>() },
        new object[] { "tiny range", new[] { 1.0000001, 1.0000002, 1.0000003 } },
        new object[] { "huge", new[] { 1e12, 3e12 } },
    };

    [Theory]
    [MemberData(nameof(AwkwardSeries))]
    public void Awkward_data_renders_without_throwing(string name, double[] values)
    {
        var canvas = LinePlot.Render(new PlotSpec(name, "x", "y", new[] { new PlotSeries(name, values) }));
        Assert.Equal((900, 560), (canvas.Width, canvas.Height));
        var finite = values.Count(double.IsFinite);
        var inSeriesColour = Histogram(canvas).GetValueOrDefault(PlotColors.Series[0]);
        // Every finite point gets at least a marker; the legend swatch alone is 78 pixels.
        if (finite > 0)
            Assert.True(inSeriesColour >= 78 + 20 * finite, $"{inSeriesColour} pixels in the series colour");
        else
            Assert.Equal(78, inSeriesColour);
    }

    [Fact]
    public void A_single_point_between_gaps_gets_a_marker()
    {
        var x = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var lone = x.Select(i => i == 50 ? 1.0 : double.NaN).ToArray();
        var canvas = LinePlot.Render(new PlotSpec("", "x", "y", new[] { new PlotSeries("rising", x, x), new PlotSeries("lone", x, lone) }));
        Assert.True(Histogram(canvas).GetValueOrDefault(PlotColors.Series[1]) >= 78 + 20);
    }

    [Fact]
    public void Bad_specs_throw()
    {
        Assert.Throws<ArgumentException>("y", () => new PlotSeries("s", new[] { 1.0, 2.0 }, new[] { 1.0 }));
        Assert.Throws<ArgumentException>("panels", () => new PlotSpec("t", Array.Empty<PlotPanel>()));
        var panel = new PlotPanel("x", "y", Array.Empty<PlotSeries>());
        Assert.Throws<ArgumentOutOfRangeException>("width", () => new PlotSpec("t", new[] { panel }, width: 100));
        Assert.Throws<ArgumentOutOfRangeException>("height", () => new PlotSpec("t", new[] { panel, panel }, height: 499));
        var empty = LinePlot.Render(new PlotSpec("t", new[] { panel }));
        Assert.Equal((900, 560), (empty.Width, empty.Height));
    }

    [Fact]
    public void The_smallest_allowed_plot_renders_with_a_crowded_legend()
    {
        var series = Enumerable.Range(0, 5).Select(i => new PlotSeries($"series number {i}", Train.Select(v => v + 10 * i))).ToArray();
        var canvas = LinePlot.Render(new PlotSpec("a title wider than the whole picture", new[] { new PlotPanel("epoch", "-ELBO", series, "panel") }, PlotSpec.MinimumWidth, PlotSpec.MinimumPanelHeight));
        Assert.Equal((400, 250), (canvas.Width, canvas.Height));
        Assert.All(PlotColors.Series.Take(5), c => Assert.True(Histogram(canvas).ContainsKey(c), $"{c} missing"));
    }
}
