using System;
using System.IO;
using System.Linq;
using VaeGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Data;

/// <summary>Images and labels load as scaled float rows and int64 labels, and mismatched files fail with both names.</summary>
public sealed class ImageDatasetTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string Images(string name, params int[] dimensions) => temp.Write(name, IdxBytes.Gzip(IdxBytes.Valid(dimensions)));

    private string Labels(string name, params byte[] labels) => temp.Write(name, IdxBytes.Build([labels.Length], labels));

    [Fact]
    public void Pixels_become_rows_divided_by_255_and_labels_become_int64()
    {
        var images = temp.Write("images", IdxBytes.Build([3, 2, 2], [0, 255, 51, 1, 2, 3, 4, 5, 254, 128, 127, 0]));
        var labels = Labels("labels", 7, 0, 9);
        using var data = ImageDataset.Load(images, labels, classCount: 10);

        Assert.Equal(new long[] { 3, 4 }, data.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(new long[] { 3 }, data.Labels.shape);
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal((3, 2, 2, 4), (data.Count, data.Rows, data.Columns, data.Features));
        var expected = new float[] { 0, 1, 0.2f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f, 5 / 255f, 254 / 255f, 128 / 255f, 127 / 255f, 0 };
        Assert.Equal(expected, data.Images.data<float>().ToArray());
        Assert.Equal(new long[] { 7, 0, 9 }, data.Labels.data<long>().ToArray());
        Assert.Contains(images, data.Source, StringComparison.Ordinal);
        Assert.Contains(labels, data.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_square_images_keep_rows_and_columns_apart()
    {
        using var data = ImageDataset.Load(Images("images", 4, 3, 5), Labels("labels", 1, 2, 3, 4));
        Assert.Equal((3, 5, 15), (data.Rows, data.Columns, data.Features));
        Assert.Equal(new long[] { 4, 15 }, data.Images.shape);
        // Row 2, pixel 7 is element 2*15 + 7 = 37 of the file.
        Assert.Equal((37 * 7 + 3) % 256 / 255f, data.Images[2, 7].item<float>());
    }

    [Fact]
    public void The_tensors_survive_a_dispose_scope_the_caller_had_open()
    {
        ImageDataset data;
        using (NewDisposeScope())
            data = ImageDataset.Load(Images("images", 2, 2, 2), Labels("labels", 1, 0));
        using (data)
        {
            Assert.False(data.Images.IsInvalid);
            Assert.Equal(1L, data.Labels[0].item<long>());
        }
        Assert.True(data.Images.IsInvalid);
        Assert.True(data.Labels.IsInvalid);
    }

    [Fact]
    public void Different_image_and_label_counts_name_both_files_and_both_counts()
    {
        var images = Images("images", 3, 2, 2);
        var labels = Labels("labels", 1, 2, 3, 4, 5);
        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(images, labels));
        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains(labels, error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 3 images", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 5 labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_must_be_three_dimensional_and_labels_one_dimensional()
    {
        var flat = Images("flat", 3, 4);
        var labels = Labels("labels", 1, 2, 3);
        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(flat, labels));
        Assert.Contains(flat, error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 4]", error.Message, StringComparison.Ordinal);

        var images = Images("images", 3, 2, 2);
        var squareLabels = Images("labels2d", 3, 1);
        error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(images, squareLabels));
        Assert.Contains(squareLabels, error.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_at_or_above_the_class_count_is_rejected_only_when_a_count_is_given()
    {
        var images = Images("images", 4, 2, 2);
        var labels = Labels("labels", 9, 0, 10, 3);
        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(images, labels, classCount: 10));
        Assert.Contains(labels, error.Message, StringComparison.Ordinal);
        Assert.Contains("label 10 at index 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("class count 10", error.Message, StringComparison.Ordinal);

        using var eleven = ImageDataset.Load(images, labels, classCount: 11);
        Assert.Equal(new long[] { 9, 0, 10, 3 }, eleven.Labels.data<long>().ToArray());
        using var noCount = ImageDataset.Load(images, labels);
        Assert.Equal(4, noCount.Count);
    }

    [Fact]
    public void RequireFeatures_names_the_files_the_feature_count_and_the_model()
    {
        var images = Images("images", 2, 3, 5);
        var labels = Labels("labels", 0, 1);
        using var data = ImageDataset.Load(images, labels);
        data.RequireFeatures(15, "SmallVae");

        var error = Assert.Throws<InvalidDataException>(() => data.RequireFeatures(784, "FashionVae"));
        Assert.Contains("FashionVae has InputSize 784", error.Message, StringComparison.Ordinal);
        Assert.Contains("3x5 = 15 features", error.Message, StringComparison.Ordinal);
        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains(labels, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_from_the_reader_pass_through_with_the_file_name()
    {
        var images = temp.Write("images", IdxBytes.Build([2, 2, 2], [1, 2, 3]));
        var labels = Labels("labels", 0, 1);
        var error = Assert.Throws<InvalidDataException>(() => ImageDataset.Load(images, labels));
        Assert.Contains(images, error.Message, StringComparison.Ordinal);
        Assert.Contains("need 8 data bytes", error.Message, StringComparison.Ordinal);
    }
}
