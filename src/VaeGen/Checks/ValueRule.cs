using System;
using System.ComponentModel;
using System.Globalization;
using VaeGen.Data;

namespace VaeGen.Checks;

/// <summary>
/// What a likelihood can describe, checked on the host as examples stream in: the streamed counterpart of
/// <see cref="TensorChecks"/>' value scans, with the example's place in its source in the message.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ValueRule
{
    private readonly Kind kind;
    private readonly int top;
    private readonly string requirement;
    private readonly string fix;

    private ValueRule(Kind kind, string requirement, string fix, int top = 0)
    {
        this.kind = kind;
        this.requirement = requirement;
        this.fix = fix;
        this.top = top;
    }

    private enum Kind
    {
        Finite,
        UnitInterval,
        Levels,
        Counts,
    }

    /// <summary>Finite values: the Gaussian and Laplace likelihoods.</summary>
    public static ValueRule Finite { get; } = new(Kind.Finite, "needs finite values in {0}", "Replace missing (NaN) values and check the data for overflow (infinity).");

    /// <summary>Values in [0, 1]: the Bernoulli and Continuous Bernoulli likelihoods.</summary>
    /// <param name="likelihood">The likelihood's name, for the message.</param>
    public static ValueRule UnitInterval(string likelihood) =>
        new(Kind.UnitInterval, $"has a {likelihood} likelihood, so {{0}} must hold values in [0, 1]", "Scale the data to [0, 1] (pixels: divide by 255).");

    /// <summary>Levels k / (levels - 1) to within 1e-3 on the k scale: the categorical likelihood.</summary>
    /// <param name="levels">The number of levels, 256 for 8-bit data.</param>
    public static ValueRule Levels(int levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 2);
        var top = levels - 1;
        return new(Kind.Levels,
            string.Create(CultureInfo.InvariantCulture, $"has a categorical likelihood over {levels} levels, so {{0}} must hold levels k / {top}"),
            string.Create(CultureInfo.InvariantCulture, $"Quantize the data to {levels} levels (8-bit pixels: divide by 255)."), top);
    }

    /// <summary>Non-negative integer counts: the Poisson likelihood.</summary>
    public static ValueRule Counts { get; } = new(Kind.Counts,
        "has a Poisson likelihood, so {0} must hold non-negative integer counts", "Pass the raw event counts, not rates, normalized or log-transformed values.");

    /// <summary>Throws when a value of the examples breaks the rule, naming the first one's example (as its stream locates it), feature and value.</summary>
    /// <param name="rows">Whole examples, row after row.</param>
    /// <param name="firstIndex">The stream index of the first row.</param>
    /// <param name="stream">The stream they came from.</param>
    /// <param name="parameterName">The caller's parameter, for the message and the exception.</param>
    /// <param name="modelName">The model class, for the message.</param>
    /// <exception cref="ArgumentException">A value breaks the rule.</exception>
    public void Check(ReadOnlySpan<float> rows, long firstIndex, IExampleStream stream, string parameterName, string modelName)
    {
        var i = FirstViolation(rows);
        if (i >= 0)
        {
            var example = firstIndex + i / stream.Features;
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{modelName} {string.Format(CultureInfo.InvariantCulture, requirement, parameterName)}, but feature {i % stream.Features} of {stream.Locate(example)} is {rows[i]}. {fix}"),
                parameterName);
        }
    }

    /// <summary>The index of the first value that breaks the rule, or -1. A plain loop per rule: this runs over every value read.</summary>
    private int FirstViolation(ReadOnlySpan<float> values)
    {
        switch (kind)
        {
            case Kind.UnitInterval:
                for (var i = 0; i < values.Length; i++)
                    if (!(values[i] >= 0 && values[i] <= 1)) return i;
                return -1;
            case Kind.Finite:
                for (var i = 0; i < values.Length; i++)
                    if (!float.IsFinite(values[i])) return i;
                return -1;
            case Kind.Levels:
                for (var i = 0; i < values.Length; i++)
                {
                    var v = values[i];
                    if (!(v >= 0 && v <= 1) || Math.Abs(v * top - Math.Round(v * top)) > TensorChecks.LevelTolerance) return i;
                }
                return -1;
            default:
                for (var i = 0; i < values.Length; i++)
                {
                    var v = values[i];
                    if (!(v >= 0 && float.IsFinite(v) && v == MathF.Round(v))) return i;
                }
                return -1;
        }
    }
}
