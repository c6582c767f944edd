using System;
using System.Globalization;

namespace VaeGen.Data;

/// <summary>
/// A column of a CSV file, by its header name or by its zero-based index. Strings and integers convert to it, so a
/// selection reads <c>FeatureColumns = ["alcohol", "ash"]</c> or <c>FeatureColumns = [1, 2, 3]</c>.
/// </summary>
public readonly record struct CsvColumn
{
    private CsvColumn(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The header name, or null for a column given by index.</summary>
    public string? Name { get; }

    /// <summary>The zero-based index, or -1 for a column given by name.</summary>
    public int Index { get; }

    /// <summary>The column whose header cell is <paramref name="name"/> (compared exactly, case and all).</summary>
    /// <exception cref="ArgumentException">The name is null or empty.</exception>
    public static CsvColumn Named(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new CsvColumn(name, -1);
    }

    /// <summary>The column at zero-based <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is negative.</exception>
    public static CsvColumn At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new CsvColumn(null, index);
    }

    /// <summary>The column of that header name.</summary>
    public static implicit operator CsvColumn(string name) => Named(name);

    /// <summary>The column at that zero-based index.</summary>
    public static implicit operator CsvColumn(int index) => At(index);

    /// <summary>"'name'" or "index 3", as messages quote it.</summary>
    public override string ToString() => Name is { } name ? $"'{name}'" : string.Create(CultureInfo.InvariantCulture, $"index {Index}");
}
