using System;

namespace VaeGen.Imaging;

/// <summary>An opaque 8-bit-per-channel colour.</summary>
/// <param name="R">Red, 0 to 255.</param>
/// <param name="G">Green, 0 to 255.</param>
/// <param name="B">Blue, 0 to 255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Pure white, (255, 255, 255).</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Pure black, (0, 0, 0).</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>The grey whose three channels are all <paramref name="level"/>.</summary>
    /// <param name="level">0 (black) to 255 (white).</param>
    /// <returns>The grey colour.</returns>
    public static Rgb Gray(byte level) => new(level, level, level);

    /// <summary>This colour with <paramref name="over"/> laid on top at opacity <paramref name="alpha"/>.</summary>
    /// <param name="over">The colour painted on top.</param>
    /// <param name="alpha">Its opacity: 0 keeps this colour, 1 gives <paramref name="over"/>; values outside are clamped.</param>
    /// <returns>The mixed colour, rounded to the nearest level.</returns>
    public Rgb Blend(Rgb over, double alpha)
    {
        var a = double.IsNaN(alpha) ? 0.0 : Math.Clamp(alpha, 0.0, 1.0);
        return new Rgb(Mix(R, over.R, a), Mix(G, over.G, a), Mix(B, over.B, a));
    }

    /// <summary>The colour as "#rrggbb".</summary>
    /// <returns>Lower-case hexadecimal, e.g. "#1f77b4".</returns>
    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";

    private static byte Mix(byte under, byte over, double alpha) =>
        (byte)Math.Round(under + (over - under) * alpha, MidpointRounding.AwayFromZero);
}
