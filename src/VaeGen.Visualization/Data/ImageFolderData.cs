using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Data;

/// <summary>A folder of images as tensors, in the layout <c>[ImageInput]</c> models take. Dispose it to free the tensors.</summary>
public sealed class ImageFolderData : IDisposable
{
    internal ImageFolderData(Tensor images, Tensor? labels, IReadOnlyList<string> classes, IReadOnlyList<string> files, int channels, int height, int width)
    {
        Images = images;
        Labels = labels;
        Classes = classes;
        Files = files;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The images, float32 [count, C * H * W] in [0, 1] (each 8-bit level divided by 255), flat in channel-major order.</summary>
    public Tensor Images { get; }

    /// <summary>The class of each image, int64 [count]; null unless <see cref="ImageFolderOptions.ClassesFromSubfolders"/>.</summary>
    public Tensor? Labels { get; }

    /// <summary>The class names, the subfolders' names: label i is <c>Classes[i]</c>. Empty without classes.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The image files, in row order (ordinal order of their paths).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The number of images.</summary>
    public long Count => Images.shape[0];

    /// <summary>Channels of each image: 1 (grey) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Height of each image in pixels.</summary>
    public int Height { get; }

    /// <summary>Width of each image in pixels.</summary>
    public int Width { get; }

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        Images.Dispose();
        Labels?.Dispose();
    }
}
