using System;
using System.Collections.Generic;
using System.Linq;

namespace VaeGen.Imaging;

/// <summary>One named line of a <see cref="PlotPanel"/>: points (x, y), drawn in order. Points with a NaN or infinite coordinate are skipped and break the line.</summary>
public sealed class PlotSeries
{
    /// <summary>A series of points (x[i], y[i]).</summary>
    /// <param name="name">The legend entry.</param>
    /// <param name="x">Horizontal coordinates.</param>
    /// <param name="y">Vertical coordinates, as many as <paramref name="x"/>.</param>
    /// <param name="color">The line colour, or null for the next colour of <see cref="PlotColors.Series"/>.</param>
    /// <exception cref="ArgumentException">The coordinate lists have different lengths.</exception>
    public PlotSeries(string name, IEnumerable<double> x, IEnumerable<double> y, Rgb? color = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        Name = name;
        X = x.ToArray();
        Y = y.ToArray();
        Color = color;
        if (X.Count != Y.Count)
            throw new ArgumentException($"Series '{name}' has {X.Count} x values but {Y.Count} y values.", nameof(y));
    }

    /// <summary>A series of values at x = 1, 2, 3, ... (e.g. one value per epoch).</summary>
    /// <param name="name">The legend entry.</param>
    /// <param name="y">The values, in order.</param>
    /// <param name="color">The line colour, or null for the next colour of <see cref="PlotColors.Series"/>.</param>
    public PlotSeries(string name, IEnumerable<double> y, Rgb? color = null)
        : this(name, CountFromOne(y), y, color)
    {
    }

    /// <summary>The legend entry.</summary>
    public string Name { get; }

    /// <summary>Horizontal coordinates.</summary>
    public IReadOnlyList<double> X { get; }

    /// <summary>Vertical coordinates.</summary>
    public IReadOnlyList<double> Y { get; }

    /// <summary>The line colour, or null for the plot's next default colour.</summary>
    public Rgb? Color { get; }

    private static IEnumerable<double> CountFromOne(IEnumerable<double> y)
    {
        ArgumentNullException.ThrowIfNull(y);
        return Enumerable.Range(1, y.Count()).Select(i => (double)i);
    }
}
