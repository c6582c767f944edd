using System;
using System.IO;
using static TorchSharp.torch;

namespace VaeGen.Data;

/// <summary>
/// Labelled greyscale images as tensors: each image flattened to one row of floats in [0, 1], with an int64 class label.
/// The dataset owns its tensors; dispose it to free them.
/// </summary>
public sealed class ImageDataset : IDisposable
{
    private ImageDataset(Tensor images, Tensor labels, int count, int rows, int columns, string source)
    {
        Images = images;
        Labels = labels;
        Count = count;
        Rows = rows;
        Columns = columns;
        Source = source;
    }

    /// <summary>The images, float32 of shape [<see cref="Count"/>, <see cref="Features"/>], each pixel divided by 255.</summary>
    public Tensor Images { get; }

    /// <summary>The class labels, int64 of shape [<see cref="Count"/>].</summary>
    public Tensor Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>The width of each image in pixels.</summary>
    public int Columns { get; }

    /// <summary>The features of one flattened image: <see cref="Rows"/> times <see cref="Columns"/>.</summary>
    public int Features => Rows * Columns;

    /// <summary>Where the data came from, for messages: the images and labels files.</summary>
    public string Source { get; }

    /// <summary>Reads an images IDX file and a labels IDX file and checks that they describe the same images.</summary>
    /// <param name="imagesPath">An unsigned-byte IDX file of shape [count, rows, columns], plain or gzip.</param>
    /// <param name="labelsPath">An unsigned-byte IDX file of shape [count], plain or gzip.</param>
    /// <param name="classCount">When given, every label must be below it.</param>
    /// <returns>The dataset; the caller disposes it.</returns>
    /// <exception cref="InvalidDataException">A file is malformed, has the wrong number of dimensions, the counts differ, or a label is out of range.</exception>
    /// <exception cref="NotSupportedException">A file holds IDX data other than unsigned bytes.</exception>
    public static ImageDataset Load(string imagesPath, string labelsPath, int? classCount = null)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        return FromIdx(images, labels, classCount);
    }

    /// <summary>Builds a dataset from arrays already read, with the checks of <see cref="Load"/>.</summary>
    /// <param name="images">Unsigned bytes of shape [count, rows, columns].</param>
    /// <param name="labels">Unsigned bytes of shape [count].</param>
    /// <param name="classCount">When given, every label must be below it.</param>
    /// <returns>The dataset; the caller disposes it.</returns>
    /// <exception cref="InvalidDataException">The shapes do not fit together or a label is out of range.</exception>
    public static ImageDataset FromIdx(IdxArray images, IdxArray labels, int? classCount = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (classCount is < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "The class count must be at least 1.");
        if (images.Dimensions.Count != 3)
            throw new InvalidDataException($"Images file '{images.Path}' has shape {images.Shape}; an images file has 3 dimensions [count, rows, columns].");
        if (labels.Dimensions.Count != 1)
            throw new InvalidDataException($"Labels file '{labels.Path}' has shape {labels.Shape}; a labels file has 1 dimension [count].");
        var count = images.Dimensions[0];
        if (labels.Dimensions[0] != count)
            throw new InvalidDataException(
                $"Images file '{images.Path}' holds {count} images but labels file '{labels.Path}' holds {labels.Dimensions[0]} labels; they must match.");

        var labelBytes = labels.Data.Span;
        var labelValues = new long[count];
        for (var i = 0; i < count; i++)
        {
            if (classCount is { } classes && labelBytes[i] >= classes)
                throw new InvalidDataException(
                    $"Labels file '{labels.Path}' has label {labelBytes[i]} at index {i}; labels must be below the class count {classes}.");
            labelValues[i] = labelBytes[i];
        }

        var rows = images.Dimensions[1];
        var columns = images.Dimensions[2];
        var pixels = images.Data.Span;
        var scaled = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
            scaled[i] = pixels[i] / 255f;

        // Detached so a dispose scope the caller has open does not free tensors the dataset owns.
        var imageTensor = tensor(scaled, [count, (long)rows * columns]).DetachFromDisposeScope();
        var labelTensor = tensor(labelValues, [count]).DetachFromDisposeScope();
        return new ImageDataset(imageTensor, labelTensor, count, rows, columns, $"images '{images.Path}', labels '{labels.Path}'");
    }

    /// <summary>Throws unless one flattened image has exactly the features a model expects.</summary>
    /// <param name="inputSize">The model's input size (its <c>InputSize</c> constant).</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="InvalidDataException"><see cref="Features"/> differs from <paramref name="inputSize"/>.</exception>
    public void RequireFeatures(int inputSize, string modelName)
    {
        if (Features != inputSize)
            throw new InvalidDataException(
                $"{modelName} has InputSize {inputSize}, but the images ({Source}) are {Rows}x{Columns} = {Features} features each.");
    }

    /// <summary>Frees the image and label tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
