using System;
using TorchSharp;
using VaeGen.Checks;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// The data-contract checks accept valid data and refuse invalid data with a message that names the model, the rule,
/// the first offending value and its [row, feature] position, and the fix.
/// </summary>
public sealed class ContractCheckTests
{
    private static string Refusal(Action check, string parameterName = "data")
    {
        var error = Assert.Throws<ArgumentException>(check);
        Assert.Equal(parameterName, error.ParamName);
        return error.Message;
    }

    private static void Contains(string expected, string message) => Assert.Contains(expected, message, StringComparison.Ordinal);

    [Fact]
    public void Unit_interval_accepts_probabilities_and_names_the_first_value_outside()
    {
        using var scope = NewDisposeScope();
        TensorChecks.RequireUnitInterval(rand(6, 20), "data", "FashionVae", "Continuous Bernoulli");
        TensorChecks.RequireUnitInterval(tensor(new[] { 0.0, 1.0 }).reshape(1, 2), "data", "FashionVae", "Continuous Bernoulli");
        TensorChecks.RequireUnitInterval(zeros(0, 20), "data", "FashionVae", "Continuous Bernoulli");

        var data = full(6, 20, 0.5f);
        data[4, 11] = tensor(1.25f);
        data[5, 0] = tensor(-0.5f);
        var message = Refusal(() => TensorChecks.RequireUnitInterval(data, "data", "FashionVae", "Continuous Bernoulli"));
        Contains("FashionVae has a Continuous Bernoulli likelihood, so data must hold values in [0, 1], but data[4, 11] is 1.25.", message);
        Contains("range from -0.5 to 1.25", message);
        Contains("divide by 255", message);

        // The three-argument form says Bernoulli and keeps its range wording.
        var bernoulli = Refusal(() => TensorChecks.RequireUnitInterval(data, "data", "FashionVae"));
        Contains("FashionVae has a Bernoulli likelihood", bernoulli);
        Contains("data[4, 11] is 1.25", bernoulli);
    }

    [Fact]
    public void Unit_interval_refuses_NaN_and_reports_the_range_of_the_rest()
    {
        using var scope = NewDisposeScope();
        var data = full(3, 5, 0.25, dtype: ScalarType.Float64);
        data[2, 3] = tensor(double.NaN);
        var message = Refusal(() => TensorChecks.RequireUnitInterval(data, "validation", "TinyVae", "Bernoulli"), "validation");
        Contains("validation[2, 3] is NaN", message);
        Contains("range from 0.25 to 0.25, not counting NaN", message);
        Contains("Replace the missing (NaN) values", message);
    }

    [Fact]
    public void Levels_accept_quantized_pixels_and_name_an_unquantized_value_with_its_scaled_level()
    {
        using var scope = NewDisposeScope();
        var pixels = randint(0, 256, new long[] { 8, 20 }).to_type(ScalarType.Float32).div(255);
        TensorChecks.RequireLevels(pixels, 256, "data", "FashionVae");
        TensorChecks.RequireLevels(tensor(new[] { 0f, 1f, 0.5f }).reshape(1, 3), 3, "data", "FashionVae");

        var data = pixels.clone();
        data[3, 17] = tensor(0.5012f);
        var message = Refusal(() => TensorChecks.RequireLevels(data, 256, "data", "FashionVae"));
        Contains("FashionVae has a Categorical likelihood over 256 levels, so data must hold values k/255 for integer k in [0, 255], but data[3, 17] is 0.5012 (x 255 = 127.806).", message);
        Contains("Quantize the data: round(x * 255) / 255.", message);

        // A value a hair off a level, but more than 1e-3 on the k scale.
        var close = pixels.clone();
        close[0, 2] = tensor((float)(100.0 / 255 + 0.002 / 255));
        Contains("data[0, 2] is", Refusal(() => TensorChecks.RequireLevels(close, 256, "data", "FashionVae")));

        // Unscaled pixels: outside [0, 1], with the scaling advice.
        var raw = pixels.mul(255);
        var rawMessage = Refusal(() => TensorChecks.RequireLevels(raw, 256, "data", "FashionVae"));
        Contains("Scale the data to [0, 1]", rawMessage);

        var missing = pixels.clone();
        missing[7, 0] = tensor(float.NaN);
        var nanMessage = Refusal(() => TensorChecks.RequireLevels(missing, 256, "data", "FashionVae"));
        Contains("data[7, 0] is NaN.", nanMessage);

        Assert.Equal("levels", Assert.Throws<ArgumentOutOfRangeException>(() => TensorChecks.RequireLevels(pixels, 1, "data", "FashionVae")).ParamName);
    }

