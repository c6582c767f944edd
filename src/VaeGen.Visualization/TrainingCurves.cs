using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;
using ScottPlot.TickGenerators;
using VaeGen.Training;

namespace VaeGen.Visualization;

/// <summary>
/// A training run's curves, drawn with ScottPlot: the -ELBO per epoch (train, and validation where it was evaluated)
/// above the KL term per epoch, each panel on its own y axis, since a -ELBO near 250 nats and a KL near 20 share no
/// readable scale. Every text is in the <see cref="EmbeddedFont"/>.
/// </summary>
public static class TrainingCurves
{
    /// <summary>The default picture size, in pixels.</summary>
    public const int DefaultWidth = 900, DefaultHeight = 900;

    /// <summary>Train series: ScottPlot's first Category10 colour, blue.</summary>
    internal static readonly Color TrainColor = Color.FromHex("#1f77b4");

    /// <summary>Validation series: the second, orange.</summary>
    internal static readonly Color ValidationColor = Color.FromHex("#ff7f0e");

    /// <summary>Draws the curves and writes them as a PNG, atomically; missing folders are created and an existing file is replaced.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="epochs">The epochs' figures, as <c>Fit</c> returns them in <see cref="TrainingHistory.Epochs"/>.</param>
    /// <param name="title">The heading over the top panel; empty for none.</param>
    /// <param name="validationName">What the validation data is called in the legend (the sample evaluates on its test set: "test").</param>
    /// <param name="width">Width in pixels, at least 300.</param>
    /// <param name="height">Height in pixels, at least 400.</param>
    public static void Save(string path, IReadOnlyList<EpochMetrics> epochs, string title = "Training", string validationName = "validation",
        int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (width < 300)
            throw new ArgumentOutOfRangeException(nameof(width), width, "The curves need at least 300 pixels of width.");
        if (height < 400)
            throw new ArgumentOutOfRangeException(nameof(height), height, "The curves need at least 400 pixels of height, 200 a panel.");
        var curves = Create(epochs, title, validationName);
        AlignPlottingAreas(curves, width, height);
        using var image = curves.Render(width, height);
        PngFile.Save(path, image.GetImageBytes(ImageFormat.Png));
    }

    /// <summary>
    /// The two panels as a ScottPlot multiplot, to restyle or to add to before saving or showing it yourself. Epochs
    /// without a validation figure are left out of the validation curves rather than drawn as gaps.
    /// </summary>
    /// <param name="epochs">The epochs' figures.</param>
    /// <param name="title">The heading over the top panel; empty for none.</param>
    /// <param name="validationName">What the validation data is called in the legend.</param>
    /// <returns>A multiplot of two plots, -ELBO above KL.</returns>
    public static Multiplot Create(IReadOnlyList<EpochMetrics> epochs, string title = "Training", string validationName = "validation")
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(validationName);
        if (epochs.Any(e => e is null))
            throw new ArgumentException("The list of epochs holds a null entry.", nameof(epochs));

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var loss = multiplot.GetPlot(0);
        var kl = multiplot.GetPlot(1);
        Panel(loss, "-ELBO (nats)", epochs, e => e.TrainLoss, e => e.ValidationLoss, "-ELBO", validationName);
        Panel(kl, "KL (nats)", epochs, e => e.TrainKl, e => e.ValidationKl, "KL", validationName);
        if (title.Length > 0)
            loss.Title(title);
        return multiplot;
    }

    /// <summary>
    /// Lays the panels out once, then fixes every panel's left margin at the widest one's, so that the plotting areas
    /// line up above each other even when the tick labels differ in width.
    /// </summary>
    private static void AlignPlottingAreas(Multiplot curves, int width, int height)
    {
        using (curves.Render(width, height))
        {
        }
        var plots = curves.GetPlots();
        var left = plots.Max(p => p.RenderManager.LastRender.DataRect.Left - p.RenderManager.LastRender.FigureRect.Left);
        foreach (var plot in plots)
        {
            var (data, figure) = (plot.RenderManager.LastRender.DataRect, plot.RenderManager.LastRender.FigureRect);
            plot.Layout.Fixed(new PixelPadding(left, figure.Right - data.Right, figure.Bottom - data.Bottom, data.Top - figure.Top));
        }
    }

    private static void Panel(Plot plot, string yLabel, IReadOnlyList<EpochMetrics> epochs, Func<EpochMetrics, double> train,
        Func<EpochMetrics, double?> validation, string quantity, string validationName)
    {
        var trainSeries = Line(plot, epochs.Select(e => (e.Epoch, (double?)train(e))), $"train {quantity}", TrainColor);
        var validationSeries = Line(plot, epochs.Select(e => (e.Epoch, validation(e))), $"{validationName} {quantity}", ValidationColor);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        // Epochs are whole numbers: no tick at 1.5.
        plot.Axes.Bottom.TickGenerator = new NumericAutomatic { IntegerTicksOnly = true };
        // Little room left and right, so the epoch axis does not start at an epoch 0 that never ran.
        plot.Axes.Margins(horizontal: 0.03, vertical: 0.1);
        plot.Axes.AutoScale();
        if (trainSeries.Count + validationSeries.Count > 0)
            plot.ShowLegend(QuietestCorner(plot, [trainSeries, validationSeries]));
        EmbeddedFont.Apply(plot);
    }

    // A line through the finite points, or nothing when there are none; returns the points drawn.
    private static List<Coordinates> Line(Plot plot, IEnumerable<(int Epoch, double? Value)> points, string name, Color color)
    {
        var finite = points.Where(p => p.Value is { } v && double.IsFinite(v)).Select(p => new Coordinates(p.Epoch, p.Value!.Value)).ToList();
        if (finite.Count == 0)
            return finite;
        var scatter = plot.Add.Scatter(finite.Select(c => c.X).ToArray(), finite.Select(c => c.Y).ToArray(), color);
        scatter.LegendText = name;
        scatter.LineWidth = 2;
        scatter.MarkerSize = finite.Count <= 40 ? 6 : 0;
        return finite;
    }

    /// <summary>The corner of the data area whose box of 40% by 40% the lines pass through least.</summary>
    private static Alignment QuietestCorner(Plot plot, List<Coordinates>[] lines)
    {
        var limits = plot.Axes.GetLimits();
        Alignment[] corners = [Alignment.UpperRight, Alignment.UpperLeft, Alignment.LowerRight, Alignment.LowerLeft];
        return corners.OrderBy(corner => lines.Sum(line => Crossings(line, limits, corner))).First();
    }

    // Samples each segment at 50 points in axis fractions, so a steep line counts as much as a flat one.
    private static int Crossings(List<Coordinates> line, AxisLimits limits, Alignment corner)
    {
        var right = corner is Alignment.UpperRight or Alignment.LowerRight;
        var upper = corner is Alignment.UpperRight or Alignment.UpperLeft;
        var count = 0;
        for (var i = 0; i < line.Count; i++)
        {
            var (a, b) = (line[i], line[Math.Min(i + 1, line.Count - 1)]);
            for (var k = 0; k <= 50; k++)
            {
                var fx = (a.X + (b.X - a.X) * k / 50 - limits.Left) / (limits.Right - limits.Left);
                var fy = (a.Y + (b.Y - a.Y) * k / 50 - limits.Bottom) / (limits.Top - limits.Bottom);
                if ((right ? fx > 0.6 : fx < 0.4) && (upper ? fy > 0.6 : fy < 0.4))
                    count++;
            }
        }
        return count;
    }
}
