using System;
using System.Linq;
using VaeGen.Training;
using Xunit;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace VaeGen.Tests.Training;

/// <summary>
/// The compiled step's own element-wise loops against the TensorPrimitives calls they replace, bit for bit: for lengths
/// with and without a partial last vector, and for the values where the two could part ways (signed zeros, infinities,
/// NaN, denormals).
/// </summary>
public sealed class ElementwiseKernelTests
{
    private static readonly float[] Awkward =
        [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, -1e-40f];

    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length)
            .Select(i => i % 5 == 3 ? Awkward[random.Next(Awkward.Length)] : (float)(random.NextDouble() * 8 - 4))
            .ToArray();
    }

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: element {i} of {expected.Length} is {actual[i]} (bits {BitConverter.SingleToInt32Bits(actual[i]):X8}), TensorPrimitives gives {expected[i]} (bits {BitConverter.SingleToInt32Bits(expected[i]):X8}).");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(64)]
    [InlineData(400)]
    [InlineData(785)]
    public void Relu_is_TensorPrimitives_max_with_zero(int length)
    {
        var values = Values(length, length);
        var expected = new float[length];
        TensorPrimitives.Max(values, 0f, expected);
        var actual = (float[])values.Clone();
        DenseBernoulliStep.Relu(actual);
        AssertSameBits(expected, actual, $"ReLU of {length} values");
        if (length > 4) Assert.Contains(actual, v => v == 0); // there were negatives to clamp
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(400)]
    [InlineData(787)]
    public void AddInto_is_TensorPrimitives_add(int length)
    {
        var into = Values(length, 2 * length + 1);
        var terms = Values(length, 3 * length + 2);
        var expected = new float[length];
        TensorPrimitives.Add(into, terms, expected);
        DenseBernoulliStep.AddInto(into, terms);
        AssertSameBits(expected, into, $"the sum of {length} pairs");
    }

    [Fact]
    public void AddInto_refuses_spans_of_different_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => DenseBernoulliStep.AddInto(new float[8], new float[7]));
        Assert.Equal("values", error.ParamName);
        Assert.Contains("8 and 7", error.Message, StringComparison.Ordinal);
    }
}
