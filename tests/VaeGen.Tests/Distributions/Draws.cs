using System;
using System.Linq;
using TorchSharp;
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

    /// <summary>Overwrites every parameter of a module with draws from N(0, std^2) from a seeded generator.</summary>
    public static void Randomize(nn.Module module, double std, ulong seed)
    {
        using var generator = new Generator(seed);
        using var noGrad = no_grad();
        foreach (var parameter in module.parameters()) parameter.normal_(0, std, generator);
    }

    /// <summary>A module's parameter by its state_dict name, which must exist.</summary>
    public static TorchSharp.Modules.Parameter Named(nn.Module module, string name) =>
        module.get_parameter(name) ?? throw new Xunit.Sdk.XunitException($"{module.GetName()} has no parameter {name}.");

    /// <summary>The values of a module's parameter, by its state_dict name.</summary>
    public static double[] Parameter(nn.Module module, string name) => Hand.Values(Named(module, name));
}
