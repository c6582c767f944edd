using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace VaeGen.Data;

/// <summary>The contents of one unsigned-byte IDX file: its dimension sizes and its row-major data.</summary>
public sealed class IdxArray
{
    /// <summary>Creates an array after checking that the data has exactly one byte per element.</summary>
    /// <param name="path">The file the array was read from, for messages.</param>
    /// <param name="dimensions">The dimension sizes, outermost first; each at least 1.</param>
    /// <param name="data">The elements in row-major order; the array keeps its own copy of the sizes, not of the data.</param>
    /// <exception cref="ArgumentException">A size is below 1 or the data length is not their product.</exception>
    public IdxArray(string path, IReadOnlyList<int> dimensions, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0)
            throw new ArgumentException("An IDX array has at least one dimension.", nameof(dimensions));
        long count = 1;
        foreach (var size in dimensions)
        {
            if (size < 1)
                throw new ArgumentException($"Every dimension size must be at least 1, but the sizes are {Checks.ShapeText.Of(dimensions)}.", nameof(dimensions));
            count = checked(count * size);
        }
        if (count != data.Length)
            throw new ArgumentException($"Dimensions {Checks.ShapeText.Of(dimensions)} hold {count} elements, but the data has {data.Length} bytes.", nameof(data));
        Path = path;
        Dimensions = new ReadOnlyCollection<int>([.. dimensions]);
        Data = data;
    }

    /// <summary>The file the array was read from.</summary>
    public string Path { get; }

    /// <summary>The dimension sizes, outermost first (for an image file: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The elements in row-major order, one byte each.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The dimension sizes written like a shape, e.g. <c>[2000, 28, 28]</c>, for messages.</summary>
    public string Shape => $"{Checks.ShapeText.Of(Dimensions)}";
}
