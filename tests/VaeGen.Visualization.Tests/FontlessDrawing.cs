using System;
using System.IO;
using SkiaSharp;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Tests;

/// <summary>
/// What the child process draws where no font is installed: the package's curves and a captioned grid, and as the
/// control the caption in Skia's default typeface, which must come out blank for the test to mean anything.
/// </summary>
internal static class FontlessDrawing
{
    public const string Command = "draw-without-fonts";

    public const string Title = "Fashion-MNIST VAE training";

    public static int Run(string folder)
    {
        // What Skia sees: with the fonts hidden, no family and a default typeface without a name.
        Console.WriteLine($"families: {SKFontManager.Default.FontFamilyCount}");
        Console.WriteLine($"default typeface: '{SKTypeface.Default.FamilyName}'");

        TrainingCurves.Save(Path.Combine(folder, "curves.png"), TrainingCurvesTests.Run(), Title);
        using (var scope = NewDisposeScope())
            ImageGrid.Save(Path.Combine(folder, "grid.png"), ones(4, 28, 28), 4, new ImageGridOptions { Caption = "Samples from the prior" });

        // The control: the same caption in Skia's default typeface, which is what text gets without a font of its own.
        using var bitmap = new SKBitmap(new SKImageInfo(300, 40, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var font = new SKFont(SKTypeface.Default, 16))
        using (var ink = new SKPaint { Color = SKColors.Black })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawText("Samples from the prior", 6, 26, font, ink);
        }
        using (var png = bitmap.Encode(SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(Path.Combine(folder, "control.png"), png.ToArray());
        return 0;
    }
}
