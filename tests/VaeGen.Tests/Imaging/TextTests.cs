using System;
using System.Collections.Generic;
using System.Linq;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>The built-in font and text drawing.</summary>
public sealed class TextTests
{
    private static readonly Rgb Ink = Rgb.Black;

    [Fact]
    public void The_font_covers_printable_ASCII()
    {
        Assert.Equal(Enumerable.Range(32, 95).Select(i => (char)i), BitmapFont.Characters);
        var needed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,-+()/:%=_ ";
        Assert.All(needed, c => Assert.True(BitmapFont.IsSupported(c), $"'{c}' has no glyph"));
        Assert.False(BitmapFont.IsSupported('\u20AC'));
        Assert.False(BitmapFont.IsSupported(BitmapFont.Placeholder));
        Assert.DoesNotContain(BitmapFont.Placeholder, BitmapFont.Characters);
    }

    [Fact]
    public void Every_glyph_is_distinct_and_only_space_is_blank()
    {
        var seen = new Dictionary<string, char>();
        foreach (var c in BitmapFont.Characters.Append(BitmapFont.Placeholder))
        {
            var bits = string.Concat(Enumerable.Range(0, BitmapFont.GlyphWidth * BitmapFont.GlyphHeight)
                .Select(i => BitmapFont.IsSet(c, i % BitmapFont.GlyphWidth, i / BitmapFont.GlyphWidth) ? '#' : '.'));
            Assert.False(seen.TryGetValue(bits, out var twin), $"'{c}' and '{twin}' have the same glyph");
            seen[bits] = c;
            Assert.Equal(c == ' ', !bits.Contains('#'));
        }
    }

    [Fact]
    public void Capital_A_at_scale_3_has_its_apex_and_crossbar_where_expected()
    {
        var canvas = new Raster(20, 30);
        canvas.DrawText("A", 1, 2, Ink, 3);
        // Top row .###. : columns 1-3 of the glyph, 3 pixels each, from x = 1 + 3.
        Assert.Equal(Rgb.White, canvas.GetPixel(1 + 1, 2 + 1));
        Assert.Equal(Ink, canvas.GetPixel(1 + 3, 2));
        Assert.Equal(Ink, canvas.GetPixel(1 + 11, 2 + 2));
        Assert.Equal(Rgb.White, canvas.GetPixel(1 + 12, 2));
        // Row 3 ##### is the crossbar; row 4 #...# is hollow in the middle.
        Assert.Equal(Ink, canvas.GetPixel(1 + 7, 2 + 9));
        Assert.Equal(Rgb.White, canvas.GetPixel(1 + 7, 2 + 12));
        // 18 inked glyph pixels, each a 3 x 3 block.
        Assert.Equal(18 * 9, RasterTests.Count(canvas, Ink));
    }

    [Fact]
    public void Text_draws_ink_and_more_text_draws_more()
    {
        var canvas = new Raster(200, 40);
        canvas.DrawText("", 0, 0, Ink, 2);
        canvas.DrawText(null, 0, 0, Ink, 2);
        Assert.Equal(0, RasterTests.Count(canvas, Ink));
        canvas.DrawText("-ELBO", 0, 0, Ink, 2);
        var one = RasterTests.Count(canvas, Ink);
        Assert.True(one > 100, $"{one} inked pixels");
        canvas.DrawText("-ELBO = 251.3 (nats)", 0, 20, Ink, 1);
        Assert.True(RasterTests.Count(canvas, Ink) > one + 50);
    }

    [Fact]
    public void Unknown_characters_draw_a_hollow_box()
    {
        var canvas = new Raster(10, 12);
        canvas.DrawText("\u20AC", 1, 1, Ink);
        for (var y = 0; y < 12; y++)
        {
            for (var x = 0; x < 10; x++)
            {
                var onBox = x >= 1 && x <= 5 && y >= 1 && y <= 7 && (x == 1 || x == 5 || y == 1 || y == 7);
                Assert.True(onBox == (canvas.GetPixel(x, y) == Ink), $"pixel ({x}, {y})");
            }
        }
    }

    [Fact]
    public void Measure_counts_cells_without_trailing_spacing()
    {
        Assert.Equal((34, 18), Raster.MeasureText("abc", 2));
        Assert.Equal((6 * 6 - 1, 11 + 9), Raster.MeasureText("ab\nlonger", 1));
        Assert.Equal((0, 0), Raster.MeasureText("", 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Raster.MeasureText("a", 0));
    }

    [Fact]
    public void Text_drawn_upward_reads_from_the_bottom()
    {
        var canvas = new Raster(12, 14);
        canvas.DrawTextUpward("AB", 0, 0, Ink);
        // Laid flat "AB" is 11 wide and 9 high; turned, it is 9 wide and 11 high with 'A' at the bottom.
        // The top row of 'A' (.###.) becomes column 0, rows 10 - 1 .. 10 - 3.
        Assert.Equal(Rgb.White, canvas.GetPixel(0, 10));
        Assert.Equal(Ink, canvas.GetPixel(0, 9));
        Assert.Equal(Ink, canvas.GetPixel(0, 7));
        Assert.Equal(Rgb.White, canvas.GetPixel(0, 6));
        // 'B' (####. on top) is above: its top row is column 0, rows 4 .. 1.
        Assert.Equal(Ink, canvas.GetPixel(0, 4));
        Assert.Equal(Ink, canvas.GetPixel(0, 1));
        Assert.Equal(Rgb.White, canvas.GetPixel(0, 0));
        for (var y = 0; y < 14; y++)
        {
            for (var x = 9; x < 12; x++)
                Assert.Equal(Rgb.White, canvas.GetPixel(x, y));
        }
        Assert.Equal(Rgb.White, canvas.GetPixel(3, 12));
    }
}
