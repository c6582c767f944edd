using System;
using System.IO;
using System.Linq;
using SkiaSharp;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Tests;

/// <summary>Image grids: exact levels at computed positions, padding, clamping, shapes, RGB, captions, row labels, interleaving and atomic files.</summary>
public sealed class ImageGridTests
{
    // Image k, pixel (r, c) of a 2x3 image holds (6k + 3r + c) / 29: every pixel of five images differs.
    private static float[] DistinctValues(int count) =>
        Enumerable.Range(0, count * 6).Select(i => i / 29f).ToArray();

    private static byte Level(double value) => (byte)Math.Round(value * 255, MidpointRounding.AwayFromZero);

    private static byte[] Pixels(Tensor images, int gridColumns, ImageGridOptions? options = null)
    {
        using var bitmap = ImageGrid.Render(images, gridColumns, options ?? new ImageGridOptions());
        return bitmap.Bytes;
    }

    // The height of the caption band: one line of the embedded font plus a margin above and below.
    private static int Band()
    {
        using var font = new SKFont(EmbeddedFont.Typeface, ImageGrid.TextSize);
        return (int)Math.Ceiling(font.Spacing) + 2 * ImageGrid.TextMargin;
    }

    [Fact]
    public void Every_pixel_of_a_known_grid_has_the_expected_grey_level()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        const int rows = 2, columns = 3, gridColumns = 3, scale = 2, padding = 2, count = 5;
        var values = DistinctValues(count);
        var path = folder.File("grid.png");
        ImageGrid.Save(path, tensor(values, [count, rows, columns]), gridColumns, new ImageGridOptions { Scale = scale, Padding = padding });

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
        Assert.Equal(0, image.Gray(2, 2));                      // image 0, pixel (0, 0) = 0
        Assert.Equal(Level(24 / 29.0), image.Gray(10, 8));      // image 4, pixel (0, 0) = 24/29
        Assert.Equal(Level(29 / 29.0), image.Gray(15, 11));     // image 4, pixel (1, 2) = 29/29
        Assert.Equal(255, image.Gray(20, 10));                  // the empty sixth cell
    }

    [Fact]
    public void Values_are_clamped_and_NaN_is_black()
    {
        using var scope = NewDisposeScope();
        var values = new[] { -0.5f, 1.7f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.5f, 0.2f };
        var pixels = Pixels(tensor(values, [1, 1, 7]), 1, new ImageGridOptions { Scale = 1, Padding = 0 });
        Assert.Equal(new byte[] { 0, 255, 0, 255, 0, 128, 51 }, pixels);
    }

    [Fact]
    public void Layouts_dtypes_strides_and_gradients_give_the_same_picture()
    {
        using var scope = NewDisposeScope();
        var images = tensor(DistinctValues(4), [4, 2, 3]);
        var expected = Pixels(images, 2);
        Assert.Equal(expected, Pixels(images.reshape(4, 1, 2, 3), 2));
        Assert.Equal(expected, Pixels(images.to_type(ScalarType.Float64), 2));
        Assert.Equal(expected, Pixels(images.clone().requires_grad_(), 2));
        Assert.Equal(expected, Pixels(images.transpose(1, 2).contiguous().transpose(1, 2), 2));
    }

    [Fact]
    public void Three_channel_images_are_written_in_colour_from_channel_major_values()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        // One 1x2 image: pixel 0 is red, pixel 1 is (0.2, 0.4, 0.6); channel-major: all reds, then greens, then blues.
        var image = tensor(new[] { 1f, 0.2f, 0f, 0.4f, 0f, 0.6f }, [1, 3, 1, 2]);
        var path = folder.File("colour.png");
        ImageGrid.Save(path, image, 1, new ImageGridOptions { Scale = 1, Padding = 1 });
        var decoded = Decoded.File(path);
        Assert.True(decoded.Channels >= 3, $"{decoded.Channels} channels");
        Assert.Equal((4, 3), (decoded.Width, decoded.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), decoded.Rgb(1, 1));
        Assert.Equal((Level(0.2), Level(0.4), Level(0.6)), decoded.Rgb(2, 1));
        Assert.Equal(((byte)255, (byte)255, (byte)255), decoded.Rgb(0, 0));
        if (decoded.Channels == 4)
            Assert.Equal(255, decoded.At(1, 1, 3));
    }

    [Fact]
    public void Bad_shapes_and_sizes_throw_naming_the_argument()
    {
        using var scope = NewDisposeScope();
        var images = zeros(4, 2, 3);
        var flat = Assert.Throws<ArgumentException>("images", () => Pixels(zeros(4, 6), 2));
        Assert.Contains("[4, 6]", flat.Message);
        Assert.Contains("reshape(-1, C, H, W)", flat.Message);
        Assert.Throws<ArgumentException>("images", () => Pixels(zeros(4, 2, 2, 3), 2));       // two channels
        Assert.Throws<ArgumentException>("images", () => Pixels(zeros(0, 2, 3), 2));
        Assert.Throws<ArgumentException>("images", () => Pixels(zeros(1, 1, 20_000, 2), 1, new ImageGridOptions { Scale = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>("gridColumns", () => Pixels(images, 0));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Pixels(images, 2, new ImageGridOptions { Scale = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("options", () => Pixels(images, 2, new ImageGridOptions { Padding = -1 }));
        var labels = Assert.Throws<ArgumentException>("options", () => Pixels(images, 2, new ImageGridOptions { RowLabels = ["one"] }));
        Assert.Contains("2 rows", labels.Message);
    }

    [Fact]
    public void A_caption_adds_a_band_of_text_above_an_unchanged_grid()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        manual_seed(5);
        var images = rand(8, 28, 28);
        ImageGrid.Save(folder.File("plain.png"), images, 4);
        ImageGrid.Save(folder.File("captioned.png"), images, 4, new ImageGridOptions { Caption = "Samples" });
        var plain = Decoded.File(folder.File("plain.png"));
        var captioned = Decoded.File(folder.File("captioned.png"));
        var band = Band();

        Assert.Equal(plain.Width, captioned.Width);
        Assert.Equal(plain.Height + band, captioned.Height);
        Assert.Equal(plain.Data, captioned.Data.Skip(band * captioned.Width).ToArray());
        // The word is there, dark on white, in the middle of the band.
        var ink = captioned.Ink(0, 0, captioned.Width, band);
        Assert.True(ink > 60, $"{ink} dark caption pixels");
        var middle = captioned.Width / 2;
        Assert.True(captioned.Ink(middle - 40, 0, middle + 40, band) == ink, "caption ink outside the centre");
    }

    [Fact]
    public void A_caption_wider_than_the_grid_widens_the_picture_and_centres_the_grid()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        var path = folder.File("wide.png");
        ImageGrid.Save(path, zeros(1, 2, 2), 1, new ImageGridOptions { Scale = 1, Padding = 1, Caption = "a long caption" });
        var image = Decoded.File(path);
        Assert.True(image.Width > 80, $"{image.Width} pixels wide");
        var gridTop = image.Height - 4;
        var left = (image.Width - 4) / 2;
        Assert.Equal(0, image.Gray(left + 1, gridTop + 1));
        Assert.Equal(0, image.Gray(left + 2, gridTop + 2));
        Assert.Equal(255, image.Gray(left, gridTop + 1));
        Assert.Equal(255, image.Gray(left + 3, gridTop + 2));
        Assert.Equal(255, image.Gray(left + 1, gridTop));
        Assert.Equal(255, image.Gray(left + 1, gridTop + 3));
        Assert.Equal(2, Enumerable.Range(0, image.Width).Count(x => image.Gray(x, gridTop + 1) == 0));
    }

    [Fact]
    public void Row_labels_stand_left_of_their_rows_and_push_the_grid_right()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        const int scale = 2, padding = 2, side = 28;
        var path = folder.File("labelled.png");
        // White images, so any dark pixel is label ink.
        ImageGrid.Save(path, ones(6, side, side), 2, new ImageGridOptions { RowLabels = ["Trouser", "Sandal", "Ankle boot"] });
        var image = Decoded.File(path);
        var gridWidth = 2 * side * scale + 3 * padding;
        var labelColumn = image.Width - gridWidth;
        Assert.True(labelColumn > 40, $"label column {labelColumn} pixels");
        for (var row = 0; row < 3; row++)
        {
            var top = padding + row * (side * scale + padding);
            var ink = image.Ink(0, top, labelColumn, top + side * scale);
            Assert.True(ink > 30, $"row {row}: {ink} dark label pixels");
        }
        Assert.Equal(0, image.Ink(labelColumn, 0, image.Width, image.Height));
        // The longest label nearly fills its column; labels end a margin short of the grid.
        Assert.Equal(0, image.Ink(labelColumn - ImageGrid.TextMargin + 1, 0, labelColumn, image.Height));
    }

    [Fact]
    public void Interleaving_puts_each_row_of_reconstructions_under_its_originals()
    {
        using var scope = NewDisposeScope();
        var originals = arange(6, dtype: ScalarType.Float32).reshape(6, 1, 1).expand(6, 2, 2);
        var reconstructions = originals + 10;
        var mixed = ImageGrid.InterleaveRows(originals, reconstructions, 3);
        Assert.Equal(new long[] { 12, 2, 2 }, mixed.shape);
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        var firstPixels = Enumerable.Range(0, 12).Select(i => mixed[i, 0, 0].item<float>()).ToArray();
        Assert.Equal(new float[] { 0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15 }, firstPixels);

        Assert.Throws<ArgumentException>("originals", () => ImageGrid.InterleaveRows(originals, reconstructions, 4));
        Assert.Throws<ArgumentException>("reconstructions", () => ImageGrid.InterleaveRows(originals, reconstructions.narrow(0, 0, 5), 3));
    }

    [Fact]
    public void A_saved_comparison_shows_originals_above_their_reconstructions()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        var originals = full([4, 3, 3], 0.2f);
        var reconstructions = full([4, 3, 3], 0.8f);
        originals[3] = full([3, 3], 1.0f);
        var path = Path.Combine(folder.Path, "sub", "comparison.png");
        ImageGrid.SaveComparison(path, originals, reconstructions, 2, new ImageGridOptions { Scale = 1, Padding = 1 });
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
        var image = Decoded.File(path);
        Assert.Equal((2 * 3 + 3, 4 * 3 + 5, 1), (image.Width, image.Height, image.Channels));
        int Cell(int gridRow, int gridColumn) => image.Gray(1 + gridColumn * 4 + 1, 1 + gridRow * 4 + 1);
        Assert.Equal(Level(0.2), Cell(0, 0));
        Assert.Equal(Level(0.2), Cell(0, 1));
        Assert.Equal(Level(0.8), Cell(1, 0));
        Assert.Equal(Level(0.8), Cell(1, 1));
        Assert.Equal(Level(0.2), Cell(2, 0));
        Assert.Equal(255, Cell(2, 1));
        Assert.Equal(Level(0.8), Cell(3, 1));
    }

    [Fact]
    public void Saving_replaces_a_file_atomically_and_refuses_a_folder()
    {
        using var scope = NewDisposeScope();
        using var folder = new TempDirectory("visualization");
        var path = folder.File("out.png");
        File.WriteAllText(path, "not a png, and longer than the one that replaces it" + new string('x', 5000));
        ImageGrid.Save(path, full([1, 1, 1], 0.5f), 1, new ImageGridOptions { Scale = 1, Padding = 0 });
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        Assert.Equal(new byte[] { 128 }, Decoded.File(path).Data);

        var taken = folder.File("taken");
        Directory.CreateDirectory(taken);
        Assert.Throws<ArgumentException>("path", () => ImageGrid.Save(taken, zeros(1, 1, 1), 1));
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        Assert.Empty(Directory.GetFiles(taken));
    }
}
