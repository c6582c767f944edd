using System;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// Every public entry point of a generated model checks the tensors it is given (dtype, device, rank, width and, in the
/// data-set methods, the values) and refuses a bad one with an ArgumentException naming the parameter, the model, what
/// is wrong and the fix, instead of failing deep in libtorch or returning NaN.
/// </summary>
public sealed class InputCheckTests
{
    private static string Refusal(Action call, string parameterName)
    {
        var error = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameterName, error.ParamName);
        return error.Message;
    }

    private static void Contains(string expected, string message) => Assert.Contains(expected, message, StringComparison.Ordinal);

    /// <summary>A float64 tensor given to a float32 model: both dtypes, the model, and both ways out.</summary>
    private static void AssertFloat64Refused(Action call, string parameterName, string model)
    {
        var message = Refusal(call, parameterName);
        Contains($"{model}'s parameters are Float32", message);
        Contains($"{parameterName} is Float64", message);
        Contains($"{parameterName}.to(ScalarType.Float32)", message);
        Contains("model.to(ScalarType.Float64)", message);
    }

    /// <summary>An integer tensor given where floating-point data goes: its dtype, the model's, and the conversion.</summary>
    private static void AssertIntegerRefused(Action call, string parameterName, string model, string dtype = "Int64")
    {
        var message = Refusal(call, parameterName);
        Contains($"{model}'s parameters are Float32", message);
        Contains($"{parameterName} is {dtype}", message);
        Contains($"{parameterName}.to(ScalarType.Float32)", message);
    }

    private static TrainingOptions OneEpoch => new() { Epochs = 1, BatchSize = 4 };

    [Fact]
    public void A_dense_model_refuses_float64_at_every_entry_point()
    {
        using var scope = NewDisposeScope();
        manual_seed(60);
        using var model = new BernoulliVae();
        var wide = rand(5, 12, dtype: ScalarType.Float64);
        var x = rand(5, 12);
        const string name = nameof(BernoulliVae);
        AssertFloat64Refused(() => model.Fit(wide, OneEpoch), "data", name);
        AssertFloat64Refused(() => model.Fit(x, OneEpoch with { ValidationData = wide }), "options.ValidationData", name);
        AssertFloat64Refused(() => model.forward(wide), "x", name);
        AssertFloat64Refused(() => model.Encode(wide), "x", name);
        AssertFloat64Refused(() => model.Decode(randn(5, 3, dtype: ScalarType.Float64)), "z", name);
        AssertFloat64Refused(() => model.DecodeMean(randn(5, 3, dtype: ScalarType.Float64)), "z", name);
        AssertFloat64Refused(() => model.Loss(wide, model.forward(x)), "x", name);
        AssertFloat64Refused(() => model.Reconstruct(wide), "x", name);
        AssertFloat64Refused(() => model.Interpolate(wide, x, 3), "x1", name);
        AssertFloat64Refused(() => model.Interpolate(x, wide, 3), "x2", name);
        AssertFloat64Refused(() => model.LogLikelihood(wide, 2), "x", name);
        var (mu, logVar) = model.Encode(x);
        AssertFloat64Refused(() => model.LogImportanceWeights(wide, mu, logVar, randn(2, 5, 3)), "x", name);
        AssertFloat64Refused(() => model.LogImportanceWeights(x, mu, logVar, randn(2, 5, 3, dtype: ScalarType.Float64)), "eps", name);
        AssertFloat64Refused(() => model.Evaluate(wide), "data", name);
        AssertFloat64Refused(() => model.LatentUsage(wide), "data", name);
    }

    [Fact]
    public void Integer_tensors_are_refused_where_floating_point_data_goes()
    {
        using var scope = NewDisposeScope();
        manual_seed(61);
        using var model = new BernoulliVae();
        // What torch.tensor(long[]) or randint gives: binary pixels as Int64.
        var pixels = randint(0, 2, new long[] { 6, 12 });
        const string name = nameof(BernoulliVae);
        AssertIntegerRefused(() => model.Fit(pixels, OneEpoch), "data", name);
        AssertIntegerRefused(() => model.forward(pixels), "x", name);
        AssertIntegerRefused(() => model.Encode(pixels), "x", name);
        AssertIntegerRefused(() => model.Evaluate(pixels), "data", name);
        AssertIntegerRefused(() => model.LogLikelihood(pixels, 2), "x", name);
        AssertIntegerRefused(() => model.Reconstruct(pixels.to_type(ScalarType.Byte)), "x", name, "Byte");

        // Counts are integers, but a Poisson model computes in floating point: the refusal says how to convert them.
        using var poisson = new PoissonVae();
        AssertIntegerRefused(() => poisson.Fit(randint(0, 9, new long[] { 8, 6 }), OneEpoch), "data", nameof(PoissonVae));
    }

    [Fact]
    public void Convolutional_and_flow_models_refuse_float64_too()
    {
        using var scope = NewDisposeScope();
        manual_seed(62);
        using var conv = new ConvVae();
        var images = rand(3, 144, dtype: ScalarType.Float64);
        AssertFloat64Refused(() => conv.Fit(images, OneEpoch), "data", nameof(ConvVae));
        AssertFloat64Refused(() => conv.forward(images), "x", nameof(ConvVae));
        AssertFloat64Refused(() => conv.Encode(images), "x", nameof(ConvVae));
        AssertFloat64Refused(() => conv.Evaluate(images), "data", nameof(ConvVae));
        AssertFloat64Refused(() => conv.LogLikelihood(images, 2), "x", nameof(ConvVae));

        using var planar = new PlanarVae();
        var wide = rand(4, 6, dtype: ScalarType.Float64);
        AssertFloat64Refused(() => planar.Fit(wide, OneEpoch), "data", nameof(PlanarVae));
        AssertFloat64Refused(() => planar.forward(wide), "x", nameof(PlanarVae));
        AssertFloat64Refused(() => planar.Evaluate(wide), "data", nameof(PlanarVae));
        AssertFloat64Refused(() => planar.LogLikelihood(wide, 2), "x", nameof(PlanarVae));

        using var iaf = new IafVae();
        AssertFloat64Refused(() => iaf.Encode(wide), "x", nameof(IafVae));
        AssertFloat64Refused(() => iaf.Reconstruct(wide), "x", nameof(IafVae));
        AssertIntegerRefused(() => iaf.Evaluate(randint(0, 2, new long[] { 4, 6 })), "data", nameof(IafVae));
    }

    [Fact]
    public void Conditional_models_check_the_data_and_the_condition()
    {
        using var scope = NewDisposeScope();
        manual_seed(63);
        using var labelled = new LabelVae();
        var labels = tensor(new long[] { 0, 1, 2, 1 });
        var wide = rand(4, 6, dtype: ScalarType.Float64);
        AssertFloat64Refused(() => labelled.Fit(wide, labels, OneEpoch), "data", nameof(LabelVae));
        AssertFloat64Refused(() => labelled.forward(wide, labels), "x", nameof(LabelVae));
        AssertFloat64Refused(() => labelled.Encode(wide, labels), "x", nameof(LabelVae));
        AssertFloat64Refused(() => labelled.Evaluate(wide, labels), "data", nameof(LabelVae));
        AssertFloat64Refused(() => labelled.LogLikelihood(wide, labels, 2), "x", nameof(LabelVae));
        // One label per example: four examples and three labels is said in those words, not by a concatenation deep in libtorch.
        var rows = Refusal(() => labelled.forward(rand(4, 6), tensor(new long[] { 0, 1, 2 })), "condition");
        Contains("[3]", rows);
        Contains("[4, 6]", rows);
        // Labels must be integers even for the data-set methods, and are named as the caller named them.
        Contains("Float32", Refusal(() => labelled.Evaluate(rand(4, 6), labels.to_type(ScalarType.Float32)), "conditions"));

        using var steered = new FeatureConditionVae();
        var x = rand(3, 16);
        var condition = randn(3, 2);
        AssertFloat64Refused(() => steered.forward(x, condition.to_type(ScalarType.Float64)), "condition", nameof(FeatureConditionVae));
        AssertIntegerRefused(() => steered.Encode(x, randint(0, 3, new long[] { 3, 2 })), "condition", nameof(FeatureConditionVae));
        AssertFloat64Refused(() => steered.Evaluate(x, condition.to_type(ScalarType.Float64)), "conditions", nameof(FeatureConditionVae));
        AssertFloat64Refused(() => steered.Fit(x, condition.to_type(ScalarType.Float64), OneEpoch), "conditions", nameof(FeatureConditionVae));
        Contains("[2, 2]", Refusal(() => steered.Decode(randn(3, 2), randn(2, 2)), "condition"));
    }

    [Fact]
    public void Data_set_methods_forward_and_Loss_take_a_two_dimensional_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(64);
        using var model = new BernoulliVae();
        var cube = rand(2, 5, 12);
        foreach (var (call, parameterName) in new (Action, string)[]
        {
            (() => model.Fit(cube, OneEpoch), "data"),
            (() => model.Evaluate(cube), "data"),
            (() => model.LatentUsage(cube), "data"),
            (() => model.LogLikelihood(cube, 2), "x"),
            (() => model.forward(cube), "x"),
            (() => model.Loss(cube, model.forward(rand(2, 12))), "x"),
        })
        {
            var message = Refusal(call, parameterName);
            Contains(nameof(BernoulliVae), message);
            Contains("[batch, 12]", message);
            Contains("[2, 5, 12]", message);
        }

        // Encode and Reconstruct keep taking leading dimensions.
        Assert.Equal(new long[] { 2, 5, 3 }, model.Encode(cube).Mu.shape);
        Assert.Equal(new long[] { 2, 5, 12 }, model.Reconstruct(cube).shape);
    }

    [Fact]
    public void LogLikelihood_and_LatentUsage_refuse_NaN_naming_its_position()
    {
        using var scope = NewDisposeScope();
        manual_seed(65);
        using var bernoulli = new BernoulliVae();
        var pixels = rand(4, 12);
        pixels[2, 7] = tensor(float.NaN);
        Contains("x[2, 7] is NaN", Refusal(() => bernoulli.LogLikelihood(pixels, 3), "x"));
        Contains("data[2, 7] is NaN", Refusal(() => bernoulli.LatentUsage(pixels), "data"));

        using var gaussian = new GaussianVae();
        var readings = randn(3, 10);
        readings[1, 4] = tensor(float.NaN);
        Contains("x[1, 4] is NaN", Refusal(() => gaussian.LogLikelihood(readings, 3), "x"));

        using var labelled = new LabelVae();
        var x = rand(2, 6);
        x[1, 0] = tensor(float.NaN);
        Contains("x[1, 0] is NaN", Refusal(() => labelled.LogLikelihood(x, tensor(new long[] { 0, 2 }), 3), "x"));
    }

    [Fact]
    public void An_input_on_another_device_is_refused_naming_both_devices()
    {
        // No GPU here: the meta device (shapes without storage) stands in for "another device than the parameters'".
        using var scope = NewDisposeScope();
        manual_seed(66);
        using var model = new BernoulliVae();
        var elsewhere = empty(new long[] { 5, 12 }, device: new Device(DeviceType.META));
        foreach (var (call, parameterName) in new (Action, string)[]
        {
            (() => model.forward(elsewhere), "x"),
            (() => model.Encode(elsewhere), "x"),
            (() => model.Reconstruct(elsewhere), "x"),
        })
        {
            var message = Refusal(call, parameterName);
            Contains($"{nameof(BernoulliVae)}'s parameters are on cpu", message);
            Contains($"{parameterName} is on meta", message);
        }
    }
}
