using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// What a training session writes for TensorBoard, through TorchSharp's <see cref="SummaryWriter"/>: the loss terms of
/// each read-back window (the values the session reads every ReportEvery steps anyway, so no extra transfer from the
/// device), each epoch's train and validation figures, the KL and activity of each latent dimension, and for models
/// declared with [ImageInput] grids of samples and reconstructions.
/// </summary>
internal sealed partial class TensorBoardLog
{
    /// <summary>Samples in the samples grid, and columns of both grids.</summary>
    private const int SampleCount = 64, Columns = 8;

    /// <summary>Images reconstructed: four rows of originals, each above its reconstructions.</summary>
    private const int ReconstructionCount = 32;

    /// <summary>Without validation data, the latent figures are over at most this many training examples.</summary>
    private const int LatentExamples = 1000;

    private readonly SummaryWriter writer;
    private readonly nn.Module model;
    private readonly (long Channels, long Height, long Width)? image;
    private readonly int imagesEvery;
    private readonly long seed;

    /// <summary>Creates the directory and the event file; fails before training when either cannot be written.</summary>
    /// <param name="directory">TrainingOptions.TensorBoardDirectory.</param>
    /// <param name="model">The model trained.</param>
    /// <param name="architecture">The generated model's Architecture, which names its image shape when it has one.</param>
    /// <param name="imagesEvery">Epochs between image grids; 0 for none.</param>
    /// <param name="seed">Seeds the prior draws of the samples grid, apart from the training noise.</param>
    /// <exception cref="IOException">The directory or the event file cannot be written.</exception>
    public TensorBoardLog(string directory, nn.Module model, string architecture, int imagesEvery, long seed)
    {
        this.model = model;
        this.seed = seed;
        image = ImageShape(architecture);
        this.imagesEvery = image is null ? 0 : imagesEvery;
        try
        {
            writer = utils.tensorboard.SummaryWriter(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException(
                $"TrainingOptions.TensorBoardDirectory is {directory}, which cannot be written: {exception.Message} Nothing was trained; choose a directory this process can create and write.",
                exception);
        }
        if (this.imagesEvery > 0) RequireImageEncoder();
    }

    /// <summary>The means of one read-back window, at the global step (1-based over the run) of its last step.</summary>
    public void Window(int globalStep, double loss, double reconstruction, double kl, double objective, double klWeight)
    {
        writer.add_scalar("step/loss", (float)loss, globalStep);
        writer.add_scalar("step/reconstruction", (float)reconstruction, globalStep);
        writer.add_scalar("step/kl", (float)kl, globalStep);
        writer.add_scalar("step/objective", (float)objective, globalStep);
        writer.add_scalar("step/kl_weight", (float)klWeight, globalStep);
    }

    /// <summary>
    /// An epoch's figures at step = the epoch number, then the latent figures over <paramref name="latentData"/> and,
    /// when due, the image grids.
    /// </summary>
    /// <param name="metrics">The epoch's figures.</param>
    /// <param name="latentData">
    /// Validation data when there is some, else training data: what the latent figures and reconstructions are of. Null
    /// for a streamed run without validation data, whose examples are not held in memory: then only the scalars are written.
    /// </param>
    /// <param name="latentConditions">Its conditions, for a conditional model; null otherwise.</param>
    /// <param name="lastEpoch">The run's last epoch, which always gets its grids.</param>
    public void Epoch(EpochMetrics metrics, Tensor? latentData, Tensor? latentConditions, bool lastEpoch)
    {
        var epoch = metrics.Epoch;
        writer.add_scalar("epoch/train_loss", (float)metrics.TrainLoss, epoch);
        writer.add_scalar("epoch/train_reconstruction", (float)metrics.TrainReconstruction, epoch);
        writer.add_scalar("epoch/train_kl", (float)metrics.TrainKl, epoch);
        writer.add_scalar("epoch/train_objective", (float)metrics.TrainObjective, epoch);
        if (metrics.ValidationLoss is { } loss)
        {
            writer.add_scalar("epoch/validation_loss", (float)loss, epoch);
            writer.add_scalar("epoch/validation_reconstruction", (float)metrics.ValidationReconstruction!.Value, epoch);
            writer.add_scalar("epoch/validation_kl", (float)metrics.ValidationKl!.Value, epoch);
        }

        if (latentData is null) return;
        using var scope = NewDisposeScope();
        var count = Math.Min(latentData.shape[0], LatentExamples);
        var data = latentData.narrow(0, 0, count);
        var conditions = latentConditions?.narrow(0, 0, count);
        var usage = model switch
        {
            IVariationalAutoencoder vae => vae.LatentUsage(data),
            IConditionalVariationalAutoencoder cvae when conditions is not null => cvae.LatentUsage(data, conditions),
            _ => null,
        };
        if (usage is not null)
        {
            for (var j = 0; j < usage.Activity.Length; j++)
            {
                var dimension = string.Create(CultureInfo.InvariantCulture, $"z{j:00}");
                if (usage.KlPerDimension is { } kl) writer.add_scalar($"latent_kl/{dimension}", (float)kl[j], epoch);
                writer.add_scalar($"latent_activity/{dimension}", (float)usage.Activity[j], epoch);
            }
            writer.add_scalar("latent/active_units", usage.ActiveUnits, epoch);
        }

        if (imagesEvery > 0 && (epoch % imagesEvery == 0 || lastEpoch)) Images(epoch, data, conditions);
    }

    private void Images(int epoch, Tensor data, Tensor? conditions)
    {
        var (channels, height, width) = image!.Value;
        using var generator = new Generator((ulong)unchecked(seed * 1_000_003 + epoch));
        var originals = data.narrow(0, 0, Math.Min(data.shape[0], ReconstructionCount));
        Tensor samples, reconstructions;
        switch (model)
        {
            case IVariationalAutoencoder vae:
                samples = vae.Sample(SampleCount, generator);
                reconstructions = vae.Reconstruct(originals);
                break;
            case IConditionalVariationalAutoencoder cvae when conditions is not null:
                // One sample per condition of the first examples: the classes or features the data holds.
                samples = cvae.Sample(conditions.narrow(0, 0, Math.Min(conditions.shape[0], SampleCount)), generator);
                reconstructions = cvae.Reconstruct(originals, conditions.narrow(0, 0, originals.shape[0]));
                break;
            default:
                return;
        }

        var shape = new[] { -1, channels, height, width };
        writer.add_img("images/samples", Grid(samples.detach().reshape(shape)), epoch, dataformats: "CHW");
        using var pairs = Interleave(originals.reshape(shape), reconstructions.detach().reshape(shape));
        writer.add_img("images/reconstructions", Grid(pairs), epoch, dataformats: "CHW");
    }

    /// <summary>Rows of originals, each followed by the row of their reconstructions.</summary>
    private static Tensor Interleave(Tensor originals, Tensor reconstructions)
    {
        var rows = (originals.shape[0] + Columns - 1) / Columns;
        using var a = PadTo(originals, rows * Columns);
        using var b = PadTo(reconstructions, rows * Columns);
        var tail = a.shape[1..];
        using var stacked = stack([a.reshape([rows, Columns, .. tail]), b.reshape([rows, Columns, .. tail])], 1);
        return stacked.reshape([2 * rows * Columns, .. tail]);
    }

    /// <summary>
    /// Tiles [n, C, H, W] into one [C', H', W'] picture, Columns wide, with a one-pixel grey border around each tile.
    /// C' is 3 for RGB images and 1 otherwise (each channel of another count is shown as its own grey tile). Values
    /// outside [0, 1] (a Gaussian's means, a count's rates) are scaled to it over the whole grid.
    /// </summary>
    private static Tensor Grid(Tensor images)
    {
        using var scope = NewDisposeScope();
        var tiles = images.to(ScalarType.Float32).cpu();
        if (tiles.shape[1] is not (1 or 3)) tiles = tiles.reshape(-1, 1, tiles.shape[2], tiles.shape[3]);
        var low = tiles.min().item<float>();
        var high = tiles.max().item<float>();
        if (low < 0 || high > 1)
        {
            // Named Scalars, disposed after the calls: a temporary could be finalized while native code reads it.
            using var offset = low.ToScalar();
            using var range = Math.Max(high - low, 1e-12f).ToScalar();
            tiles = tiles.sub(offset).div_(range);
        }

        var rows = (tiles.shape[0] + Columns - 1) / Columns;
        tiles = nn.functional.pad(PadTo(tiles, rows * Columns), [1, 1, 1, 1], value: 0.5);
        var (c, h, w) = (tiles.shape[1], tiles.shape[2], tiles.shape[3]);
        return tiles.reshape(rows, Columns, c, h, w).permute(2, 0, 3, 1, 4).reshape(c, rows * h, Columns * w).MoveToOuterDisposeScope();
    }

    /// <summary>Appends blank images up to <paramref name="count"/>.</summary>
    private static Tensor PadTo(Tensor images, long count) =>
        images.shape[0] == count ? images.alias() : cat([images, zeros([count - images.shape[0], .. images.shape[1..]], images.dtype)], 0);

    /// <summary>The [ImageInput] shape the generated Architecture names on its input line ("input: 784 (image 1x28x28)"), if any.</summary>
    internal static (long Channels, long Height, long Width)? ImageShape(string architecture)
    {
        var match = ImageLine().Match(architecture);
        return match.Success
            ? (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"^input: \d+ \(image (\d+)x(\d+)x(\d+)\)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ImageLine();

    /// <summary>
    /// TorchSharp encodes TensorBoard images as PNG with SkiaSharp, whose native library VaeGen does not carry: find out
    /// now rather than when the first grid is due. The probe only loads the library: an SkiaSharp object made without it
    /// would fail again in its finalizer, on the finalizer thread, and take the process down.
    /// </summary>
    private static void RequireImageEncoder()
    {
        if (NativeLibrary.TryLoad("libSkiaSharp", typeof(utils.tensorboard.Summary).Assembly, null, out _)) return;
        throw new InvalidOperationException(
            "TrainingOptions.TensorBoardImagesEvery asks for image grids, which TorchSharp's SummaryWriter encodes as PNG with SkiaSharp, and SkiaSharp's native library (libSkiaSharp) cannot be loaded. Reference VaeGen.Visualization (which brings it) or a SkiaSharp.NativeAssets package, or set TensorBoardImagesEvery = 0. Nothing was trained.");
    }
}
