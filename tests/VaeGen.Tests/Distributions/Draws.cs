using System;
using System.Linq;
using static TorchSharp.torch;

namespace VaeGen.Tests.Distributions;

/// <summary>Seeded random test values in plain C#, and the tensors holding them.</summary>
internal static class Draws
{
    /// <summary><paramref name="count"/> draws from N(0, scale^2) by Box-Muller on a seeded System.Random.</summary>
    public static double[] Normal(Random random, int count, double scale = 1.0) =>
        Enumerable.Range(0, count)
            .Select(_ => scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
            .ToArray();

    /// <summary>A tensor of the given dtype holding <paramref name="values"/>, and the values it actually holds (float32 rounds them).</summary>
    public static (Tensor Tensor, double[] Held) Typed(double[] values, ScalarType dtype, params long[] shape)
    {
        var typed = Hand.Tensor(values, shape).to_type(dtype);
        return (typed, Hand.Values(typed));
    }

    /// <summary>log(sum_k exp(a_k)), shifted by the largest term so that nothing overflows or underflows to nothing.</summary>
    public static double LogSumExp(double[] terms)
    {
        var max = terms.Max();
        return max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
    }

    /// <summary>The number of elements of a shape.</summary>
    public static int Size(long[] shape) => (int)shape.Aggregate(1L, (a, b) => a * b);
}
