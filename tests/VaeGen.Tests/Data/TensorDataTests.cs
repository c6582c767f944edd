using System;
using System.Collections.Generic;
using System.Linq;
using VaeGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Data;

/// <summary>Arrays and sequences of rows become [count, features] float32 tensors; uneven rows are refused with their index.</summary>
public sealed class TensorDataTests
{
    [Fact]
    public void Rectangular_array_keeps_row_major_order()
    {
        using var t = TensorData.FromRows(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.data<float>().ToArray());
    }

    [Fact]
    public void Jagged_array_and_lazy_sequence_give_the_same_tensor()
    {
        float[][] rows = [[1, 2], [3, 4], [5, 6]];
        using var fromArray = TensorData.FromRows(rows);
        using var fromSequence = TensorData.FromRows(Enumerable.Range(0, 3).Select(i => new float[] { 2 * i + 1, 2 * i + 2 }));
        Assert.Equal(new long[] { 3, 2 }, fromSequence.shape);
        Assert.Equal(fromArray.data<float>().ToArray(), fromSequence.data<float>().ToArray());
    }

    [Fact]
    public void Many_rows_grow_the_buffer_without_losing_any()
    {
        using var t = TensorData.FromRows(Enumerable.Range(0, 5000).Select(i => new float[] { i, -i, 0.5f }));
        Assert.Equal(new long[] { 5000, 3 }, t.shape);
        var values = t.data<float>().ToArray();
        Assert.Equal(4999f, values[4999 * 3]);
        Assert.Equal(-4999f, values[4999 * 3 + 1]);
    }

    [Fact]
    public void A_row_of_another_width_is_refused_with_its_index_and_both_widths()
    {
        float[][] rows = [[1, 2, 3], [4, 5, 6], [7, 8]];
        var error = Assert.Throws<ArgumentException>(() => TensorData.FromRows(rows));
        Assert.Equal("rows", error.ParamName);
        Assert.Contains("rows[2] has 2 values, but rows[0] has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_width_is_checked_from_the_first_row()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorData.FromRows(new[] { new float[] { 1, 2 } }, features: 3));
        Assert.Contains("rows[0] has 2 values, but features is 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_and_empty_rows_and_empty_sequences_are_refused()
    {
        Assert.Contains("rows[1] is null", Assert.Throws<ArgumentException>(() => TensorData.FromRows(new float[][] { [1], null! })).Message, StringComparison.Ordinal);
        Assert.Contains("rows[0] is empty", Assert.Throws<ArgumentException>(() => TensorData.FromRows(new float[][] { [] })).Message, StringComparison.Ordinal);
        Assert.Contains("rows is empty", Assert.Throws<ArgumentException>(() => TensorData.FromRows(new List<float[]>())).Message, StringComparison.Ordinal);
        Assert.Contains("0 x 3 array", Assert.Throws<ArgumentException>(() => TensorData.FromRows(new float[0, 3])).Message, StringComparison.Ordinal);
    }
}
