using System;
using System.Linq;
using static TorchSharp.torch;

namespace VaeGen.Imaging;

/// <summary>
/// Tiles a batch of grayscale images into one grayscale PNG: image i goes to grid row i / gridColumns, grid column
/// i % gridColumns, each image pixel enlarged to a scale x scale block, with padding of <see cref="Background"/>
/// between and around the images and an optional caption above them. Values are intensities in [0, 1] (0 black,
/// 1 white); values outside are clamped and NaN is drawn black.
/// </summary>
public static class ImageGrid
{
    /// <summary>The grey level of the padding, the unused grid cells and the caption band (white).</summary>
    public const byte Background = 255;

    /// <summary>The grey level of caption text (black).</summary>
    public const byte CaptionInk = 0;

    /// <summary>Font scale of the caption text.</summary>
    public const int CaptionScale = 2;

    /// <summary>Blank pixels above and below the caption text.</summary>
    public const int CaptionMargin = 6;

    /// <summary>Renders the grid (see <see cref="Render"/>) and writes it as an 8-bit grayscale PNG, atomically.</summary>
    /// <param name="path">The PNG file; an existing file is replaced and missing folders are created.</param>
    /// <param name="images">[N, rows * columns] or [N, rows, columns] (any shape [N, ...] with rows * columns values per image), any device and floating type.</param>
    /// <param name="rows">Height of one image in pixels.</param>
    /// <param name="columns">Width of one image in pixels.</param>
    /// <param name="gridColumns">Images per grid row.</param>
    /// <param name="scale">Output pixels per image pixel in each direction, at least 1.</param>
    /// <param name="padding">Background pixels between images and around the grid, at least 0.</param>
    /// <param name="caption">Text drawn above the grid, or null for none.</param>
    public static void Save(string path, Tensor images, int rows, int columns, int gridColumns, int scale = 2, int padding = 2, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        Render(images, rows, columns, gridColumns, scale, padding, caption).SaveGray(path);
    }

