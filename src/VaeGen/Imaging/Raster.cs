using System;

namespace VaeGen.Imaging;

/// <summary>
/// An RGB canvas in memory: set and read pixels, fill rectangles, draw anti-aliased lines and discs, and write text
/// in the built-in <see cref="BitmapFont"/>. Coordinates are pixels from the top-left corner; pixel (x, y) covers the
/// square [x, x + 1) x [y, y + 1). Drawing outside the canvas is clipped, never an error.
/// </summary>
public sealed class Raster
{
    private readonly byte[] rgb;

    /// <summary>A canvas filled with <paramref name="background"/>.</summary>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    /// <param name="background">The initial colour of every pixel.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or the canvas would exceed 2^31 - 1 bytes.</exception>
    public Raster(int width, int height, Rgb background)
    {
        if (width < 1)
            throw new ArgumentOutOfRangeException(nameof(width), width, "A raster must be at least 1 pixel wide.");
        if (height < 1)
            throw new ArgumentOutOfRangeException(nameof(height), height, "A raster must be at least 1 pixel high.");
        if ((long)width * height * 3 > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(height), height, $"A {width}x{height} raster is too large.");
        Width = width;
        Height = height;
        rgb = new byte[width * height * 3];
        FillRectangle(0, 0, width, height, background);
    }