    [Fact]
    public void Counts_accept_non_negative_integers_and_name_a_fraction_a_negative_or_a_non_finite_value()
    {
        using var scope = NewDisposeScope();
        var counts = randint(0, 1000, new long[] { 5, 7 }).to_type(ScalarType.Float32);
        TensorChecks.RequireCounts(counts, "data", "CountVae");
        TensorChecks.RequireCounts(randint(0, 9, new long[] { 5, 7 }), "data", "CountVae");

        var fraction = counts.clone();
        fraction[1, 2] = tensor(2.5f);
        var message = Refusal(() => TensorChecks.RequireCounts(fraction, "data", "CountVae"));
        Contains("CountVae has a Poisson likelihood, so data must hold finite non-negative integer counts, but data[1, 2] is 2.5.", message);
        Contains("raw event counts", message);

        var negative = counts.clone();
        negative[4, 6] = tensor(-3f);
        Contains("data[4, 6] is -3.", Refusal(() => TensorChecks.RequireCounts(negative, "data", "CountVae")));

        var integerNegative = randint(0, 9, new long[] { 5, 7 });
        integerNegative[0, 3] = tensor(-1L);
        Contains("data[0, 3] is -1.", Refusal(() => TensorChecks.RequireCounts(integerNegative, "data", "CountVae")));

        var infinite = counts.clone();
        infinite[2, 0] = tensor(float.PositiveInfinity);
        Contains("data[2, 0] is Infinity.", Refusal(() => TensorChecks.RequireCounts(infinite, "data", "CountVae")));

        var missing = counts.clone();
        missing[3, 3] = tensor(float.NaN);
        Contains("data[3, 3] is NaN.", Refusal(() => TensorChecks.RequireCounts(missing, "data", "CountVae")));
    }

    [Fact]
    public void Finite_accepts_any_real_values_and_names_the_first_NaN_or_infinity()
    {
        using var scope = NewDisposeScope();
        var data = randn(4, 9).mul(1e6);
        TensorChecks.RequireFinite(data, "data", "GaussianVae");

        var missing = data.clone();
        missing[3, 8] = tensor(float.NaN);
        missing[3, 1] = tensor(float.NegativeInfinity);
        var message = Refusal(() => TensorChecks.RequireFinite(missing, "data", "GaussianVae"));
        Contains("GaussianVae needs finite values in data, but data[3, 1] is -Infinity.", message);
        Contains("Replace missing (NaN) values", message);

        var onlyNaN = data.clone();
        onlyNaN[0, 4] = tensor(float.NaN);
        Contains("data[0, 4] is NaN.", Refusal(() => TensorChecks.RequireFinite(onlyNaN, "data", "GaussianVae")));
    }

    [Fact]
    public void Positions_cover_every_dimension_of_higher_rank_data()
    {
        using var scope = NewDisposeScope();
        var images = zeros(2, 3, 4, dtype: ScalarType.Float64);
        images[1, 2, 3] = tensor(double.PositiveInfinity);
        Contains("images[1, 2, 3] is Infinity.", Refusal(() => TensorChecks.RequireFinite(images, "images", "ConvVae"), "images"));
    }
}
