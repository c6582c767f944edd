using System;
using System.Collections.Generic;
using System.Linq;

namespace VaeGen.Imaging;

/// <summary>
/// A built-in 5-pixel-wide bitmap font covering printable ASCII, so text needs no font files: capitals and digits are 7 rows tall, and
/// descenders (g, j, p, q, y, comma, semicolon, underscore) reach 2 rows further down. Each character occupies a
/// <see cref="CellWidth"/> x <see cref="CellHeight"/> cell whose last column is spacing. A character without a glyph
/// is drawn as a hollow box (<see cref="Placeholder"/>).
/// </summary>
public static class BitmapFont
{
    /// <summary>Columns of a glyph's drawing.</summary>
    public const int GlyphWidth = 5;

    /// <summary>Rows of a glyph's drawing, from the top of a capital to the bottom of a descender.</summary>
    public const int GlyphHeight = 9;

    /// <summary>Rows from the top of a capital to the baseline (the bottom row of a capital).</summary>
    public const int CapHeight = 7;

    /// <summary>Horizontal advance per character: the glyph plus one column of spacing.</summary>
    public const int CellWidth = GlyphWidth + 1;

    /// <summary>Vertical advance per line of text: the glyph plus two rows of spacing.</summary>
    public const int CellHeight = GlyphHeight + 2;

    /// <summary>The character whose glyph stands in for characters the font lacks (a hollow box).</summary>
    public const char Placeholder = '\u25A1';

    // One row per 5-bit mask, top row first, leftmost column in bit 4.
    private static readonly Dictionary<char, byte[]> Glyphs = Build();

    /// <summary>The characters that have a glyph of their own (the placeholder box excluded).</summary>
    public static IReadOnlyList<char> Characters { get; } = Glyphs.Keys.Where(c => c != Placeholder).OrderBy(c => c).ToArray();

    /// <summary>Whether <paramref name="c"/> has a glyph of its own rather than the placeholder box.</summary>
    /// <param name="c">The character.</param>
    /// <returns>True for the printable ASCII characters, space included.</returns>
    public static bool IsSupported(char c) => c != Placeholder && Glyphs.ContainsKey(c);

    /// <summary>Whether the glyph of <paramref name="c"/> (or the placeholder box) sets the pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    /// <param name="c">The character.</param>
    /// <param name="x">Column, 0 to <see cref="GlyphWidth"/> - 1; outside that, false.</param>
    /// <param name="y">Row, 0 to <see cref="GlyphHeight"/> - 1; outside that, false.</param>
    /// <returns>True where the glyph is inked.</returns>
    public static bool IsSet(char c, int x, int y)
    {
        if (x < 0 || x >= GlyphWidth || y < 0 || y >= GlyphHeight)
            return false;
        if (!Glyphs.TryGetValue(c, out var rows))
            rows = Glyphs[Placeholder];
        return (rows[y] & (1 << (GlyphWidth - 1 - x))) != 0;
    }

    private static Dictionary<char, byte[]> Build()
    {
        var glyphs = new Dictionary<char, byte[]>();
        foreach (var (c, picture) in GlyphPictures.All)
        {
            if (!glyphs.TryAdd(c, Parse(c, picture)))
                throw new InvalidOperationException($"The font defines '{c}' twice.");
        }
        return glyphs;
    }

    private static byte[] Parse(char c, string picture)
    {
        var lines = picture.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < CapHeight || lines.Length > GlyphHeight)
            throw new InvalidOperationException($"The glyph of '{c}' has {lines.Length} rows; it needs {CapHeight} to {GlyphHeight}.");
        var rows = new byte[GlyphHeight];
        for (var y = 0; y < lines.Length; y++)
        {
            if (lines[y].Length != GlyphWidth)
                throw new InvalidOperationException($"Row {y} of the glyph of '{c}' is {lines[y].Length} columns wide, not {GlyphWidth}.");
            for (var x = 0; x < GlyphWidth; x++)
            {
                rows[y] = lines[y][x] switch
                {
                    '#' => (byte)(rows[y] | (1 << (GlyphWidth - 1 - x))),
                    '.' => rows[y],
                    var other => throw new InvalidOperationException($"The glyph of '{c}' uses '{other}'; only '#' and '.' are allowed."),
                };
            }
        }
        return rows;
    }
}