    /// <summary>A white canvas.</summary>
    /// <param name="width">Pixels per row, at least 1.</param>
    /// <param name="height">Rows, at least 1.</param>
    public Raster(int width, int height)
        : this(width, height, Rgb.White)
    {
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>The colour of one pixel.</summary>
    /// <param name="x">Column, 0 to <see cref="Width"/> - 1.</param>
    /// <param name="y">Row, 0 to <see cref="Height"/> - 1.</param>
    /// <returns>The pixel's colour.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The pixel is outside the canvas.</exception>
    public Rgb GetPixel(int x, int y)
    {
        if (!Contains(x, y))
            throw new ArgumentOutOfRangeException(nameof(x), $"Pixel ({x}, {y}) is outside the {Width}x{Height} raster.");
        var i = Offset(x, y);
        return new Rgb(rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    /// <summary>Sets one pixel; a pixel outside the canvas is ignored.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The new colour.</param>
    public void SetPixel(int x, int y, Rgb color)
    {
        if (!Contains(x, y))
            return;
        var i = Offset(x, y);
        rgb[i] = color.R;
        rgb[i + 1] = color.G;
        rgb[i + 2] = color.B;
    }

    /// <summary>Lays <paramref name="color"/> over one pixel at opacity <paramref name="alpha"/>; outside the canvas, nothing.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="color">The colour painted on top.</param>
    /// <param name="alpha">Opacity, 0 to 1.</param>
    public void BlendPixel(int x, int y, Rgb color, double alpha)
    {
        if (!Contains(x, y) || !(alpha > 0))
            return;
        SetPixel(x, y, alpha >= 1 ? color : GetPixel(x, y).Blend(color, alpha));
    }

    /// <summary>Fills the rectangle of <paramref name="width"/> x <paramref name="height"/> pixels whose top-left pixel is (x, y), clipped to the canvas.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns; nothing is drawn when not positive.</param>
    /// <param name="height">Rows; nothing is drawn when not positive.</param>
    /// <param name="color">The fill colour.</param>
    public void FillRectangle(int x, int y, int width, int height, Rgb color)
    {
        var left = Math.Max(0, x);
        var top = Math.Max(0, y);
        var right = (int)Math.Min(Width, (long)x + width);
        var bottom = (int)Math.Min(Height, (long)y + height);
        for (var row = top; row < bottom; row++)
        {
            for (var column = left; column < right; column++)
                SetPixel(column, row, color);
        }
    }

    /// <summary>Draws the outline of a rectangle, <paramref name="thickness"/> pixels wide, inside the rectangle's bounds.</summary>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Columns of the whole rectangle.</param>
    /// <param name="height">Rows of the whole rectangle.</param>
    /// <param name="color">The outline colour.</param>
    /// <param name="thickness">Width of each side in pixels, at least 1.</param>
    public void DrawRectangle(int x, int y, int width, int height, Rgb color, int thickness = 1)
    {
        if (thickness < 1)
            throw new ArgumentOutOfRangeException(nameof(thickness), thickness, "An outline must be at least 1 pixel thick.");
        FillRectangle(x, y, width, thickness, color);
        FillRectangle(x, y + height - thickness, width, thickness, color);
        FillRectangle(x, y, thickness, height, color);
        FillRectangle(x + width - thickness, y, thickness, height, color);
    }

    /// <summary>
    /// Draws an anti-aliased straight line with round ends between two points in continuous coordinates (the
    /// centre of pixel (x, y) is (x + 0.5, y + 0.5)). Pixels within about half the width of the segment get the full
    /// colour, so lines 2 or more pixels wide show <paramref name="color"/> exactly along their middle.
    /// </summary>
    /// <param name="x0">Start, horizontal.</param>
    /// <param name="y0">Start, vertical.</param>
    /// <param name="x1">End, horizontal.</param>
    /// <param name="y1">End, vertical.</param>
    /// <param name="color">The line colour.</param>
    /// <param name="width">Line width in pixels, more than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not a positive finite number.</exception>
    public void DrawLine(double x0, double y0, double x1, double y1, Rgb color, double width = 2.0)
    {
        if (!(width > 0) || double.IsInfinity(width))
            throw new ArgumentOutOfRangeException(nameof(width), width, "A line must have a positive, finite width.");
        if (!double.IsFinite(x0) || !double.IsFinite(y0) || !double.IsFinite(x1) || !double.IsFinite(y1))
            return;
        var half = width / 2.0;
        var reach = half + 1.0;
        var left = ClampColumn(Math.Floor(Math.Min(x0, x1) - reach));
        var right = ClampColumn(Math.Ceiling(Math.Max(x0, x1) + reach));
        var top = ClampRow(Math.Floor(Math.Min(y0, y1) - reach));
        var bottom = ClampRow(Math.Ceiling(Math.Max(y0, y1) + reach));
        for (var y = top; y <= bottom; y++)
        {
            for (var x = left; x <= right; x++)
            {
                var distance = DistanceToSegment(x + 0.5, y + 0.5, x0, y0, x1, y1);
                // Coverage falls from 1 to 0 across the one pixel straddling the edge of the stroke.
                BlendPixel(x, y, color, Math.Clamp(half + 0.5 - distance, 0.0, 1.0));
            }
        }
    }

    /// <summary>Fills an anti-aliased disc, e.g. a marker on a plotted point.</summary>
    /// <param name="centerX">Centre, horizontal, in continuous coordinates.</param>
    /// <param name="centerY">Centre, vertical, in continuous coordinates.</param>
    /// <param name="radius">Radius in pixels; nothing is drawn unless it is positive and finite.</param>
    /// <param name="color">The fill colour.</param>
    public void FillCircle(double centerX, double centerY, double radius, Rgb color)
    {
        if (!(radius > 0) || !double.IsFinite(radius) || !double.IsFinite(centerX) || !double.IsFinite(centerY))
            return;
        for (var y = ClampRow(Math.Floor(centerY - radius - 1)); y <= ClampRow(Math.Ceiling(centerY + radius + 1)); y++)
        {
            for (var x = ClampColumn(Math.Floor(centerX - radius - 1)); x <= ClampColumn(Math.Ceiling(centerX + radius + 1)); x++)
            {
                var distance = Math.Sqrt(Square(x + 0.5 - centerX) + Square(y + 0.5 - centerY));
                BlendPixel(x, y, color, Math.Clamp(radius + 0.5 - distance, 0.0, 1.0));
            }
        }
    }

    /// <summary>
    /// Writes text left to right in the built-in font, each font pixel drawn as a <paramref name="scale"/> x
    /// <paramref name="scale"/> block. '\n' starts a new line; characters the font lacks are drawn as a hollow box.
    /// </summary>
    /// <param name="text">The text; null or empty draws nothing.</param>
    /// <param name="x">Left edge of the first character.</param>
    /// <param name="y">Top edge of the first line (the top of its capitals).</param>
    /// <param name="color">The text colour.</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    public void DrawText(string? text, int x, int y, Rgb color, int scale = 1)
    {
        CheckScale(scale);
        Typeset(text, scale, (column, row) => FillRectangle(x + column * scale, y + row * scale, scale, scale, color));
    }

    /// <summary>
    /// Writes text turned a quarter turn anticlockwise, reading from bottom to top, as for a vertical axis title.
    /// The text occupies the rectangle <see cref="MeasureText"/> gives with width and height swapped, whose top-left
    /// corner is (x, y).
    /// </summary>
    /// <param name="text">The text; null or empty draws nothing.</param>
    /// <param name="x">Left edge of the rotated text's bounding box.</param>
    /// <param name="y">Top edge of the rotated text's bounding box (where the text ends).</param>
    /// <param name="color">The text colour.</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    public void DrawTextUpward(string? text, int x, int y, Rgb color, int scale = 1)
    {
        CheckScale(scale);
        var (width, _) = MeasureText(text, 1);
        Typeset(text, scale, (column, row) => FillRectangle(x + row * scale, y + (width - 1 - column) * scale, scale, scale, color));
    }

    /// <summary>The size of the box that <see cref="DrawText"/> inks for <paramref name="text"/>, descenders included.</summary>
    /// <param name="text">The text; null or empty measures (0, 0).</param>
    /// <param name="scale">Pixels per font pixel, at least 1.</param>
    /// <returns>Width and height in pixels.</returns>
    public static (int Width, int Height) MeasureText(string? text, int scale = 1)
    {
        CheckScale(scale);
        if (string.IsNullOrEmpty(text))
            return (0, 0);
        var lines = text.Split('\n');
        var longest = 0;
        foreach (var line in lines)
            longest = Math.Max(longest, line.Length);
        var width = longest == 0 ? 0 : longest * BitmapFont.CellWidth - 1;
        var height = (lines.Length - 1) * BitmapFont.CellHeight + BitmapFont.GlyphHeight;
        return (width * scale, height * scale);
    }

    /// <summary>A copy of the pixels, row-major from the top, three bytes (red, green, blue) per pixel.</summary>
    /// <returns>Width * height * 3 bytes.</returns>
    public byte[] ToRgbBytes() => (byte[])rgb.Clone();

    /// <summary>The pixels as grey levels, row-major from the top, by the Rec. 601 luma weights (a grey pixel keeps its level).</summary>
    /// <returns>Width * height bytes.</returns>
    public byte[] ToGrayBytes()
    {
        var gray = new byte[Width * Height];
        for (var i = 0; i < gray.Length; i++)
            gray[i] = (byte)((rgb[3 * i] * 299 + rgb[3 * i + 1] * 587 + rgb[3 * i + 2] * 114 + 500) / 1000);
        return gray;
    }

    /// <summary>Writes the canvas as an 8-bit RGB PNG, atomically (see <see cref="Png.Save"/>).</summary>
    /// <param name="path">The PNG file; an existing file is replaced and missing folders are created.</param>
    public void SaveRgb(string path) => Png.Save(path, rgb, Width, Height, 3);

    /// <summary>Writes the canvas as an 8-bit grayscale PNG of <see cref="ToGrayBytes"/>, atomically (see <see cref="Png.Save"/>).</summary>
    /// <param name="path">The PNG file; an existing file is replaced and missing folders are created.</param>
    public void SaveGray(string path) => Png.Save(path, ToGrayBytes(), Width, Height, 1);

    private static void Typeset(string? text, int scale, Action<int, int> ink)
    {
        if (string.IsNullOrEmpty(text))
            return;
        var line = 0;
        var position = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                position = 0;
                continue;
            }
            for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
            {
                for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
                {
                    if (BitmapFont.IsSet(c, gx, gy))
                        ink(position * BitmapFont.CellWidth + gx, line * BitmapFont.CellHeight + gy);
                }
            }
            position++;
        }
    }

    private static void CheckScale(int scale)
    {
        if (scale < 1)
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The text scale must be at least 1.");
    }

    private static double DistanceToSegment(double px, double py, double x0, double y0, double x1, double y1)
    {
        var dx = x1 - x0;
        var dy = y1 - y0;
        var lengthSquared = dx * dx + dy * dy;
        var t = lengthSquared > 0 ? Math.Clamp(((px - x0) * dx + (py - y0) * dy) / lengthSquared, 0.0, 1.0) : 0.0;
        return Math.Sqrt(Square(px - (x0 + t * dx)) + Square(py - (y0 + t * dy)));
    }

    private static double Square(double v) => v * v;

    private int ClampColumn(double x) => (int)Math.Clamp(x, 0, Width - 1);

    private int ClampRow(double y) => (int)Math.Clamp(y, 0, Height - 1);

    private bool Contains(int x, int y) => x >= 0 && y >= 0 && x < Width && y < Height;

    private int Offset(int x, int y) => (y * Width + x) * 3;
}
