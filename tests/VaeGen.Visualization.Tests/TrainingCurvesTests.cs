using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ScottPlot;
using ScottPlot.Plottables;
using VaeGen.Training;
using Xunit;

namespace VaeGen.Visualization.Tests;

/// <summary>Training curves: size, each series in its colour and panel, the text, the legend's corner, gaps and awkward data.</summary>
public sealed class TrainingCurvesTests
{
    /// <summary>Epochs with a falling -ELBO and a rising KL; validation figures every <paramref name="evaluateEvery"/> epochs.</summary>
    internal static EpochMetrics[] Run(int count = 30, int evaluateEvery = 1) =>
        Enumerable.Range(1, count).Select(e => Epoch(
            e,
            245 + 50 * Math.Exp(-(e - 1) / 5.0),
            28 - 12 * Math.Exp(-(e - 1) / 4.0),
            e % evaluateEvery == 0 ? 250 + 45 * Math.Exp(-(e - 1) / 6.0) : null,
            e % evaluateEvery == 0 ? 27 - 10 * Math.Exp(-(e - 1) / 4.0) : null)).ToArray();

    internal static EpochMetrics Epoch(int epoch, double loss, double kl, double? validationLoss = null, double? validationKl = null) =>
        new(epoch, loss, loss - kl, kl, loss, 1, 0, validationLoss, validationLoss - validationKl, validationKl, 1000, 1, 1);

