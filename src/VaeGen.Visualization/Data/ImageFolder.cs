using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using SkiaSharp;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Data;

/// <summary>
/// Reads a folder of PNG and JPEG files, decoded by SkiaSharp, into a tensor of the shape an <c>[ImageInput(C, H, W)]</c>
/// model declares: grey images for C = 1, RGB for C = 3. Images of another size or other channels are refused with the
/// file and what differs, unless <see cref="ImageFolderOptions"/> asks to resize or convert them.
/// </summary>
public static class ImageFolder
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];

    /// <summary>Loads every .png, .jpg and .jpeg file of <paramref name="directory"/> (or of its subfolders, one class each); other files are skipped.</summary>
    /// <param name="directory">The folder.</param>
    /// <param name="channels">1 for grey, 3 for RGB: the model's <c>ImageChannels</c>.</param>
    /// <param name="height">The model's <c>ImageHeight</c>.</param>
    /// <param name="width">The model's <c>ImageWidth</c>.</param>
    /// <param name="options">Classes, resizing and channel conversion; null refuses any difference.</param>
    /// <returns>The images; the caller disposes them.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The channels are not 1 or 3, or a size is below 1.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder has no image, a file cannot be decoded, an image's size or channels differ from the declared shape
    /// (and the options do not allow the change), an image has transparency, or with classes a file lies outside the
    /// subfolders; the message names the file and what differs.
    /// </exception>
    public static ImageFolderData Load(string directory, int channels, int height, int width, ImageFolderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 (grey) or 3 (RGB) channels.");
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        options ??= new ImageFolderOptions();
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"The image folder {root} does not exist.");

        var (files, labels, classes) = options.ClassesFromSubfolders ? ByClass(root) : (Images(root), null, []);
        if (files.Count == 0)
            throw new InvalidDataException($"{root} holds no .png, .jpg or .jpeg file{(options.ClassesFromSubfolders ? " in its subfolders" : string.Empty)}.");

        var features = (long)channels * height * width;
        if (files.Count * features > Array.MaxLength)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{root} holds {files.Count} images of {features} values, more than one array can hold."));
        var values = new float[files.Count * features];
        for (var i = 0; i < files.Count; i++) Decode(files[i], channels, height, width, options, values.AsSpan((int)(i * features), (int)features));

        var images = tensor(values, [files.Count, features]);
        var labelTensor = labels is null ? null : tensor(labels, [labels.LongLength]);
        return new ImageFolderData(images, labelTensor, classes, files, channels, height, width);
    }

    private static List<string> Images(string folder) => Directory.EnumerateFiles(folder)
        .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
        .Order(StringComparer.Ordinal)
        .ToList();

    private static (List<string> Files, long[] Labels, string[] Classes) ByClass(string root)
    {
        var stray = Images(root);
        if (stray.Count > 0)
            throw new InvalidDataException($"{stray[0]} lies directly in {root}, but with ImageFolderOptions.ClassesFromSubfolders every image belongs in a subfolder named after its class.");
        var classes = Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).ToArray();
        var files = new List<string>();
        var labels = new List<long>();
        for (var c = 0; c < classes.Length; c++)
        {
            var inClass = Images(classes[c]);
            files.AddRange(inClass);
            labels.AddRange(Enumerable.Repeat((long)c, inClass.Count));
        }
        return (files, labels.ToArray(), classes.Select(c => Path.GetFileName(c)!).ToArray());
    }

    /// <summary>Decodes one file into <paramref name="destination"/>, channel-major, each level divided by 255.</summary>
    private static void Decode(string file, int channels, int height, int width, ImageFolderOptions options, Span<float> destination)
    {
        using var codec = SKCodec.Create(file, out var result)
            ?? throw new InvalidDataException($"{file} cannot be decoded as an image ({result}); it may be damaged or not really a PNG or JPEG.");
        var info = codec.Info;
        var grey = info.ColorType == SKColorType.Gray8;

        // A colour image with an alpha channel decodes unpremultiplied, its colours as stored. Only its pixels tell
        // whether it is transparent, a refusal that comes before the size and channels, so it is decoded first and
        // checked after; any other image is checked first, and not decoded at all if refused.
        var decodedInfo = new SKImageInfo(info.Width, info.Height, grey ? SKColorType.Gray8 : SKColorType.Rgba8888,
            grey || info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        var withAlpha = decodedInfo.AlphaType == SKAlphaType.Unpremul;
        if (!withAlpha) CheckShape(file, info, grey, channels, height, width, options);
        using var decoded = new SKBitmap(decodedInfo);
        var status = codec.GetPixels(decodedInfo, decoded.GetPixels());
        // A damaged file is named as such first: the rows a cut-short file lacks are filled transparent, which would
        // otherwise read as transparent pixels.
        if (status is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException($"{file} cannot be decoded: {status}.");
        if (status == SKCodecResult.IncompleteInput)
            throw new InvalidDataException($"{file} is cut short: its pixels end before the image does.");
        if (withAlpha)
        {
            if (HasTransparency(decoded))
                throw new InvalidDataException($"{file} has transparent pixels (an alpha channel); VaeGen reads opaque grey or RGB images. Flatten it onto a background first.");
            CheckShape(file, info, grey, channels, height, width, options);
        }

        using var sized = (info.Width, info.Height) == (width, height)
            ? null
            : decoded.Resize(new SKImageInfo(width, height, decodedInfo.ColorType, decodedInfo.AlphaType), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None))
              ?? throw new InvalidDataException($"{file} could not be resized to {width}x{height}.");
        var pixels = (sized ?? decoded).GetPixelSpan();
        var plane = height * width;
        var stride = (sized ?? decoded).RowBytes;
        var bytesPerPixel = grey ? 1 : 4;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var p = y * stride + x * bytesPerPixel;
                var at = y * width + x;
                if (grey)
                {
                    var level = pixels[p] / 255f;
                    for (var c = 0; c < channels; c++) destination[c * plane + at] = level;
                }
                else if (channels == 3)
                {
                    for (var c = 0; c < 3; c++) destination[c * plane + at] = pixels[p + c] / 255f;
                }
                else
                {
                    // ITU-R BT.601 luma, the weights most grey conversions use.
                    destination[at] = (0.299f * pixels[p] + 0.587f * pixels[p + 1] + 0.114f * pixels[p + 2]) / 255f;
                }
            }
        }
    }

    /// <summary>Refuses an image whose channels or size differ from the declared shape, unless the options allow the change.</summary>
    private static void CheckShape(string file, SKImageInfo info, bool grey, int channels, int height, int width, ImageFolderOptions options)
    {
        if ((grey ? 1 : 3) != channels && !options.ConvertChannels)
            throw new InvalidDataException(
                $"{file} is {(grey ? "grey (1 channel)" : "colour (3 channels)")}, but the declared shape has {channels} channel{(channels == 1 ? string.Empty : "s")}; convert the image, or set ImageFolderOptions.ConvertChannels.");
        if ((info.Width, info.Height) != (width, height) && !options.Resize)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{file} is {info.Width}x{info.Height} pixels (width x height), but the declared shape is {width}x{height}; resize the image, or set ImageFolderOptions.Resize."));
    }

    /// <summary>Whether any pixel of an RGBA bitmap is less than opaque: PNGs often carry an alpha channel that is everywhere 255.</summary>
    private static bool HasTransparency(SKBitmap rgba)
    {
        var pixels = rgba.GetPixelSpan();
        for (var y = 0; y < rgba.Height; y++)
            for (var x = 0; x < rgba.Width; x++)
                if (pixels[y * rgba.RowBytes + x * 4 + 3] != 255) return true;
        return false;
    }
}
