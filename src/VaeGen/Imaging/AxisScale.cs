using System;
using System.Collections.Generic;
using System.Globalization;

namespace VaeGen.Imaging;

/// <summary>
/// An axis range with "nice" ticks: the step is 1, 2 or 5 times a power of ten, and the limits are the multiples of
/// the step just outside the data, so tick labels are short round numbers.
/// </summary>
public sealed class AxisScale
{
    private AxisScale(double minimum, double maximum, double step)
    {
        Minimum = minimum;
        Maximum = maximum;
        Step = step;
        var ticks = new List<double>();
        var count = (int)Math.Round((maximum - minimum) / step);
        for (var i = 0; i <= count; i++)
        {
            var tick = minimum + i * step;
            // Rounding error can leave -1e-17 where 0 belongs; snap it so the label reads "0".
            ticks.Add(Math.Abs(tick) < step * 1e-9 ? 0.0 : tick);
        }
        Ticks = ticks;
        Decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
    }

    /// <summary>The lower end of the axis, a multiple of <see cref="Step"/>.</summary>
    public double Minimum { get; }

    /// <summary>The upper end of the axis, a multiple of <see cref="Step"/>, always above <see cref="Minimum"/>.</summary>
    public double Maximum { get; }

    /// <summary>The distance between ticks: 1, 2 or 5 times a power of ten.</summary>
    public double Step { get; }

    /// <summary>The tick values from <see cref="Minimum"/> to <see cref="Maximum"/> inclusive.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Decimal places that show every tick exactly (0 for steps of 1 or more).</summary>
    public int Decimals { get; }

    /// <summary>
    /// The nice axis covering [<paramref name="low"/>, <paramref name="high"/>] with about
    /// <paramref name="targetTicks"/> intervals. An empty range (low = high) is widened by half the order of magnitude
    /// of the value (to [-1, 1] around 0); non-finite limits give [0, 1].
    /// </summary>
    /// <param name="low">The smallest value to show.</param>
    /// <param name="high">The largest value to show.</param>
    /// <param name="targetTicks">The number of intervals wanted, at least 1; the result has roughly this many.</param>
    /// <returns>The axis.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="targetTicks"/> is less than 1.</exception>
    public static AxisScale Covering(double low, double high, int targetTicks = 5)
    {
        if (targetTicks < 1)
            throw new ArgumentOutOfRangeException(nameof(targetTicks), targetTicks, "An axis needs at least one interval.");
        if (!double.IsFinite(low) || !double.IsFinite(high))
            (low, high) = (0.0, 1.0);
        if (low > high)
            (low, high) = (high, low);
        if (low == high)
        {
            var half = low == 0 ? 1.0 : 0.5 * Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(low))));
            (low, high) = (low - half, high + half);
        }
        var step = NiceStep((high - low) / targetTicks);
        var minimum = Math.Floor(low / step + 1e-9) * step;
        var maximum = Math.Ceiling(high / step - 1e-9) * step;
        if (maximum <= minimum)
            maximum = minimum + step;
        return new AxisScale(minimum, maximum, step);
    }

    /// <summary>The smallest of 1, 2, 5 or 10 times a power of ten that is at least <paramref name="rough"/>.</summary>
    /// <param name="rough">A positive step.</param>
    /// <returns>The nice step.</returns>
    public static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
            throw new ArgumentOutOfRangeException(nameof(rough), rough, "A step must be positive and finite.");
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        // 1e-9 forgives rounding in rough / magnitude so that exactly 2 stays 2 rather than becoming 5.
        var nice = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>The label of a value on this axis: fixed-point with <see cref="Decimals"/> places, or scientific notation for very large or small magnitudes.</summary>
    /// <param name="value">A tick value.</param>
    /// <returns>Invariant-culture text, e.g. "250", "0.05", "1.5E+07".</returns>
    public string Format(double value)
    {
        var largest = Math.Max(Math.Abs(Minimum), Math.Abs(Maximum));
        if (largest >= 1e6 || Decimals > 5)
            return value.ToString("0.###E+0", CultureInfo.InvariantCulture);
        return value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Where <paramref name="value"/> lies on the axis: 0 at <see cref="Minimum"/>, 1 at <see cref="Maximum"/>.</summary>
    /// <param name="value">A value.</param>
    /// <returns>The fraction, outside [0, 1] for values outside the axis.</returns>
    public double Fraction(double value) => (value - Minimum) / (Maximum - Minimum);
}
