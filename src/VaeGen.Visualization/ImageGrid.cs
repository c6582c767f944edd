using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using SkiaSharp;
using static TorchSharp.torch;

namespace VaeGen.Visualization;

/// <summary>
/// Tiles a batch of images into one PNG: image i goes to grid row i / gridColumns, grid column i % gridColumns, each
/// image pixel enlarged to a Scale x Scale block, with white padding between and around the images, an optional caption
/// above and optional row labels on the left (<see cref="ImageGridOptions"/>). Images are [N, H, W] or [N, C, H, W]
/// with C = 1 (a grayscale PNG) or 3 (RGB, channel-major as <c>[ImageInput]</c> stores them); a model's flat output
/// [N, C * H * W] becomes that with <c>reshape(-1, C, H, W)</c>. Values are intensities in [0, 1] (0 black, 1 white);
/// values outside are clamped and NaN is drawn black.
/// </summary>
public static class ImageGrid
{
    /// <summary>The level of the padding, the unused grid cells and the text bands: white.</summary>
    public const byte Background = 255;

    /// <summary>Size of caption and label text, in pixels (the em height).</summary>
    internal const float TextSize = 16f;

    /// <summary>Blank pixels around caption and label text.</summary>
    internal const int TextMargin = 6;

    // Skia's raster limit is far above this; a picture wider or higher than this is a mistake in the arguments.
    private const int MaximumSide = 32_000;

