using System;
using SkiaSharp;
using VaeGen.IO;

namespace VaeGen.Visualization;

/// <summary>Writes PNG files atomically: a reader sees the old picture or the whole new one, never half a file.</summary>
internal static class PngFile
{
    /// <summary>Encodes <paramref name="bitmap"/> as PNG (grayscale for a Gray8 bitmap) and writes it to <paramref name="path"/>.</summary>
    public static void Save(string path, SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {bitmap.Width}x{bitmap.Height} {bitmap.ColorType} picture as PNG.");
        AtomicFile.Write(path, data.SaveTo);
    }

    /// <summary>Writes PNG bytes already encoded (ScottPlot's).</summary>
    public static void Save(string path, byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        AtomicFile.WriteAllBytes(path, png);
    }
}
