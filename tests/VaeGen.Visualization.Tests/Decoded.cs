using System.IO;
using StbImageSharp;

namespace VaeGen.Visualization.Tests;

/// <summary>A PNG file decoded by StbImageSharp, an independent decoder, in the file's own channel count.</summary>
internal sealed class Decoded
{
    private Decoded(ImageResult image)
    {
        Width = image.Width;
        Height = image.Height;
        Channels = (int)image.SourceComp;
        Data = image.Data;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Data { get; }

    public static Decoded File(string path) => Bytes(System.IO.File.ReadAllBytes(path));

    public static Decoded Bytes(byte[] png) => new(ImageResult.FromMemory(png, ColorComponents.Default));

    /// <summary>The grey level of a grayscale pixel.</summary>
    public byte Gray(int x, int y) => Data[y * Width + x];

    /// <summary>Channel <paramref name="channel"/> of a pixel.</summary>
    public byte At(int x, int y, int channel) => Data[(y * Width + x) * Channels + channel];

    /// <summary>The colour of a pixel of an RGB or RGBA picture.</summary>
    public (byte R, byte G, byte B) Rgb(int x, int y) => (At(x, y, 0), At(x, y, 1), At(x, y, 2));

    /// <summary>The darkest channel of a pixel, for "is there ink here" in pictures of either kind.</summary>
    public byte Darkness(int x, int y)
    {
        var darkest = byte.MaxValue;
        for (var c = 0; c < System.Math.Min(Channels, 3); c++)
            darkest = System.Math.Min(darkest, At(x, y, c));
        return darkest;
    }

    /// <summary>Pixels in the rectangle darker than <paramref name="threshold"/> in every colour channel.</summary>
    public int Ink(int left, int top, int right, int bottom, byte threshold = 128)
    {
        var count = 0;
        for (var y = System.Math.Max(0, top); y < System.Math.Min(bottom, Height); y++)
        {
            for (var x = System.Math.Max(0, left); x < System.Math.Min(right, Width); x++)
            {
                if (IsDark(x, y, threshold))
                    count++;
            }
        }
        return count;
    }

    private bool IsDark(int x, int y, byte threshold)
    {
        for (var c = 0; c < System.Math.Min(Channels, 3); c++)
        {
            if (At(x, y, c) >= threshold)
                return false;
        }
        return true;
    }
}
