using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeGen.Tests.Export;

/// <summary>
/// The exported encoder inside an ML.NET pipeline: <c>ApplyOnnxModel</c> (Microsoft.ML.OnnxTransformer on ONNX Runtime)
/// adds the posterior mean as a latent-feature column to an <see cref="IDataView"/>, which agrees with the TorchSharp
/// model's <c>Encode</c> row by row within the export tests' tolerance.
/// </summary>
public sealed class MlNetTests(ITestOutputHelper log)
{
    private const int Rows = 9;

    /// <summary>A row as an application holds it: an id, the features the model reads, and a column the model does not know.</summary>
    private sealed class Example
    {
        public int Id { get; set; }

        [VectorType(BernoulliVae.InputSize)]
        public float[] Pixels { get; set; } = [];

        public string Note { get; set; } = "";
    }

    /// <summary>A row of a feature-conditioned model: the image and its two condition features.</summary>
    private sealed class ConditionedExample
    {
        [VectorType(FeatureConditionVae.InputSize)]
        public float[] Image { get; set; } = [];

        [VectorType(FeatureConditionVae.ConditionSize)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void ApplyOnnxModel_adds_the_encoders_latent_features_as_a_column()
    {
        manual_seed(41);
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        OnnxHarness.Perturb(model, 43);
        using var directory = new TempDirectory("mlnet");
        var files = model.ExportOnnx(directory.Path);
        var x = bernoulli(full(Rows, BernoulliVae.InputSize, 0.5));

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i =>
            new Example { Id = i, Pixels = x[i].data<float>().ToArray(), Note = $"row {i}" }));
        // The graph's input is named x: the pipeline copies the application's column to that name, runs the encoder, and
        // keeps its mu under a name of the application's choosing.
        var pipeline = ml.Transforms.CopyColumns("x", nameof(Example.Pixels))
            .Append(ml.Transforms.ApplyOnnxModel(outputColumnNames: ["mu"], inputColumnNames: ["x"], modelFile: files.Encoder))
            .Append(ml.Transforms.CopyColumns("LatentFeatures", "mu"));
        var transformed = pipeline.Fit(data).Transform(data);

        var column = transformed.Schema["LatentFeatures"];
        var type = Assert.IsType<VectorDataViewType>(column.Type);
        Assert.Equal(NumberDataViewType.Single, type.ItemType);
        Assert.Equal(BernoulliVae.LatentSize, type.Size);
        // The application's own columns pass through, in their order.
        Assert.Equal(Enumerable.Range(0, Rows), transformed.GetColumn<int>(nameof(Example.Id)));
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => $"row {i}"), transformed.GetColumn<string>(nameof(Example.Note)));

        using var noGrad = no_grad();
        var (mu, _) = model.Encode(x);
        AssertRowsAgree(transformed.GetColumn<float[]>("LatentFeatures").ToArray(), mu, "BernoulliVae");
    }

    [Fact]
    public void ApplyOnnxModel_feeds_a_feature_condition_from_its_own_column()
    {
        manual_seed(47);
        using var scope = NewDisposeScope();
        using var model = new FeatureConditionVae();
        OnnxHarness.Perturb(model, 53);
        using var directory = new TempDirectory("mlnet");
        var files = model.ExportOnnx(directory.Path);
        var x = rand(Rows, FeatureConditionVae.InputSize);
        var condition = randn(Rows, FeatureConditionVae.ConditionSize);

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i =>
            new ConditionedExample { Image = x[i].data<float>().ToArray(), Features = condition[i].data<float>().ToArray() }));
        // ApplyOnnxModel reads its inputs by the graph's names, x and condition.
        var pipeline = ml.Transforms.CopyColumns("x", nameof(ConditionedExample.Image))
            .Append(ml.Transforms.CopyColumns("condition", nameof(ConditionedExample.Features)))
            .Append(ml.Transforms.ApplyOnnxModel(outputColumnNames: ["mu", "log_var"], inputColumnNames: ["x", "condition"], modelFile: files.Encoder));
        var transformed = pipeline.Fit(data).Transform(data);

        using var noGrad = no_grad();
        var (mu, logVar) = model.Encode(x, condition);
        AssertRowsAgree(transformed.GetColumn<float[]>("mu").ToArray(), mu, "FeatureConditionVae mu");
        AssertRowsAgree(transformed.GetColumn<float[]>("log_var").ToArray(), logVar, "FeatureConditionVae log_var");
    }

    private void AssertRowsAgree(float[][] rows, Tensor expected, string what)
    {
        Assert.Equal(Rows, rows.Length);
        var (worst, absolute, _) = OnnxHarness.Agreement(rows.SelectMany(r => r).ToArray(), expected);
        log.WriteLine($"{what} through ML.NET: max |difference| {absolute:E2}, {worst:F3} of the tolerance");
        Assert.True(worst <= 1, $"{what} from the ML.NET column is off by up to {absolute:E3}, beyond {OnnxHarness.Absolute} + {OnnxHarness.Relative} |value|");
    }
}
