namespace VaeGen.Visualization.Data;

/// <summary>How <see cref="ImageFolder.Load"/> reads a folder of images.</summary>
public sealed record ImageFolderOptions
{
    /// <summary>
    /// Each subfolder is a class (in ordinal order of its name) and its images carry that label, as torchvision's
    /// ImageFolder reads them; files directly in the folder are then an error. False (default): the images directly
    /// in the folder, no labels.
    /// </summary>
    public bool ClassesFromSubfolders { get; init; }

    /// <summary>
    /// Scale an image of another size to the declared one (bilinear, aspect ratio not kept). False (default): an image
    /// of another size is refused, since resizing changes the data; set it when the images are meant to be scaled.
    /// </summary>
    public bool Resize { get; init; }

    /// <summary>
    /// Turn colour images into grey (luma, 0.299 R + 0.587 G + 0.114 B) for a 1-channel shape, and grey images into
    /// three equal channels for a 3-channel shape. False (default): an image with other channels than declared is refused.
    /// </summary>
    public bool ConvertChannels { get; init; }
}
