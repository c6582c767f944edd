using System;
using System.Linq;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>Nice axis steps (1, 2, 5 x 10^k), limits, degenerate ranges and labels.</summary>
public sealed class AxisScaleTests
{
    [Theory]
    [InlineData(0.7, 1.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(1.3, 2.0)]
    [InlineData(2.0, 2.0)]
    [InlineData(2.1, 5.0)]
    [InlineData(7.0, 10.0)]
    [InlineData(0.023, 0.05)]
    [InlineData(340.0, 500.0)]
    [InlineData(12.0, 20.0)]
    public void Steps_are_1_2_or_5_times_a_power_of_ten(double rough, double expected)
    {
        Assert.Equal(expected, AxisScale.NiceStep(rough), 12);
    }

    [Fact]
    public void A_loss_range_gets_round_limits_around_the_data()
    {
        var elbo = AxisScale.Covering(243.7, 297.2, 5);
        Assert.Equal(20, elbo.Step);
        Assert.Equal(240, elbo.Minimum);
        Assert.Equal(300, elbo.Maximum);
        Assert.Equal(new[] { 240.0, 260.0, 280.0, 300.0 }, elbo.Ticks);
        Assert.Equal("260", elbo.Format(260));

        var kl = AxisScale.Covering(15.3, 29.1, 5);
        Assert.Equal((15.0, 30.0, 5.0), (kl.Minimum, kl.Maximum, kl.Step));
    }

    [Fact]
    public void Fractional_steps_give_exact_labels_and_a_plain_zero()
    {
        var axis = AxisScale.Covering(-0.12, 0.13, 5);
        Assert.Equal(0.05, axis.Step, 12);
        Assert.Equal(2, axis.Decimals);
        Assert.Contains(0.0, axis.Ticks);
        Assert.Equal(new[] { "-0.15", "-0.10", "-0.05", "0.00", "0.05", "0.10", "0.15" }, axis.Ticks.Select(axis.Format).ToArray());
    }

    [Theory]
    [InlineData(250.0, 200.0, 300.0)]
    [InlineData(0.0, -1.0, 1.0)]
    [InlineData(-3.0, -3.6, -2.4)]
    [InlineData(double.NaN, 0.0, 1.0)]
    [InlineData(double.PositiveInfinity, 0.0, 1.0)]
    public void A_flat_or_non_finite_range_is_widened(double value, double minimum, double maximum)
    {
        var axis = AxisScale.Covering(value, value);
        Assert.Equal(minimum, axis.Minimum, 9);
        Assert.Equal(maximum, axis.Maximum, 9);
        Assert.True(axis.Ticks.Count >= 2);
    }

    [Fact]
    public void Huge_values_use_scientific_notation()
    {
        var axis = AxisScale.Covering(0, 3.2e7, 4);
        Assert.Equal("1E+7", axis.Format(1e7));
        Assert.Equal(0.5, axis.Fraction((axis.Minimum + axis.Maximum) / 2), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => AxisScale.Covering(0, 1, 0));
    }
}
