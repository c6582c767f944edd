using System;
using System.IO;
using System.Linq;
using SampleData;
using VaeGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Data;

/// <summary>
/// Which Fashion-MNIST copy is chosen (explicit, system package, bundled subset), what a missing file looks like, and
/// the committed subset's contents. The system location is injected, so the choice is tested on any machine.
/// </summary>
public sealed class FashionMnistTests : IDisposable
{
    private static readonly string[] Names =
    [
        FashionMnist.TrainImagesName, FashionMnist.TrainLabelsName, FashionMnist.TestImagesName, FashionMnist.TestLabelsName,
    ];

    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Writes a tiny but valid copy: train 3 images, test 2, both rows x columns; gzip for train, plain for test.</summary>
    private string FakeCopy(string name, int rows = 2, int columns = 2, byte firstTrainLabel = 4)
    {
        temp.Write(Path.Combine(name, FashionMnist.TrainImagesName + ".gz"), IdxBytes.Gzip(IdxBytes.Valid(3, rows, columns)));
        temp.Write(Path.Combine(name, FashionMnist.TrainLabelsName + ".gz"), IdxBytes.Gzip(IdxBytes.Build([3], [firstTrainLabel, 1, 2])));
        temp.Write(Path.Combine(name, FashionMnist.TestImagesName), IdxBytes.Valid(2, rows, columns));
        temp.Write(Path.Combine(name, FashionMnist.TestLabelsName), IdxBytes.Build([2], [5, 6]));
        return Path.Combine(temp.Path, name);
    }

    private string Absent(string name) => Path.Combine(temp.Path, name);

    [Fact]
    public void The_ten_class_names_are_in_label_order()
    {
        Assert.Equal(
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            FashionMnist.ClassNames);
        Assert.Equal(FashionMnist.ClassCount, FashionMnist.ClassNames.Count);
    }

    [Fact]
    public void An_explicit_directory_wins_over_a_complete_system_copy_and_accepts_plain_and_gzip()
    {
        var mine = FakeCopy("mine");
        var files = FashionMnist.Locate(mine, FakeCopy("subset"), FakeCopy("system"));
        Assert.Equal(FashionMnistOrigin.ExplicitDirectory, files.Origin);
        Assert.Equal(mine, files.Directory);
        Assert.Equal(Path.Combine(mine, FashionMnist.TrainImagesName + ".gz"), files.TrainImages);
        Assert.Equal(Path.Combine(mine, FashionMnist.TestLabelsName), files.TestLabels);
        Assert.False(files.IsBundledSubset);
    }

    [Fact]
    public void The_gzip_file_is_preferred_when_both_forms_exist()
    {
        var mine = FakeCopy("mine");
        temp.Write(Path.Combine("mine", FashionMnist.TrainImagesName), IdxBytes.Valid(3, 2, 2));
        temp.Write(Path.Combine("mine", FashionMnist.TestLabelsName + ".gz"), IdxBytes.Gzip(IdxBytes.Build([2], [5, 6])));
        var files = FashionMnist.Locate(mine, null, null);
        Assert.Equal(Path.Combine(mine, FashionMnist.TrainImagesName + ".gz"), files.TrainImages);
        Assert.Equal(Path.Combine(mine, FashionMnist.TestLabelsName + ".gz"), files.TestLabels);
    }

    [Fact]
    public void An_explicit_directory_missing_files_lists_exactly_those_files()
    {
        var partial = Path.Combine(temp.Path, "partial");
        temp.Write(Path.Combine("partial", FashionMnist.TrainImagesName + ".gz"), IdxBytes.Gzip(IdxBytes.Valid(3, 2, 2)));
        temp.Write(Path.Combine("partial", FashionMnist.TestLabelsName), IdxBytes.Build([2], [5, 6]));

        // Even with a complete system copy, a named directory that lacks files is an error, not a silent fallback.
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(partial, FakeCopy("subset"), FakeCopy("system")));
        Assert.Contains(partial, error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.TrainLabelsName, error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.TestImagesName, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FashionMnist.TrainImagesName, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(FashionMnist.TestLabelsName, error.Message, StringComparison.Ordinal);
        Assert.Equal([FashionMnist.TrainLabelsName + "[.gz]", FashionMnist.TestImagesName + "[.gz]"], FashionMnist.MissingFiles(partial));
    }

