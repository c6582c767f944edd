using System;
using System.Collections.Generic;
using System.Globalization;
using static TorchSharp.torch;

namespace VaeGen.Data;

/// <summary>
/// Examples already in memory, one float row each, turned into the float32 tensor [count, features] that <c>Fit</c>,
/// <c>Evaluate</c> and the other data-set methods take. Rows of unequal width are refused with the row that differs.
/// </summary>
public static class TensorData
{
    /// <summary>Copies a rectangular array, one example per row, into a float32 tensor [rows, columns].</summary>
    /// <param name="rows">The examples: <c>rows[i, j]</c> is feature j of example i.</param>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">The array has no rows or no columns.</exception>
    public static Tensor FromRows(float[,] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.GetLength(0) == 0 || rows.GetLength(1) == 0)
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"rows is a {rows.GetLength(0)} x {rows.GetLength(1)} array; a data set needs at least one example of at least one feature."),
                nameof(rows));
        return tensor(rows);
    }

    /// <summary>Copies a jagged array, one example per inner array, into a float32 tensor [count, features].</summary>
    /// <param name="rows">The examples; every one must have the same number of features.</param>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">
    /// There are no rows, a row is null or empty, or a row's width differs from the first row's; the message names the row index and both widths.
    /// </exception>
    public static Tensor FromRows(float[][] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return FromRows((IEnumerable<float[]>)rows);
    }

    /// <summary>
    /// Reads a sequence of examples once, in order, into a float32 tensor [count, features]. The sequence may be lazy
    /// (a query, a generator method): its rows are copied as they come and not kept.
    /// </summary>
    /// <param name="rows">The examples; every one must have the same number of features.</param>
    /// <param name="features">The width every row must have; null takes the first row's.</param>
    /// <returns>A new tensor the caller owns.</returns>
    /// <exception cref="ArgumentException">
    /// The sequence is empty, a row is null or empty, or a row's width differs from <paramref name="features"/> (or the
    /// first row's); the message names the row index and both widths.
    /// </exception>
    public static Tensor FromRows(IEnumerable<float[]> rows, int? features = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (features is < 1)
            throw new ArgumentOutOfRangeException(nameof(features), features, "An example needs at least one feature.");
        var width = features ?? -1;
        var values = new float[0];
        long count = 0;
        foreach (var row in rows)
        {
            if (row is null)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"rows[{count}] is null; every example needs its features."), nameof(rows));
            if (width < 0)
            {
                if (row.Length == 0)
                    throw new ArgumentException("rows[0] is empty; an example needs at least one feature.", nameof(rows));
                width = row.Length;
            }
            else if (row.Length != width)
            {
                var expected = features is null ? $"rows[0] has {width}" : $"features is {width}";
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"rows[{count}] has {row.Length} values, but {expected}: every example needs the same number of features."),
                    nameof(rows));
            }

            var needed = (count + 1) * width;
            if (needed > Array.MaxLength)
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"rows holds more than {Array.MaxLength / width} examples of {width} features, more than one array can hold; stream the data instead."),
                    nameof(rows));
            if (needed > values.Length)
                Array.Resize(ref values, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * values.Length)));
            row.CopyTo(values, count * width);
            count++;
        }

        if (count == 0)
            throw new ArgumentException("rows is empty; a data set needs at least one example.", nameof(rows));
        if (values.Length != count * width) Array.Resize(ref values, (int)(count * width));
        return tensor(values, [count, width]);
    }
}
