using System;
using System.Globalization;
using VaeGen.Data;

namespace SampleData;

/// <summary>Fashion-MNIST's training and test sets, and the files they came from. Dispose it to free the tensors.</summary>
public sealed class FashionMnistData : IDisposable
{
    /// <summary>Pairs two loaded sets with the files they were read from.</summary>
    /// <param name="files">The files that were read.</param>
    /// <param name="train">The training set; this object takes ownership of it.</param>
    /// <param name="test">The test set; this object takes ownership of it.</param>
    public FashionMnistData(FashionMnistFiles files, ImageDataset train, ImageDataset test)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        Files = files;
        Train = train;
        Test = test;
    }

    /// <summary>The files that were read and which search location they came from.</summary>
    public FashionMnistFiles Files { get; }

    /// <summary>The training images and labels.</summary>
    public ImageDataset Train { get; }

    /// <summary>The test images and labels.</summary>
    public ImageDataset Test { get; }

    /// <summary>True when both sets have Fashion-MNIST's full sizes, 60,000 training and 10,000 test images.</summary>
    public bool IsFullDataset => Train.Count == FashionMnist.FullTrainCount && Test.Count == FashionMnist.FullTestCount;

    /// <summary>One line saying which data this is and where it came from, for a program's first line of output.</summary>
    public string Description
    {
        get
        {
            var extent = IsFullDataset ? "full dataset" : Files.IsBundledSubset ? "bundled subset" : "partial dataset";
            var origin = Files.Origin switch
            {
                FashionMnistOrigin.SystemPackage => $" (Debian package {FashionMnist.DebianPackage})",
                FashionMnistOrigin.BundledSubset => $"; install the Debian package {FashionMnist.DebianPackage} or pass its directory for all 60,000/10,000",
                _ => "",
            };
            return string.Create(
                CultureInfo.InvariantCulture,
                $"Fashion-MNIST {extent}: {Train.Count:N0} training and {Test.Count:N0} test images from {Files.Directory}{origin}");
        }
    }

    /// <summary>Frees both sets' tensors.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
