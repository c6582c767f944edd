using System;
using System.IO;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Tests;

/// <summary>
/// The pictures a training run writes, from synthetic data: a comparison grid, a grid with row labels, an RGB grid and
/// the training curves. They go to a temporary folder, or to the folder named by VAEGEN_VISUALIZATION_PREVIEW to be
/// looked at.
/// </summary>
public sealed class PreviewTests
{
    // 16 synthetic 28x28 images: gradients in four directions, checkerboards of four sizes, rings and bars.
    private static Tensor Patterns()
    {
        var values = new float[16 * 28 * 28];
        for (var k = 0; k < 16; k++)
        {
            for (var r = 0; r < 28; r++)
            {
                for (var c = 0; c < 28; c++)
                {
                    var dx = c - 13.5;
                    var dy = r - 13.5;
                    values[(k * 28 + r) * 28 + c] = (k / 4) switch
                    {
                        0 => (k % 4) switch { 0 => c / 27f, 1 => r / 27f, 2 => (r + c) / 54f, _ => 1 - c / 27f },
                        1 => ((r / (k % 4 + 1)) + (c / (k % 4 + 1))) % 2 == 0 ? 1f : 0f,
                        2 => (float)(0.5 + 0.5 * Math.Cos(Math.Sqrt(dx * dx + dy * dy) * (k % 4 + 1) * 0.35)),
                        _ => Math.Abs(c - 7 * (k % 4) - 3) < 3 ? 1f : 0.1f,
                    };
                }
            }
        }
        return tensor(values, [16, 28, 28]);
    }

    [Fact]
    public void Training_pictures_render_from_synthetic_data()
    {
        using var scope = NewDisposeScope();
        using var temporary = new TempDirectory("visualization");
        var folder = Environment.GetEnvironmentVariable("VAEGEN_VISUALIZATION_PREVIEW") is { Length: > 0 } kept ? kept : temporary.Path;

        var originals = Patterns();
        manual_seed(1);
        var reconstructions = (originals + 0.15 * randn_like(originals)).clamp(0, 1);
        ImageGrid.SaveComparison(Path.Combine(folder, "reconstructions.png"), originals, reconstructions, 8,
            new ImageGridOptions { Caption = "Test images, their reconstructions below" });
        ImageGrid.Save(Path.Combine(folder, "labelled.png"), originals.flip(0), 4,
            new ImageGridOptions { Caption = "Samples given the class", RowLabels = ["T-shirt/top", "Trouser", "Pullover", "Ankle boot"] });
        // The same patterns as the red, green and blue planes of 16 colour images.
        var colour = stack([originals, originals.roll(1, 0), originals.roll(2, 0)], 1);
        ImageGrid.Save(Path.Combine(folder, "colour.png"), colour, 8, new ImageGridOptions { Caption = "RGB: three patterns a picture" });
        TrainingCurves.Save(Path.Combine(folder, "loss.png"), TrainingCurvesTests.Run(30, evaluateEvery: 2), "FashionVae training (784-400-20, Bernoulli)");

        var grid = Decoded.File(Path.Combine(folder, "reconstructions.png"));
        Assert.Equal(1, grid.Channels);
        Assert.Equal(8 * 56 + 9 * 2, grid.Width);
        Assert.True(Decoded.File(Path.Combine(folder, "colour.png")).Channels >= 3);
        var plot = Decoded.File(Path.Combine(folder, "loss.png"));
        Assert.Equal((TrainingCurves.DefaultWidth, TrainingCurves.DefaultHeight), (plot.Width, plot.Height));
        Assert.Equal(["colour.png", "labelled.png", "loss.png", "reconstructions.png"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Where(n => n!.EndsWith(".png", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }
}