    /// <summary>
    /// Lays out the images on a canvas. Without a caption the canvas is gridColumns * columns * scale + (gridColumns
    /// + 1) * padding wide and gridRows * rows * scale + (gridRows + 1) * padding high, gridRows = ceil(N /
    /// gridColumns), and image i's top-left pixel is at (padding + (i % gridColumns) * (columns * scale + padding),
    /// padding + (i / gridColumns) * (rows * scale + padding)). A caption adds a band of
    /// <see cref="Raster.MeasureText"/> height + 2 * <see cref="CaptionMargin"/> on top and, when it is wider than the
    /// grid, widens the canvas with the grid centred.
    /// </summary>
    /// <param name="images">[N, rows * columns] or [N, rows, columns] (any shape [N, ...] with rows * columns values per image), N at least 1.</param>
    /// <param name="rows">Height of one image in pixels.</param>
    /// <param name="columns">Width of one image in pixels.</param>
    /// <param name="gridColumns">Images per grid row.</param>
    /// <param name="scale">Output pixels per image pixel in each direction, at least 1.</param>
    /// <param name="padding">Background pixels between images and around the grid, at least 0.</param>
    /// <param name="caption">Text drawn above the grid, or null for none.</param>
    /// <returns>The canvas, all grey.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">The tensor has no images or its shape does not hold rows * columns values per image.</exception>
    public static Raster Render(Tensor images, int rows, int columns, int gridColumns, int scale = 2, int padding = 2, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        RequirePositive(rows, nameof(rows));
        RequirePositive(columns, nameof(columns));
        RequirePositive(gridColumns, nameof(gridColumns));
        RequirePositive(scale, nameof(scale));
        if (padding < 0)
            throw new ArgumentOutOfRangeException(nameof(padding), padding, "Padding cannot be negative.");
        var values = ReadImages(images, rows, columns, out var count);

        var gridRows = (count + gridColumns - 1) / gridColumns;
        var cellWidth = columns * scale;
        var cellHeight = rows * scale;
        var gridWidth = gridColumns * cellWidth + (gridColumns + 1) * padding;
        var gridHeight = gridRows * cellHeight + (gridRows + 1) * padding;
        var (captionWidth, captionHeight) = Raster.MeasureText(caption, CaptionScale);
        var band = string.IsNullOrEmpty(caption) ? 0 : captionHeight + 2 * CaptionMargin;
        var width = band > 0 ? Math.Max(gridWidth, captionWidth + 2 * CaptionMargin) : gridWidth;
        var canvas = new Raster(width, band + gridHeight, Rgb.Gray(Background));
        if (band > 0)
            canvas.DrawText(caption, (width - captionWidth) / 2, CaptionMargin, Rgb.Gray(CaptionInk), CaptionScale);

        var left = (width - gridWidth) / 2;
        var pixelsPerImage = rows * columns;
        for (var i = 0; i < count; i++)
        {
            var x = left + padding + i % gridColumns * (cellWidth + padding);
            var y = band + padding + i / gridColumns * (cellHeight + padding);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    canvas.FillRectangle(x + c * scale, y + r * scale, scale, scale, Rgb.Gray(ToLevel(values[i * pixelsPerImage + r * columns + c])));
            }
        }
        return canvas;
    }

    /// <summary>
    /// Interleaves originals and reconstructions by grid rows for display with the same <paramref name="gridColumns"/>:
    /// the result holds <paramref name="gridColumns"/> originals, then their <paramref name="gridColumns"/>
    /// reconstructions, then the next <paramref name="gridColumns"/> originals, and so on, so each grid row of
    /// originals has its reconstructions in the grid row directly below it.
    /// </summary>
    /// <param name="originals">[N, ...] images.</param>
    /// <param name="reconstructions">[N, ...] images of the same shape, in the same order.</param>
    /// <param name="gridColumns">Images per grid row; N must be a multiple of it.</param>
    /// <returns>A new float32 CPU tensor [2N, D], D the values per image, moved out of any dispose scope opened inside this method (the caller's scope, if any, owns it).</returns>
    /// <exception cref="ArgumentException">The shapes differ, there are no images, or N is not a multiple of <paramref name="gridColumns"/>.</exception>
    public static Tensor InterleaveRows(Tensor originals, Tensor reconstructions, int gridColumns)
    {
        ArgumentNullException.ThrowIfNull(originals);
        ArgumentNullException.ThrowIfNull(reconstructions);
        RequirePositive(gridColumns, nameof(gridColumns));
        if (originals.dim() < 1 || !originals.shape.SequenceEqual(reconstructions.shape))
            throw new ArgumentException(
                $"Originals {Checks.ShapeText.Of(originals.shape)} and reconstructions {Checks.ShapeText.Of(reconstructions.shape)} must have the same shape [N, ...].",
                nameof(reconstructions));
        var count = originals.shape[0];
        if (count < 1 || count % gridColumns != 0)
            throw new ArgumentException(
                $"Interleaving by grid rows needs a positive number of images that is a multiple of gridColumns = {gridColumns}, but there are {count}.",
                nameof(originals));
        using var scope = NewDisposeScope();
        var chunks = count / gridColumns;
        var top = AsCpuFloat(originals).reshape(chunks, 1, gridColumns, -1);
        var bottom = AsCpuFloat(reconstructions).reshape(chunks, 1, gridColumns, -1);
        return cat(new[] { top, bottom }, 1).reshape(2 * count, -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Saves originals and their reconstructions as one grid: each grid row of originals has its reconstructions in
    /// the grid row directly below (see <see cref="InterleaveRows"/>).
    /// </summary>
    /// <param name="path">The PNG file; an existing file is replaced and missing folders are created.</param>
    /// <param name="originals">[N, ...] images with rows * columns values each; N a multiple of <paramref name="gridColumns"/>.</param>
    /// <param name="reconstructions">[N, ...] images of the same shape, in the same order.</param>
    /// <param name="rows">Height of one image in pixels.</param>
    /// <param name="columns">Width of one image in pixels.</param>
    /// <param name="gridColumns">Images per grid row.</param>
    /// <param name="scale">Output pixels per image pixel in each direction, at least 1.</param>
    /// <param name="padding">Background pixels between images and around the grid, at least 0.</param>
    /// <param name="caption">Text drawn above the grid, or null for none.</param>
    public static void SaveComparison(string path, Tensor originals, Tensor reconstructions, int rows, int columns, int gridColumns, int scale = 2, int padding = 2, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var scope = NewDisposeScope();
        Save(path, InterleaveRows(originals, reconstructions, gridColumns), rows, columns, gridColumns, scale, padding, caption);
    }

    /// <summary>The grey level of an intensity: round(255 v) for v in [0, 1], clamped outside, 0 for NaN.</summary>
    /// <param name="value">The intensity.</param>
    /// <returns>0 to 255.</returns>
    public static byte ToLevel(float value)
    {
        if (float.IsNaN(value))
            return 0;
        return (byte)Math.Round(Math.Clamp(value, 0f, 1f) * 255.0, MidpointRounding.AwayFromZero);
    }

    private static float[] ReadImages(Tensor images, int rows, int columns, out int count)
    {
        var shape = images.shape;
        var perImage = (long)rows * columns;
        var trailing = shape.Skip(1).Aggregate(1L, (product, size) => product * size);
        if (shape.Length < 2 || trailing != perImage)
            throw new ArgumentException(
                $"Expected images of shape [N, {rows * (long)columns}] or [N, {rows}, {columns}] for {rows}x{columns} images, but the shape is {Checks.ShapeText.Of(shape)}.",
                nameof(images));
        if (shape[0] < 1)
            throw new ArgumentException("There are no images to draw: the first dimension is 0.", nameof(images));
        if (shape[0] * perImage > int.MaxValue)
            throw new ArgumentException($"{shape[0]} images of {rows}x{columns} are too many for one grid.", nameof(images));
        count = (int)shape[0];
        using var scope = NewDisposeScope();
        return AsCpuFloat(images).data<float>().ToArray();
    }

    // Detached, on the CPU, float32 and contiguous, so data<float>() reads the values row-major.
    private static Tensor AsCpuFloat(Tensor tensor) => tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();

    private static void RequirePositive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
