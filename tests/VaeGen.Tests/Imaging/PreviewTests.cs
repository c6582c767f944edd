using System;
using System.IO;
using System.Linq;
using VaeGen.Imaging;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Imaging;

/// <summary>
/// The pictures a training run writes, from synthetic data: a comparison grid, a sample grid and a two-panel loss
/// plot. They go to a temporary folder, or to the folder named by VAEGEN_IMAGING_PREVIEW to be looked at.
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
        return tensor(values, new long[] { 16, 28 * 28 });
    }

    [Fact]
    public void Training_pictures_render_from_synthetic_data()
    {
        using var scope = NewDisposeScope();
        using var temporary = new TempDirectory("imaging");
        var folder = Environment.GetEnvironmentVariable("VAEGEN_IMAGING_PREVIEW") is { Length: > 0 } kept ? kept : temporary.Path;

        var originals = Patterns();
        manual_seed(1);
        var reconstructions = (originals + 0.15 * randn_like(originals)).clamp(0, 1);
        ImageGrid.SaveComparison(Path.Combine(folder, "reconstructions.png"), originals, reconstructions, 28, 28, 8,
            caption: "test images, reconstructions below");
        ImageGrid.Save(Path.Combine(folder, "samples.png"), originals.flip(0), 28, 28, 8, scale: 2, padding: 2, caption: "samples from the prior");

        var epochs = Enumerable.Range(1, 30).ToArray();
        var random = new Random(2);
        var train = epochs.Select(e => 243 + 60 * Math.Exp(-(e - 1) / 4.0) + random.NextDouble()).ToArray();
        var validation = epochs.Select(e => 249 + 52 * Math.Exp(-(e - 1) / 5.0) + 1.5 * random.NextDouble()).ToArray();
        var kl = epochs.Select(e => 27 - 11 * Math.Exp(-(e - 1) / 3.0) + 0.3 * random.NextDouble()).ToArray();
        var spec = new PlotSpec("FashionVae training (784-400-20, Bernoulli)", new[]
        {
            new PlotPanel("epoch", "-ELBO (nats)", new[]
            {
                new PlotSeries("train -ELBO", epochs.Select(e => (double)e), train),
                new PlotSeries("validation -ELBO", epochs.Select(e => (double)e), validation),
            }, "negative ELBO per example"),
            new PlotPanel("epoch", "KL (nats)", new[] { new PlotSeries("train KL(q(z|x) || p(z))", epochs.Select(e => (double)e), kl) }, "KL term"),
        });
        LinePlot.Save(Path.Combine(folder, "loss.png"), spec);

        var grid = Decoded.File(Path.Combine(folder, "reconstructions.png"));
        Assert.Equal(1, grid.Channels);
        Assert.Equal(8 * 56 + 9 * 2, grid.Width);
        var plot = Decoded.File(Path.Combine(folder, "loss.png"));
        Assert.Equal((spec.Width, spec.Height, 3), (plot.Width, plot.Height, plot.Channels));
    }
}
