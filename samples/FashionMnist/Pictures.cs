using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SampleData;
using VaeGen;
using VaeGen.Maths;
using VaeGen.Training;
using VaeGen.Visualization;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>The pictures the sample writes: reconstructions, prior samples (by class for a conditional model), latent traversals and the loss curves.</summary>
internal static class Pictures
{
    private const int Side = 28;

    /// <summary>The first 32 test images, each row of originals followed by a row of their reconstructions.</summary>
    public static string Reconstructions(string folder, IVariationalAutoencoder model, Tensor images) =>
        Reconstructions(folder, images, model.Reconstruct, "Test images (odd rows) and their reconstructions (even rows)");

    /// <summary>The same for a conditional model: each test image is encoded and decoded with its own label.</summary>
    public static string Reconstructions(string folder, IConditionalVariationalAutoencoder model, LabelledImages test) =>
        Reconstructions(folder, test.Images, originals => model.Reconstruct(originals, test.Labels.narrow(0, 0, originals.shape[0])),
            "Test images (odd rows) and their reconstructions given their labels (even rows)");

    private static string Reconstructions(string folder, Tensor images, Func<Tensor, Tensor> reconstruct, string caption)
    {
        using var scope = NewDisposeScope();
        // Two rows of 16 when there are enough images; the comparison grid wants whole rows.
        var columns = (int)Math.Min(16, images.shape[0]);
        var count = Math.Min(32, images.shape[0] / columns * columns);
        var originals = images.narrow(0, 0, count);
        var path = Path.Combine(folder, "reconstructions.png");
        ImageGrid.SaveComparison(path, AsImages(originals), AsImages(reconstruct(originals)), gridColumns: columns,
            new ImageGridOptions { Caption = caption });
        return path;
    }

    /// <summary>64 decoded draws from the prior N(0, I), from a generator seeded with <paramref name="seed"/>.</summary>
    public static string Samples(string folder, IVariationalAutoencoder model, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        var path = Path.Combine(folder, "samples.png");
        ImageGrid.Save(path, AsImages(model.Sample(64, generator)), gridColumns: 8,
            new ImageGridOptions { Caption = "Samples: z ~ N(0, I), decoded means" });
        return path;
    }

    /// <summary>
    /// For a model conditioned on the Fashion-MNIST class: a row per class in label order, named on the left, of 10
    /// decoded draws z ~ N(0, I) given that label, from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static string SamplesByClass(string folder, IConditionalVariationalAutoencoder model, long seed)
    {
        const int perClass = 10;
        var names = FashionMnist.ClassNames;
        if (model.ConditionSize != names.Count)
            throw new ArgumentException($"The model has {model.ConditionSize} classes; Fashion-MNIST has {names.Count}.", nameof(model));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        // 0,0,...,0, 1,1,...,1, ...: grid row i holds label i.
        var labels = tensor(Enumerable.Range(0, names.Count).Select(label => (long)label).ToArray()).unsqueeze(1).expand(names.Count, perClass).reshape(-1);
        var path = Path.Combine(folder, "samples-by-class.png");
        ImageGrid.Save(path, AsImages(model.Sample(labels, generator)), gridColumns: perClass,
            new ImageGridOptions { Caption = "Samples given the class: z ~ N(0, I), decoded means", RowLabels = names });
        return path;
    }

    /// <summary>
    /// From one test image's posterior mean, sweeps each of the most informative latent dimensions (largest mean KL on the
    /// test images) from -3 to 3 while holding the others: one row per dimension.
    /// </summary>
    public static string Traversal(string folder, IVariationalAutoencoder model, Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mu, logVar) = model.Encode(images);
        // Per-dimension KL, averaged over the images: the active units carry the information.
        var klPerDimension = GaussianKl.PerDimension(mu, logVar).mean([0]);
        var rows = (int)Math.Min(8, model.LatentSize);
        var dimensions = klPerDimension.argsort(descending: true).narrow(0, 0, rows).data<long>().ToArray();
        var steps = linspace(-3, 3, 11);
        var points = new List<Tensor>();
        foreach (var dimension in dimensions)
        {
            var row = mu[0].unsqueeze(0).repeat(11, 1);
            row[.., (int)dimension] = steps;
            points.Add(row);
        }
        var path = Path.Combine(folder, "traversal.png");
        ImageGrid.Save(path, AsImages(model.DecodeMean(cat(points, 0))), gridColumns: 11, new ImageGridOptions
        {
            Caption = "One test image's code, a latent dimension swept from -3 to 3 per row",
            RowLabels = dimensions.Select(d => $"z{d}").ToArray(),
        });
        return path;
    }

    /// <summary>For a two-dimensional latent space: decoded means over a 15x15 grid of the prior's quantiles.</summary>
    public static string? Manifold(string folder, IVariationalAutoencoder model)
    {
        if (model.LatentSize != 2) return null;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Quantiles 0.03 .. 0.97 of N(0, 1), so each cell covers equal prior mass.
        var quantiles = special.ndtri(linspace(0.03, 0.97, 15));
        var grid = meshgrid([quantiles, quantiles], indexing: "ij");
        var z = stack([grid[0].flatten(), grid[1].flatten()], 1).to_type(ScalarType.Float32);
        var path = Path.Combine(folder, "manifold.png");
        ImageGrid.Save(path, AsImages(model.DecodeMean(z)), gridColumns: 15,
            new ImageGridOptions { Caption = "The learned 2-D manifold over prior quantiles" });
        return path;
    }

    /// <summary>-ELBO (train and test) and KL per epoch, in two panels.</summary>
    public static string LossCurves(string folder, IReadOnlyList<EpochMetrics> epochs)
    {
        var path = Path.Combine(folder, "loss.png");
        TrainingCurves.Save(path, epochs, "Fashion-MNIST VAE training", validationName: "test");
        return path;
    }

    /// <summary>The models' flat rows [N, 784] as the [N, 1, 28, 28] images they are.</summary>
    private static Tensor AsImages(Tensor rows) => rows.reshape(-1, 1, Side, Side);
}
