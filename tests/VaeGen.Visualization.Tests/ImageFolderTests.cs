using System;
using System.IO;
using System.Linq;
using SkiaSharp;
using VaeGen.Tests;
using VaeGen.Visualization.Data;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Visualization.Tests;

/// <summary>Folders of PNG and JPEG files become [count, C * H * W] tensors; every difference from the declared shape is refused with the file.</summary>
public sealed class ImageFolderTests : IDisposable
{
    private readonly TempDirectory temp = new("images");

    public void Dispose() => temp.Dispose();

    /// <summary>Writes an image whose pixel (x, y) has the colour <paramref name="colour"/> gives, encoded as the extension says.</summary>
    private string Image(string name, int width, int height, Func<int, int, SKColor> colour, SKColorType type = SKColorType.Rgba8888, SKAlphaType alpha = SKAlphaType.Opaque)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, type, alpha));
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, colour(x, y));
        var path = temp.File(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var format = name.EndsWith(".png", StringComparison.Ordinal) ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg;
        using var data = bitmap.Encode(format, 100);
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    private static SKColor Grey(int x, int y) => new((byte)(10 * x + 50 * y), (byte)(10 * x + 50 * y), (byte)(10 * x + 50 * y));

    private string GreyImage(string name, int width = 3, int height = 2) => Image(name, width, height, Grey, SKColorType.Gray8);

    [Fact]
    public void Grey_pngs_load_as_levels_over_255_in_file_order()
    {
        GreyImage("b.png");
        Image("a.png", 3, 2, (x, y) => new SKColor(255, 255, 255), SKColorType.Gray8);
        File.WriteAllText(temp.File("notes.txt"), "not an image");
        using var data = ImageFolder.Load(temp.Path, 1, 2, 3);
        Assert.Equal(new long[] { 2, 6 }, data.Images.shape);
        Assert.Equal(ScalarType.Float32, data.Images.dtype);
        Assert.Equal(["a.png", "b.png"], data.Files.Select(Path.GetFileName));
        Assert.Equal(new float[] { 1, 1, 1, 1, 1, 1 }, data.Images[0].data<float>().ToArray());
        Assert.Equal(new[] { 0, 10, 20, 50, 60, 70 }.Select(v => v / 255f), data.Images[1].data<float>().ToArray());
        Assert.Null(data.Labels);
    }

    [Fact]
    public void Rgb_pngs_load_channel_major()
    {
        Image("c.png", 2, 1, (x, y) => x == 0 ? new SKColor(255, 0, 51) : new SKColor(0, 102, 204));
        using var data = ImageFolder.Load(temp.Path, 3, 1, 2);
        // R plane, then G, then B: [r(0,0), r(1,0), g(0,0), g(1,0), b(0,0), b(1,0)].
        Assert.Equal(new[] { 255, 0, 0, 102, 51, 204 }.Select(v => v / 255f), data.Images.data<float>().ToArray());
    }

    [Fact]
    public void Jpegs_load_close_to_their_colours()
    {
        Image("photo.jpg", 8, 8, (x, y) => new SKColor(200, 100, 50));
        using var data = ImageFolder.Load(temp.Path, 3, 8, 8);
        var values = data.Images.reshape(3, 64).mean([1]).data<float>().ToArray();
        Assert.Equal(200 / 255f, values[0], 0.02f);
        Assert.Equal(100 / 255f, values[1], 0.02f);
        Assert.Equal(50 / 255f, values[2], 0.02f);
    }

    [Fact]
    public void Another_size_is_refused_with_both_sizes_unless_resizing_is_asked()
    {
        GreyImage("ok.png");
        var odd = GreyImage("odd.png", width: 4, height: 4);
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 2, 3));
        Assert.Contains($"{odd} is 4x4 pixels (width x height), but the declared shape is 3x2", error.Message, StringComparison.Ordinal);
        using var resized = ImageFolder.Load(temp.Path, 1, 2, 3, new ImageFolderOptions { Resize = true });
        Assert.Equal(new long[] { 2, 6 }, resized.Images.shape);
    }

    [Fact]
    public void Other_channels_are_refused_unless_conversion_is_asked()
    {
        var colour = Image("colour.png", 1, 1, (x, y) => new SKColor(255, 0, 0));
        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 1, 1));
        Assert.Contains($"{colour} is colour (3 channels), but the declared shape has 1 channel", error.Message, StringComparison.Ordinal);
        using var grey = ImageFolder.Load(temp.Path, 1, 1, 1, new ImageFolderOptions { ConvertChannels = true });
        Assert.Equal(0.299f, grey.Images.item<float>(), 1e-5f);

        File.Delete(colour);
        var greyFile = Image("grey.png", 1, 1, (x, y) => new SKColor(51, 51, 51), SKColorType.Gray8);
        Assert.Contains($"{greyFile} is grey (1 channel), but the declared shape has 3 channels",
            Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 3, 1, 1)).Message, StringComparison.Ordinal);
        using var rgb = ImageFolder.Load(temp.Path, 3, 1, 1, new ImageFolderOptions { ConvertChannels = true });
        Assert.Equal(new[] { 0.2f, 0.2f, 0.2f }, rgb.Images.data<float>().ToArray());
    }

    [Fact]
    public void Transparent_pixels_are_refused_but_an_opaque_alpha_channel_is_not()
    {
        Image("opaque.png", 2, 2, (x, y) => new SKColor(10, 20, 30, 255), alpha: SKAlphaType.Unpremul);
        using (var data = ImageFolder.Load(temp.Path, 3, 2, 2)) Assert.Equal(1, data.Count);
        var seeThrough = Image("see-through.png", 2, 2, (x, y) => new SKColor(10, 20, 30, (byte)(x == 1 ? 128 : 255)), alpha: SKAlphaType.Unpremul);
        Assert.Contains($"{seeThrough} has transparent pixels", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 3, 2, 2)).Message, StringComparison.Ordinal);
    }

    /// <summary>A colour with every level distinct, and opaque: a PNG written from it keeps an alpha channel that is everywhere 255.</summary>
    private static SKColor OpaqueRgba(int x, int y) => new((byte)(40 * x + 3), (byte)(100 * y + 11), (byte)(200 - 30 * x - 50 * y), 255);

    [Fact]
    public void An_opaque_alpha_channel_loads_the_stored_colours_channel_major()
    {
        var file = Image("rgba.png", 3, 2, OpaqueRgba, alpha: SKAlphaType.Unpremul);
        Assert.Equal(4, Decoded.File(file).Channels); // the file really has an alpha channel, as an independent decoder reads it
        var pixels = (from y in Enumerable.Range(0, 2) from x in Enumerable.Range(0, 3) select OpaqueRgba(x, y)).ToArray();

        using (var rgb = ImageFolder.Load(temp.Path, 3, 2, 3))
        {
            var planes = new Func<SKColor, byte>[] { p => p.Red, p => p.Green, p => p.Blue };
            Assert.Equal(planes.SelectMany(plane => pixels.Select(p => plane(p) / 255f)), rgb.Images.data<float>().ToArray());
        }
        using (var grey = ImageFolder.Load(temp.Path, 1, 2, 3, new ImageFolderOptions { ConvertChannels = true }))
        {
            var luma = pixels.Select(p => (0.299f * p.Red + 0.587f * p.Green + 0.114f * p.Blue) / 255f).ToArray();
            var loaded = grey.Images.data<float>().ToArray();
            Assert.Equal(luma.Length, loaded.Length);
            for (var i = 0; i < luma.Length; i++) Assert.Equal(luma[i], loaded[i], 1e-6f);
        }

        // Resizing starts from the same pixels: one colour stays that colour.
        File.Delete(file);
        Image("flat.png", 4, 4, (x, y) => new SKColor(10, 20, 30, 255), alpha: SKAlphaType.Unpremul);
        using var resized = ImageFolder.Load(temp.Path, 3, 2, 2, new ImageFolderOptions { Resize = true });
        Assert.Equal(new[] { 10, 20, 30 }.SelectMany(v => Enumerable.Repeat(v / 255f, 4)), resized.Images.data<float>().ToArray());
    }

    [Fact]
    public void Transparency_is_refused_before_the_size_or_channels_and_whatever_the_options()
    {
        // Only the last pixel is see-through, and barely: every pixel is looked at.
        var file = Image("corner.png", 3, 2, (x, y) => (x, y) == (2, 1) ? OpaqueRgba(x, y).WithAlpha(254) : OpaqueRgba(x, y), alpha: SKAlphaType.Unpremul);
        var expected = $"{file} has transparent pixels (an alpha channel); VaeGen reads opaque grey or RGB images. Flatten it onto a background first.";
        Assert.Equal(expected, Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 5, 5)).Message);
        Assert.Equal(expected, Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 3, 2, 3)).Message);
        Assert.Equal(expected, Assert.Throws<InvalidDataException>(
            () => ImageFolder.Load(temp.Path, 1, 5, 5, new ImageFolderOptions { Resize = true, ConvertChannels = true })).Message);
    }

    [Theory]
    [InlineData(SKAlphaType.Opaque)]
    [InlineData(SKAlphaType.Unpremul)]
    public void A_cut_short_png_is_named_as_cut_short_with_or_without_an_alpha_channel(SKAlphaType alpha)
    {
        // Levels that do not compress away, so the pixel data is most of the file and cutting it keeps the header.
        var random = new Random(7);
        var file = Image("noisy.png", 32, 32, (x, y) => new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), 255), alpha: alpha);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length * 6 / 10)]);
        Assert.Equal($"{file} is cut short: its pixels end before the image does.",
            Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 3, 32, 32)).Message);
    }

    [Fact]
    public void An_unreadable_file_and_an_empty_folder_are_named()
    {
        Assert.Contains("holds no .png, .jpg or .jpeg file", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 2, 3)).Message, StringComparison.Ordinal);
        GreyImage("good.png");
        var broken = temp.Write("broken.png", [0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
        Assert.Contains($"{broken} cannot be decoded", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 2, 3)).Message, StringComparison.Ordinal);
        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(temp.File("missing"), 1, 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageFolder.Load(temp.Path, 2, 2, 3));
    }

    [Fact]
    public void Subfolders_are_classes_in_ordinal_order()
    {
        GreyImage("shirt/1.png");
        GreyImage("coat/2.png");
        GreyImage("coat/1.png");
        using var data = ImageFolder.Load(temp.Path, 1, 2, 3, new ImageFolderOptions { ClassesFromSubfolders = true });
        Assert.Equal(["coat", "shirt"], data.Classes);
        Assert.Equal(new long[] { 0, 0, 1 }, data.Labels!.data<long>().ToArray());
        Assert.Equal(["coat/1.png", "coat/2.png", "shirt/1.png"], data.Files.Select(f => Path.GetRelativePath(temp.Path, f)));

        var stray = GreyImage("stray.png");
        Assert.Contains($"{stray} lies directly in", Assert.Throws<InvalidDataException>(() => ImageFolder.Load(temp.Path, 1, 2, 3, new ImageFolderOptions { ClassesFromSubfolders = true })).Message, StringComparison.Ordinal);
    }
}
