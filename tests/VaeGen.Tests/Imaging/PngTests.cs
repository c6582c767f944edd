using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>The PNG encoder: decoded by StbImageSharp to the exact pixels, well-formed chunks, argument checks, atomic writes.</summary>
public sealed class PngTests
{
    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    // Noise, smooth gradients and repeated rows, so that different rows favour different filters.
    private static byte[] MixedPicture(int width, int height, int channels)
    {
        var random = new Random(11);
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
        {
            for (var i = 0; i < width * channels; i++)
            {
                pixels[y * width * channels + i] = (y % 4) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)(i * 3 + y),
                    2 => pixels[(y - 1) * width * channels + i],
                    _ => (byte)((i / channels + y) * 5),
                };
            }
        }
        return pixels;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 3)]
    [InlineData(37, 23, 1)]
    [InlineData(37, 23, 3)]
    [InlineData(1, 50, 3)]
    [InlineData(64, 1, 1)]
    public void Random_pixels_decode_exactly(int width, int height, int channels)
    {
        var pixels = RandomBytes(width * height * channels, width * 1000 + height * 10 + channels);
        var decoded = Decoded.Bytes(Png.Encode(pixels, width, height, channels));
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(channels, decoded.Channels);
        Assert.Equal(pixels, decoded.Data);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Mixed_content_uses_several_filters_and_decodes_exactly(int channels)
    {
        const int width = 40, height = 32;
        var pixels = MixedPicture(width, height, channels);
        var png = Png.Encode(pixels, width, height, channels);
        Assert.Equal(pixels, Decoded.Bytes(png).Data);

        var filtered = PngChunks.Inflate(png);
        Assert.Equal(height * (width * channels + 1), filtered.Length);
        var filterTypes = Enumerable.Range(0, height).Select(y => filtered[y * (width * channels + 1)]).ToArray();
        Assert.All(filterTypes, t => Assert.InRange(t, (byte)0, (byte)4));
        Assert.True(filterTypes.Distinct().Count() >= 3, $"filters used: {string.Join(",", filterTypes.Distinct())}");
    }

    [Fact]
    public void Chunks_are_IHDR_IDAT_IEND_with_correct_checksums()
    {
        var png = Png.Encode(MixedPicture(9, 5, 3), 9, 5, 3);
        var chunks = PngChunks.Read(png);
        Assert.Equal("IHDR", chunks[0].Type);
        Assert.Equal("IEND", chunks[^1].Type);
        Assert.All(chunks.Skip(1).SkipLast(1), c => Assert.Equal("IDAT", c.Type));
        foreach (var (type, data, storedCrc) in chunks)
            Assert.Equal(ReferenceCrc.Compute(Encoding.ASCII.GetBytes(type).Concat(data).ToArray()), storedCrc);

        Assert.Empty(chunks[^1].Data);
        Assert.Equal(0xAE426082u, chunks[^1].StoredCrc);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 }, png.TakeLast(12).ToArray());

        var header = chunks[0].Data;
        Assert.Equal(13, header.Length);
        Assert.Equal(9, BinaryPrimitives.ReadInt32BigEndian(header));
        Assert.Equal(5, BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, header.Skip(8).ToArray());
        Assert.Equal(0, Png.Encode(new byte[4], 2, 2, 1).Skip(8 + 8 + 9).First());   // colour type 0 for grey
    }

    [Fact]
    public void Bad_arguments_throw_with_clear_messages()
    {
        Assert.Throws<ArgumentOutOfRangeException>("width", () => Png.Encode(new byte[3], 0, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>("height", () => Png.Encode(new byte[3], 1, -1, 3));
        Assert.Throws<ArgumentOutOfRangeException>("channels", () => Png.Encode(new byte[4], 2, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>("channels", () => Png.Encode(new byte[8], 2, 1, 4));
        var wrongLength = Assert.Throws<ArgumentException>("pixels", () => Png.Encode(new byte[11], 2, 2, 3));
        Assert.Contains("12", wrongLength.Message);
        Assert.Contains("11", wrongLength.Message);
        Assert.Throws<ArgumentException>("path", () => Png.Save("", new byte[1], 1, 1, 1));
        Assert.Throws<ArgumentException>("path", () => Png.Save("   ", new byte[1], 1, 1, 1));
    }

    [Fact]
    public void Save_creates_folders_and_leaves_only_the_file()
    {
        using var folder = new TempDirectory("imaging");
        var path = Path.Combine(folder.Path, "a", "b", "picture.png");
        Png.Save(path, new byte[] { 10, 20, 30, 40, 50, 60 }, 3, 2, 1);
        Assert.Equal(new[] { path }, Directory.GetFiles(Path.GetDirectoryName(path)!));
        Assert.Equal(new byte[] { 10, 20, 30, 40, 50, 60 }, Decoded.File(path).Data);
    }

    [Fact]
    public void Save_replaces_an_existing_file_without_leaving_a_temporary_one()
    {
        using var folder = new TempDirectory("imaging");
        var path = folder.File("out.png");
        File.WriteAllText(path, "not a png, and longer than the one that replaces it" + new string('x', 500));
        Png.Save(path, new byte[] { 255, 0, 0 }, 1, 1, 3);
        Assert.Equal(new[] { path }, Directory.GetFiles(folder.Path));
        var decoded = Decoded.File(path);
        Assert.Equal((1, 1, 3), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(new byte[] { 255, 0, 0 }, decoded.Data);
        Assert.Equal(Png.Encode(new byte[] { 255, 0, 0 }, 1, 1, 3), File.ReadAllBytes(path));
    }

    [Fact]
    public void Save_onto_a_folder_fails_without_leaving_a_temporary_file()
    {
        using var folder = new TempDirectory("imaging");
        var target = folder.File("taken");
        Directory.CreateDirectory(target);
        Assert.Throws<ArgumentException>("path", () => Png.Save(target, new byte[1], 1, 1, 1));
        Assert.Empty(Directory.GetFiles(folder.Path));
        Assert.Empty(Directory.GetFiles(target));
    }
}
