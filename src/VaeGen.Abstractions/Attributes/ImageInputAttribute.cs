using System;

namespace VaeGen;

/// <summary>
/// Declares that each example is an image of <see cref="Channels"/> x <see cref="Height"/> x <see cref="Width"/> values,
/// stored flat in channel-major order (as <c>tensor.reshape(-1, C, H, W)</c> reads it). Needed by convolutional layers
/// (<see cref="EncoderConvAttribute"/>, <see cref="DecoderConvTransposeAttribute"/>), whose shapes the generator infers
/// from it at compile time.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ImageInputAttribute : Attribute
{
    /// <summary>Declares the image shape of one example.</summary>
    /// <param name="channels">Colour channels: 1 for grey levels, 3 for RGB.</param>
    /// <param name="height">Rows of pixels.</param>
    /// <param name="width">Columns of pixels.</param>
    public ImageInputAttribute(int channels, int height, int width)
    {
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>Colour channels.</summary>
    public int Channels { get; }

    /// <summary>Rows of pixels.</summary>
    public int Height { get; }

    /// <summary>Columns of pixels.</summary>
    public int Width { get; }
}
