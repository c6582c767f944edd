using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using VaeGen.Data;

namespace SampleData;

/// <summary>
/// Finds and loads Fashion-MNIST (Zalando Research): 28x28 greyscale images of clothing in 10 classes, in IDX files
/// with the standard names, plain or gzip.
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <see cref="DebianPackage"/> installs the dataset.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The Debian package that installs the full dataset.</summary>
    public const string DebianPackage = "dataset-fashion-mnist";

    /// <summary>The standard name of the training images file, without <c>.gz</c>.</summary>
    public const string TrainImagesName = "train-images-idx3-ubyte";

    /// <summary>The standard name of the training labels file, without <c>.gz</c>.</summary>
    public const string TrainLabelsName = "train-labels-idx1-ubyte";

    /// <summary>The standard name of the test images file, without <c>.gz</c>.</summary>
    public const string TestImagesName = "t10k-images-idx3-ubyte";

    /// <summary>The standard name of the test labels file, without <c>.gz</c>.</summary>
    public const string TestLabelsName = "t10k-labels-idx1-ubyte";

    /// <summary>The number of classes; labels run from 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The number of training images in the full dataset.</summary>
    public const int FullTrainCount = 60000;

    /// <summary>The number of test images in the full dataset.</summary>
    public const int FullTestCount = 10000;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = new ReadOnlyCollection<string>(
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]);

    private static readonly string[] StandardNames = [TrainImagesName, TrainLabelsName, TestImagesName, TestLabelsName];

    /// <summary>
    /// Finds the four files. With <paramref name="explicitDirectory"/> only that directory is searched; otherwise
    /// <paramref name="systemDirectory"/> when it holds all four files, then <paramref name="subsetDirectory"/>.
    /// </summary>
    /// <param name="explicitDirectory">A directory the user named, or null to search.</param>
    /// <param name="subsetDirectory">The bundled subset to fall back to, or null for none.</param>
    /// <param name="systemDirectory">Where a system-wide copy lives; tests pass another path, null skips it.</param>
    /// <returns>The files and which location they came from.</returns>
    /// <exception cref="DirectoryNotFoundException">The explicit or subset directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">The chosen directory lacks files (the message lists them), or nothing was found.</exception>
    public static FashionMnistFiles Locate(string? explicitDirectory, string? subsetDirectory, string? systemDirectory = SystemDirectory)
    {
        if (explicitDirectory is not null)
            return Require(explicitDirectory, FashionMnistOrigin.ExplicitDirectory, "the given directory");
        var systemMissing = systemDirectory is null ? null : MissingFiles(systemDirectory);
        if (systemDirectory is not null && systemMissing!.Count == 0)
            return Found(systemDirectory, FashionMnistOrigin.SystemPackage);
        if (subsetDirectory is not null)
            return Require(subsetDirectory, FashionMnistOrigin.BundledSubset, "the bundled subset directory");
        var looked = systemDirectory is null
            ? "no directory was given and the system directory was not searched"
            : $"'{systemDirectory}' lacks {string.Join(", ", systemMissing!)}";
        throw new FileNotFoundException(
            $"Fashion-MNIST was not found: {looked}. Install the Debian package {DebianPackage} or pass a directory holding {Describe(StandardNames)}.");
    }

    /// <summary>Finds the files as <see cref="Locate"/> does and loads both sets, checking labels are below 10.</summary>
    /// <param name="explicitDirectory">A directory the user named, or null to search.</param>
    /// <param name="subsetDirectory">The bundled subset to fall back to, or null for none.</param>
    /// <param name="systemDirectory">Where a system-wide copy lives; null skips it.</param>
    /// <returns>Both sets; the caller disposes them.</returns>
    /// <exception cref="IOException">The files were not found or are malformed (<see cref="InvalidDataException"/>).</exception>
    public static FashionMnistData Load(string? explicitDirectory, string? subsetDirectory, string? systemDirectory = SystemDirectory) =>
        Load(Locate(explicitDirectory, subsetDirectory, systemDirectory));

    /// <summary>Loads both sets from files already located, checking labels are below 10 and both sets have one image size.</summary>
    /// <param name="files">The four files.</param>
    /// <returns>Both sets; the caller disposes them.</returns>
    /// <exception cref="InvalidDataException">A file is malformed, or the training and test images differ in size.</exception>
    public static FashionMnistData Load(FashionMnistFiles files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var train = ImageDataset.Load(files.TrainImages, files.TrainLabels, ClassCount);
        try
        {
            var test = ImageDataset.Load(files.TestImages, files.TestLabels, ClassCount);
            if (test.Rows != train.Rows || test.Columns != train.Columns)
            {
                test.Dispose();
                throw new InvalidDataException(
                    $"Training images '{files.TrainImages}' are {train.Rows}x{train.Columns} but test images '{files.TestImages}' are {test.Rows}x{test.Columns}; they must match.");
            }
            return new FashionMnistData(files, train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The standard files <paramref name="directory"/> lacks in both plain and gzip form, as <c>name[.gz]</c>.</summary>
    /// <param name="directory">The directory to look in; a missing directory lacks all four.</param>
    /// <returns>The missing names, in the order train images, train labels, test images, test labels; empty when complete.</returns>
    public static IReadOnlyList<string> MissingFiles(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var missing = new List<string>();
        foreach (var name in StandardNames)
        {
            if (FindFile(directory, name) is null)
                missing.Add(name + "[.gz]");
        }
        return missing;
    }

    private static FashionMnistFiles Require(string directory, FashionMnistOrigin origin, string role)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Fashion-MNIST: {role} '{directory}' does not exist.");
        var missing = MissingFiles(directory);
        if (missing.Count > 0)
            throw new FileNotFoundException($"Fashion-MNIST: {role} '{directory}' lacks {string.Join(", ", missing)}.");
        return Found(directory, origin);
    }

    private static FashionMnistFiles Found(string directory, FashionMnistOrigin origin) => new(
        directory,
        origin,
        FindFile(directory, TrainImagesName)!,
        FindFile(directory, TrainLabelsName)!,
        FindFile(directory, TestImagesName)!,
        FindFile(directory, TestLabelsName)!);

    /// <summary>The gzip file when present, else the plain one, else null; the reader detects compression by content.</summary>
    private static string? FindFile(string directory, string name)
    {
        var gzip = Path.Combine(directory, name + ".gz");
        if (File.Exists(gzip))
            return gzip;
        var plain = Path.Combine(directory, name);
        return File.Exists(plain) ? plain : null;
    }

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names) + " (each optionally .gz)";
}
