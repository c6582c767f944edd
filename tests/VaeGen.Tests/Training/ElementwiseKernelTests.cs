using System;
using System.Linq;
using System.Numerics;
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
        [
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, BitConverter.Int32BitsToSingle(0x7FC00000), BitConverter.Int32BitsToSingle(0x7FC01234),
            float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-40f, -1e-40f,
        ];

    /// <summary>
    /// Random values in [-4, 4) with the awkward ones at fixed places: all of them from element 0 (in the vector body,
    /// for lengths of two vectors or more) and, when the length leaves a partial last vector, again in the scalar tail.
    /// </summary>
    private static float[] Values(int length, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        for (var i = 0; i < Awkward.Length && i < length; i++) values[i] = Awkward[(i + seed) % Awkward.Length];
        var tail = length % Vector<float>.Count;
        if (length >= Awkward.Length + Vector<float>.Count)
            for (var i = 0; i < Math.Min(Awkward.Length, tail); i++) values[length - 1 - i] = Awkward[(i + 2 * seed) % Awkward.Length];
        return values;
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
    [InlineData(791)]
    public void Relu_is_TensorPrimitives_max_with_zero(int length)
    {
        var values = Values(length, length);
        var expected = new float[length];
        TensorPrimitives.Max(values, 0f, expected);
        var actual = (float[])values.Clone();
        DenseBernoulliStep.Relu(actual);
        AssertSameBits(expected, actual, $"ReLU of {length} values");
        if (length > 20) Assert.Contains(values, v => v < -float.Epsilon); // negatives to clamp, not only zeros
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
