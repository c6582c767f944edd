using System;
using System.Linq;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>The canvas: pixels, rectangles, lines, discs and conversion to bytes.</summary>
public sealed class RasterTests
{
    private static readonly Rgb Red = new(200, 10, 20);

    [Fact]
    public void A_new_canvas_is_the_background_colour()
    {
        var canvas = new Raster(4, 3, new Rgb(1, 2, 3));
        Assert.Equal((4, 3), (canvas.Width, canvas.Height));
        Assert.All(Enumerable.Range(0, 12), i => Assert.Equal(new Rgb(1, 2, 3), canvas.GetPixel(i % 4, i / 4)));
        Assert.Equal(Rgb.White, new Raster(1, 1).GetPixel(0, 0));
    }

    [Fact]
    public void Pixels_outside_are_ignored_when_set_and_rejected_when_read()
    {
        var canvas = new Raster(3, 3);
        canvas.SetPixel(-1, 0, Red);
        canvas.SetPixel(3, 1, Red);
        canvas.SetPixel(1, 1, Red);
        Assert.Equal(1, Count(canvas, Red));
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.GetPixel(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Raster(0, 5));
    }

    [Fact]
    public void Rectangles_are_clipped_to_the_canvas()
    {
        var canvas = new Raster(5, 4);
        canvas.FillRectangle(-2, -1, 4, 3, Red);   // covers columns -2..1, rows -1..1
        Assert.Equal(4, Count(canvas, Red));
        Assert.Equal(Red, canvas.GetPixel(1, 1));
        Assert.Equal(Rgb.White, canvas.GetPixel(2, 1));
        Assert.Equal(Rgb.White, canvas.GetPixel(1, 2));

        var outline = new Raster(5, 4);
        outline.DrawRectangle(0, 0, 5, 4, Red);
        Assert.Equal(14, Count(outline, Red));
        Assert.Equal(Rgb.White, outline.GetPixel(2, 2));
    }

    [Fact]
    public void A_two_pixel_horizontal_line_covers_two_rows_in_full_colour()
    {
        var canvas = new Raster(40, 20);
        canvas.DrawLine(10, 10, 30, 10, Red, 2.0);
        for (var x = 10; x < 30; x++)
        {
            Assert.Equal(Red, canvas.GetPixel(x, 9));
            Assert.Equal(Red, canvas.GetPixel(x, 10));
            Assert.Equal(Rgb.White, canvas.GetPixel(x, 8));
            Assert.Equal(Rgb.White, canvas.GetPixel(x, 11));
        }
        Assert.Equal(Rgb.White, canvas.GetPixel(5, 10));
        Assert.Equal(Rgb.White, canvas.GetPixel(35, 10));
    }

    [Fact]
    public void A_diagonal_line_is_unbroken_and_anti_aliased()
    {
        var canvas = new Raster(50, 50);
        canvas.DrawLine(5, 5, 45, 35, Red, 2.5);
        for (var x = 6; x < 45; x++)
            Assert.Contains(Enumerable.Range(0, 50), y => canvas.GetPixel(x, y) == Red);
        var partial = Enumerable.Range(0, 2500).Select(i => canvas.GetPixel(i % 50, i / 50)).Where(c => c != Red && c != Rgb.White).ToArray();
        Assert.NotEmpty(partial);
        Assert.All(partial, c => Assert.True(c.R >= Red.R && c.G >= Red.G && c.B >= Red.B, $"{c} is not between red and white"));
    }

    [Fact]
    public void Non_finite_line_ends_draw_nothing_and_bad_widths_throw()
    {
        var canvas = new Raster(10, 10);
        canvas.DrawLine(double.NaN, 1, 5, 5, Red);
        canvas.DrawLine(1, 1, double.PositiveInfinity, 5, Red);
        Assert.Equal(0, Count(canvas, Red));
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.DrawLine(0, 0, 5, 5, Red, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => canvas.DrawLine(0, 0, 5, 5, Red, double.NaN));
    }

    [Fact]
    public void A_disc_is_full_colour_at_its_centre_and_absent_beyond_its_radius()
    {
        var canvas = new Raster(20, 20);
        canvas.FillCircle(10, 10, 4, Red);
        Assert.Equal(Red, canvas.GetPixel(9, 9));
        Assert.Equal(Red, canvas.GetPixel(10, 10));
        Assert.Equal(Rgb.White, canvas.GetPixel(10, 16));
        Assert.Equal(Rgb.White, canvas.GetPixel(15, 15));
        // Full colour within 3.5 pixels of the centre (pi 3.5^2 = 38), some colour within 4.5 (pi 4.5^2 = 64).
        Assert.InRange(Count(canvas, Red), 28, 44);
        Assert.InRange(400 - Count(canvas, Rgb.White), 44, 70);
    }

    [Fact]
    public void Gray_conversion_keeps_grey_levels_and_weights_colours()
    {
        var canvas = new Raster(3, 1);
        canvas.SetPixel(0, 0, Rgb.Gray(77));
        canvas.SetPixel(1, 0, new Rgb(255, 0, 0));
        canvas.SetPixel(2, 0, new Rgb(0, 255, 0));
        Assert.Equal(new byte[] { 77, 76, 150 }, canvas.ToGrayBytes());
        Assert.Equal(new byte[] { 77, 77, 77, 255, 0, 0, 0, 255, 0 }, canvas.ToRgbBytes());
    }

    [Fact]
    public void Saved_rgb_and_gray_files_decode_to_the_canvas()
    {
        using var folder = new TempDirectory("imaging");
        var canvas = new Raster(7, 5, Rgb.Gray(40));
        canvas.FillRectangle(2, 1, 3, 2, Red);
        canvas.SaveRgb(folder.File("rgb.png"));
        canvas.SaveGray(folder.File("gray.png"));
        var rgb = Decoded.File(folder.File("rgb.png"));
        Assert.Equal((7, 5, 3), (rgb.Width, rgb.Height, rgb.Channels));
        Assert.Equal((Red.R, Red.G, Red.B), rgb.Rgb(3, 2));
        Assert.Equal(((byte)40, (byte)40, (byte)40), rgb.Rgb(3, 3));
        var gray = Decoded.File(folder.File("gray.png"));
        Assert.Equal((7, 5, 1), (gray.Width, gray.Height, gray.Channels));
        Assert.Equal(40, gray.Gray(0, 0));
        Assert.Equal((200 * 299 + 10 * 587 + 20 * 114 + 500) / 1000, gray.Gray(2, 1));
    }

    internal static int Count(Raster canvas, Rgb color)
    {
        var count = 0;
        for (var y = 0; y < canvas.Height; y++)
        {
            for (var x = 0; x < canvas.Width; x++)
            {
                if (canvas.GetPixel(x, y) == color)
                    count++;
            }
        }
        return count;
    }
}