    /// <summary>Renders the grid and writes it as a PNG, atomically; missing folders are created and an existing file is replaced.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="images">[N, H, W] or [N, C, H, W] with C = 1 or 3, N at least 1; any device and floating type.</param>
    /// <param name="gridColumns">Images per grid row, at least 1.</param>
    /// <param name="options">Scale, padding, caption and row labels; null for the defaults.</param>
    /// <exception cref="ArgumentException">The tensor is not a batch of one- or three-channel images, there are no images, or the row labels do not match the grid rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public static void Save(string path, Tensor images, int gridColumns, ImageGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var bitmap = Render(images, gridColumns, options ?? new ImageGridOptions());
        PngFile.Save(path, bitmap);
    }

    /// <summary>
    /// Saves originals and their reconstructions as one grid: each grid row of originals has its reconstructions in the
    /// grid row directly below.
    /// </summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="originals">[N, H, W] or [N, C, H, W] images; N a multiple of <paramref name="gridColumns"/>.</param>
    /// <param name="reconstructions">Images of the same shape, in the same order.</param>
    /// <param name="gridColumns">Images per grid row.</param>
    /// <param name="options">Scale, padding, caption and row labels (one per grid row of the result, twice as many as rows of originals); null for the defaults.</param>
    public static void SaveComparison(string path, Tensor originals, Tensor reconstructions, int gridColumns, ImageGridOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var scope = NewDisposeScope();
        Save(path, InterleaveRows(originals, reconstructions, gridColumns), gridColumns, options);
    }

    /// <summary>
    /// Interleaves originals and reconstructions by grid rows for display with the same <paramref name="gridColumns"/>:
    /// <paramref name="gridColumns"/> originals, then their reconstructions, then the next originals, and so on.
    /// </summary>
    /// <returns>A float32 CPU tensor [2N, ...] of the images' shape, owned by the caller's dispose scope, if any.</returns>
    internal static Tensor InterleaveRows(Tensor originals, Tensor reconstructions, int gridColumns)
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(reconstructions);
        RequirePositive(gridColumns, nameof(gridColumns));
        if (originals.dim() < 1 || !originals.shape.SequenceEqual(reconstructions.shape))
            throw new ArgumentException(
                $"Originals {ShapeText(originals.shape)} and reconstructions {ShapeText(reconstructions.shape)} must have the same shape [N, ...].",
                nameof(reconstructions));
        var count = originals.shape[0];
        if (count < 1 || count % gridColumns != 0)
            throw new ArgumentException(
                $"Interleaving by grid rows needs a positive number of images that is a multiple of gridColumns = {gridColumns}, but there are {count}.",
                nameof(originals));
        using var scope = NewDisposeScope();
        var imageShape = originals.shape.Skip(1).ToArray();
        var chunks = count / gridColumns;
        var top = AsCpuFloat(originals).reshape(chunks, 1, gridColumns, -1);
        var bottom = AsCpuFloat(reconstructions).reshape(chunks, 1, gridColumns, -1);
        return cat([top, bottom], 1).reshape([2 * count, .. imageShape]).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Lays out the images. The grid is gridColumns * W * scale + (gridColumns + 1) * padding wide and gridRows * H *
    /// scale + (gridRows + 1) * padding high, and image i's top-left pixel sits at (padding + (i % gridColumns) * (W *
    /// scale + padding), padding + (i / gridColumns) * (H * scale + padding)) from the grid's corner. A caption adds a
    /// band on top, row labels a column on the left; a caption wider than the rest widens the picture, the rest centred.
    /// </summary>
    /// <returns>A Gray8 bitmap for one channel, an opaque RGBA one for three; the caller disposes it.</returns>
    internal static SKBitmap Render(Tensor images, int gridColumns, ImageGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(options);
        RequirePositive(gridColumns, nameof(gridColumns));
        if (options.Scale < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Scale, "options.Scale must be at least 1.");
        if (options.Padding < 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.Padding, "options.Padding cannot be negative.");
        var (count, channels, height, width) = ImageShape(images);
        var gridRows = (count + gridColumns - 1) / gridColumns;
        if (options.RowLabels is { } labels && labels.Count != gridRows)
            throw new ArgumentException($"There are {labels.Count} row labels for a grid of {gridRows} rows; give one per row.", nameof(options));

        var scale = options.Scale;
        var padding = options.Padding;
        var cellWidth = (long)width * scale;
        var cellHeight = (long)height * scale;
        var gridWidth = gridColumns * cellWidth + (gridColumns + 1L) * padding;
        var gridHeight = gridRows * cellHeight + (gridRows + 1L) * padding;

        using var font = new SKFont(EmbeddedFont.Typeface, TextSize);
        var caption = string.IsNullOrEmpty(options.Caption) ? null : options.Caption;
        var captionWidth = caption is null ? 0 : (int)Math.Ceiling(font.MeasureText(caption));
        var band = caption is null ? 0 : (int)Math.Ceiling(font.Spacing) + 2 * TextMargin;
        var labelColumn = options.RowLabels is { Count: > 0 } rowLabels
            ? (int)Math.Ceiling(rowLabels.Max(label => font.MeasureText(label ?? ""))) + 2 * TextMargin
            : 0;
        var pictureWidth = Math.Max(labelColumn + gridWidth, caption is null ? 0 : captionWidth + 2 * TextMargin);
        var pictureHeight = band + gridHeight;
        if (pictureWidth > MaximumSide || pictureHeight > MaximumSide)
            throw new ArgumentException(
                $"{count} images of {height}x{width} at scale {scale} make a {pictureWidth}x{pictureHeight} picture, more than {MaximumSide} pixels a side; draw fewer or smaller.",
                nameof(images));

        var values = ReadValues(images);
        var info = new SKImageInfo((int)pictureWidth, (int)pictureHeight, channels == 1 ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Opaque);
        var bitmap = new SKBitmap(info);
        try
        {
            var left = labelColumn + (int)((pictureWidth - labelColumn - gridWidth) / 2);
            var pixels = Cells(values, info.Height, bitmap.RowBytes, count, channels, height, width, gridColumns, scale, padding, left, band);
            Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);

            using var canvas = new SKCanvas(bitmap);
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            if (caption is not null)
                canvas.DrawText(caption, (info.Width - captionWidth) / 2f, TextMargin - font.Metrics.Ascent, SKTextAlign.Left, font, ink);
            if (options.RowLabels is { } names)
            {
                // Each label right-aligned against the grid and centred on its row's images.
                var middle = -(font.Metrics.Ascent + font.Metrics.Descent) / 2;
                for (var row = 0; row < names.Count; row++)
                {
                    var centre = band + padding + row * (cellHeight + padding) + cellHeight / 2f;
                    canvas.DrawText(names[row] ?? "", left - TextMargin, centre + middle, SKTextAlign.Right, font, ink);
                }
            }
            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }

    /// <summary>The level of an intensity: round(255 v) for v in [0, 1], clamped outside, 0 for NaN.</summary>
    internal static byte ToLevel(float value)
    {
        if (float.IsNaN(value))
            return 0;
        return (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255.0, MidpointRounding.AwayFromZero);
    }

    // The picture's bytes in the bitmap's layout (1 byte a pixel, or R, G, B, A), background everywhere but the images.
    private static byte[] Cells(float[] values, int pictureHeight, int rowBytes, int count, int channels, int height, int width, int gridColumns, int scale, int padding, int left, int top)
    {
        var bytesPerPixel = channels == 1 ? 1 : 4;
        var pixels = new byte[rowBytes * pictureHeight];
        Array.Fill(pixels, Background);
        var plane = height * width;
        for (var i = 0; i < count; i++)
        {
            var x0 = left + padding + i % gridColumns * (width * scale + padding);
            var y0 = top + padding + i / gridColumns * (height * scale + padding);
            for (var r = 0; r < height * scale; r++)
            {
                var rowStart = (y0 + r) * rowBytes;
                for (var c = 0; c < width * scale; c++)
                {
                    var source = i * channels * plane + r / scale * width + c / scale;
                    var target = rowStart + (x0 + c) * bytesPerPixel;
                    // Channel-major source: channel k of pixel p is at k * H * W + p.
                    for (var k = 0; k < channels; k++)
                        pixels[target + k] = ToLevel(values[source + k * plane]);
                }
            }
        }
        return pixels;
    }

    private static (int Count, int Channels, int Height, int Width) ImageShape(Tensor images)
    {
        var shape = images.shape;
        var (channels, height, width) = shape.Length switch
        {
            3 => (1L, shape[1], shape[2]),
            4 => (shape[1], shape[2], shape[3]),
            _ => (0L, 0L, 0L),
        };
        if (channels is not (1 or 3) || height < 1 || width < 1)
            throw new ArgumentException(
                $"Expected images of shape [N, H, W] or [N, C, H, W] with C = 1 or 3, but the shape is {ShapeText(shape)}. A model's flat output [N, C * H * W] becomes images with reshape(-1, C, H, W).",
                nameof(images));
        if (shape[0] < 1)
            throw new ArgumentException("There are no images to draw: the first dimension is 0.", nameof(images));
        if (shape[0] * channels * height * width > int.MaxValue)
            throw new ArgumentException($"{shape[0]} images of {channels}x{height}x{width} are too many for one picture.", nameof(images));
        return ((int)shape[0], (int)channels, (int)height, (int)width);
    }

    private static float[] ReadValues(Tensor images)
    {
        using var scope = NewDisposeScope();
        return AsCpuFloat(images).data<float>().ToArray();
    }

    // Detached, on the CPU, float32 and contiguous, so data<float>() reads the values row-major.
    private static Tensor AsCpuFloat(Tensor tensor) => tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();

    private static string ShapeText(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";

    private static void RequirePositive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