    [Fact]
    public void An_explicit_directory_that_does_not_exist_says_so()
    {
        var absent = Absent("nowhere");
        var error = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Locate(absent, null, null));
        Assert.Contains(absent, error.Message, StringComparison.Ordinal);
        Assert.Equal(Names.Select(name => name + "[.gz]"), FashionMnist.MissingFiles(absent));
    }

    [Fact]
    public void A_complete_system_copy_is_chosen_over_the_subset()
    {
        var system = FakeCopy("system");
        var files = FashionMnist.Locate(null, FakeCopy("subset"), system);
        Assert.Equal(FashionMnistOrigin.SystemPackage, files.Origin);
        Assert.Equal(system, files.Directory);
        Assert.False(files.IsBundledSubset);
    }

    [Fact]
    public void The_subset_is_chosen_when_the_system_copy_is_absent_incomplete_or_not_searched()
    {
        var subset = FakeCopy("subset");
        var incomplete = FakeCopy("incomplete");
        File.Delete(Path.Combine(incomplete, FashionMnist.TestLabelsName));

        foreach (var system in new[] { Absent("no-system"), incomplete, null })
        {
            var files = FashionMnist.Locate(null, subset, system);
            Assert.Equal(FashionMnistOrigin.BundledSubset, files.Origin);
            Assert.Equal(subset, files.Directory);
            Assert.True(files.IsBundledSubset);
        }
    }

    [Fact]
    public void Nothing_found_names_the_system_directory_and_what_it_lacks()
    {
        var incomplete = FakeCopy("incomplete");
        File.Delete(Path.Combine(incomplete, FashionMnist.TrainLabelsName + ".gz"));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(null, null, incomplete));
        Assert.Contains(incomplete, error.Message, StringComparison.Ordinal);
        Assert.Contains($"lacks {FashionMnist.TrainLabelsName}[.gz]", error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.DebianPackage, error.Message, StringComparison.Ordinal);

        var missingSubset = Absent("no-subset");
        var subsetError = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Locate(null, missingSubset, Absent("no-system")));
        Assert.Contains(missingSubset, subsetError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_checks_labels_against_the_ten_classes()
    {
        var bad = FakeCopy("bad", firstTrainLabel: 10);
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(bad, null, null));
        Assert.Contains(FashionMnist.TrainLabelsName, error.Message, StringComparison.Ordinal);
        Assert.Contains("label 10 at index 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_and_test_images_of_different_sizes_are_rejected()
    {
        var mixed = FakeCopy("mixed", rows: 2, columns: 2);
        temp.Write(Path.Combine("mixed", FashionMnist.TestImagesName), IdxBytes.Valid(2, 3, 3));
        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(mixed, null, null));
        Assert.Contains("are 2x2", error.Message, StringComparison.Ordinal);
        Assert.Contains("are 3x3", error.Message, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.TestImagesName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_small_system_copy_is_described_as_partial_and_the_package_is_named()
    {
        using var data = FashionMnist.Load(null, null, FakeCopy("system"));
        Assert.Equal(FashionMnistOrigin.SystemPackage, data.Files.Origin);
        Assert.False(data.IsFullDataset);
        Assert.Equal((3, 2), (data.Train.Count, data.Test.Count));
        Assert.StartsWith("Fashion-MNIST partial dataset: 3 training and 2 test images from ", data.Description, StringComparison.Ordinal);
        Assert.Contains(FashionMnist.DebianPackage, data.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_subset_has_2000_training_and_500_test_images_of_28x28()
    {
        var subset = RepositoryPaths.FashionMnistSubset;
        using var data = FashionMnist.Load(null, subset, Absent("no-system"));

        Assert.Equal(FashionMnistOrigin.BundledSubset, data.Files.Origin);
        Assert.False(data.IsFullDataset);
        Assert.Equal(new long[] { 2000, 784 }, data.Train.Images.shape);
        Assert.Equal(new long[] { 500, 784 }, data.Test.Images.shape);
        Assert.Equal(new long[] { 2000 }, data.Train.Labels.shape);
        Assert.Equal(new long[] { 500 }, data.Test.Labels.shape);
        Assert.Equal((28, 28), (data.Train.Rows, data.Train.Columns));
        Assert.Equal(
            "Fashion-MNIST bundled subset: 2,000 training and 500 test images from " + subset + "; install the Debian package dataset-fashion-mnist or pass its directory for all 60,000/10,000",
            data.Description);

        foreach (var set in new[] { data.Train, data.Test })
        {
            Assert.Equal(0f, set.Images.min().item<float>());
            Assert.Equal(1f, set.Images.max().item<float>());
            Assert.Equal(0L, set.Labels.min().item<long>());
            Assert.Equal(9L, set.Labels.max().item<long>());
        }

        // The subset is the head of the full files: these are Fashion-MNIST's first ten labels of each split.
        Assert.Equal(new long[] { 9, 0, 0, 3, 0, 2, 7, 2, 5, 5 }, data.Train.Labels[..10].data<long>().ToArray());
        Assert.Equal(new long[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, data.Test.Labels[..10].data<long>().ToArray());
        // The class counts the data README documents.
        Assert.Equal(new long[] { 194, 216, 202, 195, 186, 200, 194, 215, 198, 200 }, bincount(data.Train.Labels).data<long>().ToArray());
        Assert.Equal(new long[] { 55, 52, 65, 46, 57, 39, 47, 47, 44, 48 }, bincount(data.Test.Labels).data<long>().ToArray());
        // Pixel values of the first training image sum to 76247 out of 255: a check that the bytes are not shifted.
        Assert.Equal(76247.0, Math.Round(data.Train.Images[0].sum().item<float>() * 255.0), 0);
    }

    [Fact]
    public void The_default_search_takes_the_system_copy_when_installed_and_the_subset_otherwise()
    {
        var installed = FashionMnist.MissingFiles(FashionMnist.SystemDirectory).Count == 0;
        var files = FashionMnist.Locate(null, RepositoryPaths.FashionMnistSubset);
        if (!installed)
        {
            Assert.Equal(FashionMnistOrigin.BundledSubset, files.Origin);
            return;
        }
        Assert.Equal(FashionMnistOrigin.SystemPackage, files.Origin);
        using var data = FashionMnist.Load(files);
        Assert.True(data.IsFullDataset);
        Assert.Equal(new long[] { 60000, 784 }, data.Train.Images.shape);
        Assert.Equal(new long[] { 10000, 784 }, data.Test.Images.shape);
        Assert.StartsWith("Fashion-MNIST full dataset: 60,000 training and 10,000 test images from /usr/share/datasets/fashion-mnist", data.Description, StringComparison.Ordinal);
    }
}