    // Pixels within a small distance of a colour, so anti-aliased edges do not count but the lines' cores do.
    private static int Near(Decoded image, Color color, int top, int bottom)
    {
        var count = 0;
        for (var y = top; y < bottom; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                var (r, g, b) = image.Rgb(x, y);
                if (Math.Abs(r - color.R) + Math.Abs(g - color.G) + Math.Abs(b - color.B) < 30)
                    count++;
            }
        }
        return count;
    }

    private static Decoded Saved(TempDirectory folder, IReadOnlyList<EpochMetrics> epochs, string title = "Training", int width = 900, int height = 900)
    {
        var path = folder.File("loss.png");
        TrainingCurves.Save(path, epochs, title, width: width, height: height);
        return Decoded.File(path);
    }

    [Fact]
    public void A_saved_plot_has_the_requested_size_and_is_the_only_file_written()
    {
        using var folder = new TempDirectory("visualization");
        var image = Saved(folder, Run(), width: 800, height: 700);
        Assert.Equal((800, 700), (image.Width, image.Height));
        Assert.True(image.Channels >= 3);
        var distinct = Enumerable.Range(0, image.Width * image.Height).Select(i => image.Rgb(i % image.Width, i / image.Width)).Distinct().Count();
        Assert.True(distinct >= 6, $"{distinct} distinct colours");
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Each_panel_shows_its_train_and_validation_lines_in_their_colours()
    {
        using var folder = new TempDirectory("visualization");
        var image = Saved(folder, Run());
        var middle = image.Height / 2;
        foreach (var (top, bottom, panel) in new[] { (0, middle, "-ELBO"), (middle, image.Height, "KL") })
        {
            var train = Near(image, TrainingCurves.TrainColor, top, bottom);
            var validation = Near(image, TrainingCurves.ValidationColor, top, bottom);
            // A legend symbol is a few dozen pixels; a line across the panel is far more.
            Assert.True(train > 600, $"{panel} panel: {train} pixels of the train colour");
            Assert.True(validation > 600, $"{panel} panel: {validation} pixels of the validation colour");
        }
    }

    [Fact]
    public void The_title_and_the_axis_labels_are_drawn_where_they_belong()
    {
        using var folder = new TempDirectory("visualization");
        var titled = Saved(folder, Run(), "Fashion-MNIST VAE training");
        var untitled = Saved(folder, Run(), "");
        // The title sits centred in the top band; without a title that band is blank.
        var (left, right) = (titled.Width / 4, titled.Width * 3 / 4);
        Assert.True(titled.Ink(left, 0, right, 35) > 150, $"title: {titled.Ink(left, 0, right, 35)} dark pixels");
        Assert.Equal(0, untitled.Ink(left, 0, right, 12));
        // "epoch" under each panel's x axis: ink centred in the band just above the panel's lower edge.
        foreach (var bottom in new[] { titled.Height / 2, titled.Height })
        {
            var ink = titled.Ink(titled.Width / 2 - 40, bottom - 28, titled.Width / 2 + 60, bottom - 2);
            Assert.True(ink > 40, $"x label above row {bottom}: {ink} dark pixels");
        }
        // The y labels run upward along the left edge.
        Assert.True(titled.Ink(0, 0, 22, titled.Height / 2) > 60);
        Assert.True(titled.Ink(0, titled.Height / 2, 22, titled.Height) > 60);
    }

    [Fact]
    public void Both_panels_share_one_left_edge()
    {
        using var folder = new TempDirectory("visualization");
        // Tick labels of very different widths: 1,000,000-odd nats against a KL below 1.
        var image = Saved(folder, Enumerable.Range(1, 5).Select(e => Epoch(e, 1_000_000 + e, 0.5 / e)).ToArray());
        var half = image.Height / 2;
        Assert.Equal(FrameLeft(image, 0, half), FrameLeft(image, half, image.Height));
    }

    // The leftmost column that is dark down almost all of the panel's middle: the frame's left side, not text or ticks.
    private static int FrameLeft(Decoded image, int top, int bottom)
    {
        var (from, to) = (top + (bottom - top) / 5, bottom - (bottom - top) / 5);
        return Enumerable.Range(0, image.Width / 2).First(x => Enumerable.Range(from, to - from).Count(y => image.Darkness(x, y) < 120) > 0.95 * (to - from));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_legend_goes_to_a_corner_the_lines_avoid(bool rising)
    {
        var epochs = Enumerable.Range(1, 20).Select(e => Epoch(e, 300 + (rising ? e : -e), 10)).ToArray();
        var loss = TrainingCurves.Create(epochs).GetPlot(0);
        // A rising line crosses the top right, so the legend belongs top left; a falling one the other way round.
        Assert.Equal(rising ? Alignment.UpperLeft : Alignment.UpperRight, loss.Legend.Alignment);
        Assert.True(loss.Legend.IsVisible);
    }

    [Fact]
    public void Epochs_without_validation_figures_are_left_out_of_the_validation_curve()
    {
        var curves = TrainingCurves.Create(Run(10, evaluateEvery: 3), validationName: "test");
        var lines = curves.GetPlot(0).GetPlottables<Scatter>().ToArray();
        Assert.Equal(["train -ELBO", "test -ELBO"], lines.Select(l => l.LegendText));
        Assert.Equal(10, lines[0].Data.GetScatterPoints().Count);
        Assert.Equal([3.0, 6, 9], lines[1].Data.GetScatterPoints().Select(p => p.X));
    }

    public static TheoryData<string, EpochMetrics[]> Awkward() => new()
    {
        { "one epoch", [Epoch(1, 250, 20, 255, 21)] },
        { "no epochs", [] },
        { "constant", Enumerable.Range(1, 4).Select(e => Epoch(e, 7, 7)).ToArray() },
        { "NaN and infinities", [Epoch(1, 300, 20), Epoch(2, double.NaN, 21), Epoch(3, double.PositiveInfinity, double.NaN), Epoch(4, 280, 22)] },
        { "all NaN", [Epoch(1, double.NaN, double.NaN), Epoch(2, double.NaN, double.NaN)] },
        { "tiny range", [Epoch(1, 1.0000001, 1e-9), Epoch(2, 1.0000002, 2e-9)] },
        { "huge", [Epoch(1, 1e12, 1e10), Epoch(2, 3e12, 2e10)] },
    };

    [Theory]
    [MemberData(nameof(Awkward))]
    public void Awkward_runs_render_at_full_size(string name, EpochMetrics[] epochs)
    {
        using var folder = new TempDirectory("visualization");
        var image = Saved(folder, epochs, name);
        Assert.Equal((900, 900), (image.Width, image.Height));
        var finite = epochs.Count(e => double.IsFinite(e.TrainLoss));
        if (finite > 0)
            Assert.True(Near(image, TrainingCurves.TrainColor, 0, image.Height / 2) > 20 * finite, $"{name}: the train points are missing");
        else
            Assert.Equal(0, Near(image, TrainingCurves.TrainColor, 0, image.Height / 2));
    }

    [Fact]
    public void Bad_arguments_throw_naming_them()
    {
        using var folder = new TempDirectory("visualization");
        var path = folder.File("loss.png");
        Assert.Throws<ArgumentOutOfRangeException>("width", () => TrainingCurves.Save(path, Run(), width: 299));
        Assert.Throws<ArgumentOutOfRangeException>("height", () => TrainingCurves.Save(path, Run(), height: 399));
        Assert.Throws<ArgumentNullException>("epochs", () => TrainingCurves.Create(null!));
        Assert.Throws<ArgumentException>("epochs", () => TrainingCurves.Create([Run(1)[0], null!]));
        Assert.Throws<ArgumentException>("path", () => TrainingCurves.Save(folder.Path, Run()));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
