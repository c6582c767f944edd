using System;
using System.Linq;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Tests;

/// <summary>A small convolutional model: its TensorBoard log gets image grids.</summary>
[Vae(2)]
[ImageInput(1, 8, 8)]
[EncoderConv(4, 2, 2)]
[Encoder]
[Decoder]
[DecoderConvTranspose(1, 2, 2)]
public partial class TinyImageVae;

/// <summary>
/// The sample and reconstruction grids a [ImageInput] model writes to TensorBoard, decoded from the event file: when
/// they are written, their size, and the pixels of the originals and their reconstructions.
/// </summary>
public sealed class TensorBoardImageTests : IDisposable
{
    private readonly TempDirectory temporary = new("tensorboard-images");

    public void Dispose() => temporary.Dispose();

    [Fact]
    public void Image_grids_come_every_N_epochs_and_after_the_last_with_originals_above_their_reconstructions()
    {
        var generator = new Generator(5);
        using var train = rand(16, TinyImageVae.InputSize, generator: generator);
        using var validation = rand(16, TinyImageVae.InputSize, generator: generator);
        manual_seed(1);
        using var model = new TinyImageVae();
        var directory = temporary.File("run");
        model.Fit(train, new TrainingOptions { Epochs = 3, BatchSize = 8, ValidationData = validation, TensorBoardDirectory = directory, TensorBoardImagesEvery = 2 });

        var log = EventFile.In(directory);
        var samples = log.Images("images/samples");
        var reconstructions = log.Images("images/reconstructions");
        Assert.Equal([2L, 3], samples.Select(s => s.Step));
        Assert.Equal([2L, 3], reconstructions.Select(s => s.Step));

        // 64 samples: 8 by 8 tiles of 8x8 pixels, each with a one-pixel border.
        var sampleGrid = Decoded.Bytes(samples[^1].Image.EncodedImageString.ToByteArray());
        Assert.Equal((80, 80), (sampleGrid.Width, sampleGrid.Height));

        // 16 originals: two rows of 8, each followed by the row of their reconstructions.
        var grid = Decoded.Bytes(reconstructions[^1].Image.EncodedImageString.ToByteArray());
        Assert.Equal((80, 40), (grid.Width, grid.Height));
        using var reconstructed = model.Reconstruct(validation);
        var originals = validation.data<float>().ToArray();
        var means = reconstructed.data<float>().ToArray();
        for (var example = 0; example < 16; example += 5)
        {
            var (row, column) = (example / 8, example % 8);
            foreach (var (y, x) in new[] { (0, 0), (3, 5), (7, 7) })
            {
                var pixel = y * 8 + x;
                var left = column * 10 + 1 + x;
                Assert.InRange(grid.At(left, 2 * row * 10 + 1 + y, 0), Level(originals[example * 64 + pixel]) - 1, Level(originals[example * 64 + pixel]) + 1);
                Assert.InRange(grid.At(left, (2 * row + 1) * 10 + 1 + y, 0), Level(means[example * 64 + pixel]) - 1, Level(means[example * 64 + pixel]) + 1);
            }
        }
    }

    private static int Level(float value) => (int)(value * 255);
}
