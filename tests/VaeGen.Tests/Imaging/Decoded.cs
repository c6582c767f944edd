using System.IO;
using StbImageSharp;

namespace VaeGen.Tests.Imaging;

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

    /// <summary>The channels of an RGB pixel.</summary>
    public (byte R, byte G, byte B) Rgb(int x, int y)
    {
        var i = (y * Width + x) * 3;
        return (Data[i], Data[i + 1], Data[i + 2]);
    }
}
