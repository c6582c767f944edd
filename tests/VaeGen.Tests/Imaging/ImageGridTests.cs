using System;
using System.IO;
using System.Linq;
using TorchSharp;
using VaeGen.Imaging;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Imaging;

/// <summary>Image grids: exact grey levels at computed positions, padding, clamping, shapes, captions and interleaving.</summary>
public sealed class ImageGridTests
{
    // Image k, pixel (r, c) of a 2x3 image holds (6k + 3r + c) / 29: every pixel of five images differs.
    private static float[] DistinctValues(int count) =>
        Enumerable.Range(0, count * 6).Select(i => i / 29f).ToArray();

    private static byte Level(double value) => (byte)Math.Round(value * 255, MidpointRounding.AwayFromZero);

    [Fact]
    public void Every_pixel_of_a_known_grid_has_the_expected_grey_level()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("imaging");
        const int rows = 2, columns = 3, gridColumns = 3, scale = 2, padding = 2, count = 5;
        var values = DistinctValues(count);
        var path = folder.File("grid.png");
        ImageGrid.Save(path, tensor(values, new long[] { count, rows * columns }), rows, columns, gridColumns, scale, padding);

        var image = Decoded.File(path);
        Assert.Equal(1, image.Channels);
        Assert.Equal(3 * 6 + 4 * 2, image.Width);    // 26
        Assert.Equal(2 * 4 + 3 * 2, image.Height);   // 14
        for (var y = 0; y < image.Height; y++)
        {
            for (var x = 0; x < image.Width; x++)
            {
                byte expected = ImageGrid.Background;
                int gx = (x - padding) / (columns * scale + padding), ox = (x - padding) % (columns * scale + padding);
                int gy = (y - padding) / (rows * scale + padding), oy = (y - padding) % (rows * scale + padding);
                var inCell = x >= padding && y >= padding && ox < columns * scale && oy < rows * scale && gx < gridColumns;
                var k = gy * gridColumns + gx;
                if (inCell && k < count)
                    expected = Level(values[k * 6 + oy / scale * columns + ox / scale]);
                Assert.True(expected == image.Gray(x, y), $"pixel ({x}, {y}): expected {expected}, got {image.Gray(x, y)}");
            }
        }
        // Spot checks that do not lean on the loop's arithmetic: image 4 sits at grid row 1, column 1.
        Assert.Equal(255, image.Gray(0, 0));
        Assert.Equal(0, image.Gray(2, 2));                                  // image 0, pixel (0, 0) = 0
        Assert.Equal(Level(24 / 29.0), image.Gray(10, 8));   // image 4, pixel (0, 0) = 24/29
        Assert.Equal(Level(29 / 29.0), image.Gray(15, 11));                 // image 4, pixel (1, 2) = 29/29
        Assert.Equal(255, image.Gray(20, 10));                              // the empty sixth cell
    }

    [Fact]
    public void Values_are_clamped_and_NaN_is_black()
    {
        using var scope = NewDisposeScope();
        var values = new[] { -0.5f, 1.7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, 0.2f };
        var canvas = ImageGrid.Render(tensor(values, new long[] { 1, 7 }), 1, 7, 1, scale: 1, padding: 0);
        Assert.Equal(new byte[] { 0, 255, 0, 255, 0, 128, 51 }, canvas.ToGrayBytes());
    }

    [Fact]
    public void Three_dimensional_float64_and_gradient_tracking_inputs_give_the_same_picture()
    {
        using var scope = NewDisposeScope();
        var flat = tensor(DistinctValues(4), new long[] { 4, 6 });
        var expected = ImageGrid.Render(flat, 2, 3, 2).ToGrayBytes();
        Assert.Equal(expected, ImageGrid.Render(flat.reshape(4, 2, 3), 2, 3, 2).ToGrayBytes());
        Assert.Equal(expected, ImageGrid.Render(flat.reshape(4, 1, 2, 3).to_type(ScalarType.Float64), 2, 3, 2).ToGrayBytes());
        Assert.Equal(expected, ImageGrid.Render(flat.clone().requires_grad_(), 2, 3, 2).ToGrayBytes());
        Assert.Equal(expected, ImageGrid.Render(flat.t().contiguous().t(), 2, 3, 2).ToGrayBytes());
    }

    [Fact]
    public void Bad_shapes_and_sizes_throw()
    {
        using var scope = NewDisposeScope();
        var images = zeros(4, 6);
        var shape = Assert.Throws<ArgumentException>("images", () => ImageGrid.Render(images, 2, 2, 2));
        Assert.Contains("[4, 6]", shape.Message);
        Assert.Throws<ArgumentException>("images", () => ImageGrid.Render(zeros(6), 2, 3, 2));
        Assert.Throws<ArgumentException>("images", () => ImageGrid.Render(zeros(0, 6), 2, 3, 2));
        Assert.Throws<ArgumentOutOfRangeException>("gridColumns", () => ImageGrid.Render(images, 2, 3, 0));
        Assert.Throws<ArgumentOutOfRangeException>("scale", () => ImageGrid.Render(images, 2, 3, 2, scale: 0));
        Assert.Throws<ArgumentOutOfRangeException>("padding", () => ImageGrid.Render(images, 2, 3, 2, padding: -1));
    }

    [Fact]
    public void A_caption_adds_a_band_of_text_above_an_unchanged_grid()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var images = rand(8, 28 * 28);
        var plain = ImageGrid.Render(images, 28, 28, 4);
        var captioned = ImageGrid.Render(images, 28, 28, 4, caption: "Samples");
        var band = BitmapFont.GlyphHeight * ImageGrid.CaptionScale + 2 * ImageGrid.CaptionMargin;
        Assert.Equal(plain.Width, captioned.Width);
        Assert.Equal(plain.Height + band, captioned.Height);
        var text = 0;
        for (var y = 0; y < band; y++)
        {
            for (var x = 0; x < captioned.Width; x++)
            {
                var level = captioned.GetPixel(x, y).R;
                Assert.True(level == ImageGrid.Background || level == ImageGrid.CaptionInk);
                if (level == ImageGrid.CaptionInk)
                    text++;
            }
        }
        Assert.True(text > 100, $"{text} caption pixels");
        Assert.Equal(plain.ToGrayBytes(), captioned.ToGrayBytes().Skip(band * captioned.Width).ToArray());
    }

    [Fact]
    public void A_caption_wider_than_the_grid_widens_the_picture_and_centres_the_grid()
    {
        using var scope = NewDisposeScope();
        var canvas = ImageGrid.Render(zeros(1, 4), 2, 2, 1, scale: 1, padding: 1, caption: "a long caption");
        var (textWidth, _) = Raster.MeasureText("a long caption", ImageGrid.CaptionScale);
        Assert.Equal(textWidth + 2 * ImageGrid.CaptionMargin, canvas.Width);
        var gridTop = canvas.Height - 4;
        var left = (canvas.Width - 4) / 2;
        Assert.True(left > 20);
        Assert.Equal(0, canvas.GetPixel(left + 1, gridTop + 1).R);
        Assert.Equal(0, canvas.GetPixel(left + 2, gridTop + 2).R);
        Assert.Equal(255, canvas.GetPixel(left, gridTop + 1).R);
        Assert.Equal(255, canvas.GetPixel(left + 3, gridTop + 2).R);
        Assert.Equal(255, canvas.GetPixel(left + 1, gridTop).R);
        Assert.Equal(255, canvas.GetPixel(left + 1, gridTop + 3).R);
        Assert.Equal(2, Enumerable.Range(0, canvas.Width).Count(x => canvas.GetPixel(x, gridTop + 1).R == 0));
    }

    [Fact]
    public void Interleaving_puts_each_row_of_reconstructions_under_its_originals()
    {
        using var scope = NewDisposeScope();
        var originals = arange(6, dtype: ScalarType.Float32).reshape(6, 1).expand(6, 4).reshape(6, 2, 2);
        var reconstructions = originals + 10;
        var mixed = ImageGrid.InterleaveRows(originals, reconstructions, 3);
        Assert.Equal(new long[] { 12, 4 }, mixed.shape);
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        var firstPixels = Enumerable.Range(0, 12).Select(i => mixed[i, 0].item<float>()).ToArray();
        Assert.Equal(new float[] { 0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15 }, firstPixels);

        Assert.Throws<ArgumentException>("originals", () => ImageGrid.InterleaveRows(originals, reconstructions, 4));
        Assert.Throws<ArgumentException>("reconstructions", () => ImageGrid.InterleaveRows(originals, reconstructions.narrow(0, 0, 5), 3));
    }

    [Fact]
    public void A_saved_comparison_shows_originals_above_their_reconstructions()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("imaging");
        var originals = full(new long[] { 4, 9 }, 0.2f);
        var reconstructions = full(new long[] { 4, 9 }, 0.8f);
        originals[3] = full(new long[] { 9 }, 1.0f);
        var path = Path.Combine(folder.Path, "sub", "comparison.png");
        ImageGrid.SaveComparison(path, originals, reconstructions, 3, 3, 2, scale: 1, padding: 1, caption: "top: test, below: reconstruction");
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        var image = Decoded.File(path);
        Assert.Equal(1, image.Channels);
        var gridTop = image.Height - (4 * 3 + 5);
        var left = (image.Width - (2 * 3 + 3)) / 2;
        int Cell(int gridRow, int gridColumn) => image.Gray(left + 1 + gridColumn * 4 + 1, gridTop + 1 + gridRow * 4 + 1);
        Assert.Equal(Level(0.2), Cell(0, 0));
        Assert.Equal(Level(0.2), Cell(0, 1));
        Assert.Equal(Level(0.8), Cell(1, 0));
        Assert.Equal(Level(0.8), Cell(1, 1));
        Assert.Equal(Level(0.2), Cell(2, 0));
        Assert.Equal(255, Cell(2, 1));
        Assert.Equal(Level(0.8), Cell(3, 1));
    }
}
