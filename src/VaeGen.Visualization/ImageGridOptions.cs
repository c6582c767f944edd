using System.Collections.Generic;

namespace VaeGen.Visualization;

/// <summary>How <see cref="ImageGrid"/> lays out a picture: pixel size, spacing, and the text around the images.</summary>
public sealed class ImageGridOptions
{
    /// <summary>Output pixels per image pixel in each direction, at least 1: each pixel becomes a Scale x Scale block, never blurred.</summary>
    public int Scale { get; init; } = 2;

    /// <summary>White pixels between the images and around the grid, at least 0.</summary>
    public int Padding { get; init; } = 2;

    /// <summary>A line of text centred above the grid, or null for none.</summary>
    public string? Caption { get; init; }

    /// <summary>A name to the left of each grid row, right-aligned against the grid (one per row), or null for none.</summary>
    public IReadOnlyList<string>? RowLabels { get; init; }
}
