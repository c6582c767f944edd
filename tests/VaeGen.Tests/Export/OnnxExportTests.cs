using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TorchSharp;
using VaeGen.Export;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeGen.Tests.Export;

/// <summary>
/// ExportOnnx for declarations of every kind: the exported graphs, run in ONNX Runtime, agree with the TorchSharp model
/// (see <see cref="OnnxHarness.Absolute"/> for the tolerance), and the comparison fails for a wrong activation or a
/// transposed weight. Also the files' form (opset, batch dimension, names, metadata) and writing errors.
/// </summary>
public sealed class OnnxExportTests(ITestOutputHelper log)
{
    /// <summary>Every model under test, by name: each layer kind, likelihood, activation, condition, prior and flow.</summary>
    private static readonly Dictionary<string, Func<nn.Module>> Models = new()
    {
        [nameof(BernoulliVae)] = () => new BernoulliVae(),
        [nameof(GaussianVae)] = () => new GaussianVae(),
        [nameof(LearnedVarianceVae)] = () => new LearnedVarianceVae(),
        [nameof(MultiSampleVae)] = () => new MultiSampleVae(),
        [nameof(LinearVae)] = () => new LinearVae(),
        [nameof(DeepVae)] = () => new DeepVae(),
        [nameof(LeakyEluVae)] = () => new LeakyEluVae(),
        [nameof(GeluSoftplusVae)] = () => new GeluSoftplusVae(),
        [nameof(ConvVae)] = () => new ConvVae(),
        [nameof(ConvLearnedVarianceVae)] = () => new ConvLearnedVarianceVae(),
        [nameof(ConvCategoricalVae)] = () => new ConvCategoricalVae(),
        [nameof(LaplaceVae)] = () => new LaplaceVae(),
        [nameof(LaplaceLearnedScaleVae)] = () => new LaplaceLearnedScaleVae(),
        [nameof(ContinuousBernoulliVae)] = () => new ContinuousBernoulliVae(),
        [nameof(CategoricalVae)] = () => new CategoricalVae(),
        [nameof(PoissonVae)] = () => new PoissonVae(),
        [nameof(LabelVae)] = () => new LabelVae(),
        [nameof(FeatureConditionVae)] = () => new FeatureConditionVae(),
        [nameof(MixtureVae)] = () => new MixtureVae(),
        [nameof(VampVae)] = () => new VampVae(),
        [nameof(VampConvLabelVae)] = () => new VampConvLabelVae(),
        [nameof(PlanarVae)] = () => new PlanarVae(),
        [nameof(IafVae)] = () => new IafVae(),
        [nameof(IwaeVae)] = () => new IwaeVae(),
        [nameof(IwaeFlowMixtureVae)] = () => new IwaeFlowMixtureVae(),
        [nameof(SigmoidTanhVae)] = () => new SigmoidTanhVae(),
        [nameof(ReluMeanVae)] = () => new ReluMeanVae(),
        [nameof(LeakyReluMeanVae)] = () => new LeakyReluMeanVae(),
        [nameof(GeluMeanVae)] = () => new GeluMeanVae(),
        [nameof(SiluLocationVae)] = () => new SiluLocationVae(),
        [nameof(EluMeanVae)] = () => new EluMeanVae(),
        [nameof(ConvSoftplusLocationVae)] = () => new ConvSoftplusLocationVae(),
        [nameof(StandardizedGaussianVae)] = () => new StandardizedGaussianVae(),
        [nameof(MinMaxLabelBernoulliVae)] = () => new MinMaxLabelBernoulliVae(),
        [nameof(StandardizedConvLaplaceVae)] = () => new StandardizedConvLaplaceVae(),
        [nameof(MinMaxFlowLearnedVarianceVae)] = () => new MinMaxFlowLearnedVarianceVae(),
    };

    public static TheoryData<string> ModelNames => new(Models.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(ModelNames))]
    public void The_exported_graphs_compute_what_the_model_computes(string name)
    {
        manual_seed(17);
        using var scope = NewDisposeScope();
        using var model = Models[name]();
        OnnxHarness.Perturb(model, 23);
        using var directory = new TempDirectory("onnx");
        foreach (var graph in OnnxHarness.Cases(model, directory.Path, 29))
        {
            var actual = OnnxHarness.Run(graph.Bytes, graph.Inputs);
            Assert.Equal(graph.Expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (output, expected) in graph.Expected)
            {
                var (worst, absolute, relative) = OnnxHarness.Agreement(actual[output], expected);
                log.WriteLine($"{name} {graph.What} {output}: max |difference| {absolute:E2}, max relative {relative:E2}, {worst:F3} of the tolerance");
                Assert.True(worst <= 1,
                    $"{name}'s {graph.What} graph gives {output} off by up to {absolute:E3} (relative {relative:E3}), beyond {OnnxHarness.Absolute} + {OnnxHarness.Relative} |value|");
            }
        }
    }

    /// <summary>An activation node swapped for another, and how to swap it: each must make some output disagree.</summary>
    private static readonly Dictionary<string, string> Swaps = new()
    {
        ["Relu"] = "Softplus", ["LeakyRelu"] = "Relu", ["Tanh"] = "Sigmoid", ["Sigmoid"] = "Tanh", ["Elu"] = "Relu",
        ["Softplus"] = "Relu", ["Erf"] = "Tanh",
    };

    [Theory]
    [InlineData(nameof(BernoulliVae))]
    [InlineData(nameof(DeepVae))]
    [InlineData(nameof(LeakyEluVae))]
    [InlineData(nameof(GeluSoftplusVae))]
    [InlineData(nameof(SigmoidTanhVae))]
    [InlineData(nameof(ConvSoftplusLocationVae))]
    public void The_comparison_catches_every_wrong_activation(string name)
    {
        manual_seed(17);
        using var scope = NewDisposeScope();
        using var model = Models[name]();
        OnnxHarness.Perturb(model, 23);
        using var directory = new TempDirectory("onnx");
        var mutants = 0;
        foreach (var graph in OnnxHarness.Cases(model, directory.Path, 29).Where(c => c.What != "score at eps = 0"))
        {
            var original = ModelProto.Parser.ParseFrom(graph.Bytes);
            for (var i = 0; i < original.Graph.Node.Count; i++)
            {
                if (!Swaps.TryGetValue(original.Graph.Node[i].OpType, out var swap)) continue;
                var mutant = original.Clone();
                var node = mutant.Graph.Node[i];
                node.OpType = swap;
                node.Attribute.Clear();
                var actual = OnnxHarness.Run(mutant.ToByteArray(), graph.Inputs);
                var worst = graph.Expected.Max(e => OnnxHarness.Agreement(actual[e.Key], e.Value).Worst);
                log.WriteLine($"{name} {graph.What}: {original.Graph.Node[i].OpType} -> {swap} puts it {worst:F0} tolerances off");
                Assert.True(worst > 1, $"{name}'s {graph.What} graph with node {i} ({original.Graph.Node[i].OpType}) made {swap} still agrees.");
                mutants++;
            }
        }
        Assert.True(mutants > 0, $"{name}'s graphs have no activation node to swap.");
    }

    [Fact]
    public void The_comparison_catches_a_transposed_square_weight()
    {
        manual_seed(17);
        using var scope = NewDisposeScope();
        using var model = new IafVae(); // MADE hidden layers of 10 x 10: a transposed weight still has the right shape
        OnnxHarness.Perturb(model, 23);
        using var directory = new TempDirectory("onnx");
        var graph = OnnxHarness.Cases(model, directory.Path, 29).Single(c => c.What == "score");
        var mutant = ModelProto.Parser.ParseFrom(graph.Bytes);
        var weight = mutant.Graph.Initializer.Single(t => t.Name == "flow.steps.0.hidden2.masked_weight");
        Assert.Equal(new long[] { 10, 10 }, weight.Dims);
        var values = new float[100];
        Buffer.BlockCopy(weight.RawData.ToByteArray(), 0, values, 0, 400);
        var transposed = new float[100];
        for (var i = 0; i < 10; i++) for (var j = 0; j < 10; j++) transposed[j * 10 + i] = values[i * 10 + j];
        var bytes = new byte[400];
        Buffer.BlockCopy(transposed, 0, bytes, 0, 400);
        weight.RawData = ByteString.CopyFrom(bytes);
        var actual = OnnxHarness.Run(mutant.ToByteArray(), graph.Inputs);
        var worst = OnnxHarness.Agreement(actual["negative_elbo"], graph.Expected["negative_elbo"]).Worst;
        log.WriteLine($"transposed MADE weight: {worst:F0} tolerances off");
        Assert.True(worst > 1);
    }

    [Fact]
    public void The_files_state_their_opset_names_batch_dimension_and_model()
    {
        manual_seed(3);
        using var model = new LabelVae();
        using var directory = new TempDirectory("onnx");
        var files = model.ExportOnnx(directory.Path);
        Assert.Equal(new[] { "decoder.onnx", "encoder.onnx", "prior.onnx", "score.onnx" },
            Directory.GetFiles(directory.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Path.Combine(Path.GetFullPath(directory.Path), "encoder.onnx"), files.Encoder);

        foreach (var (file, inputs, outputs) in new[]
        {
            (files.Encoder, new[] { "x", "condition" }, new[] { "mu", "log_var" }),
            (files.Decoder, new[] { "z", "condition" }, new[] { "logits", "mean" }),
            (files.Score, new[] { "x", "condition", "eps" }, new[] { "negative_elbo" }),
            (files.Prior, new[] { "eps" }, new[] { "z" }),
        })
        {
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(file));
            Assert.Equal(OnnxExport.IrVersion, proto.IrVersion);
            Assert.Equal(17, proto.OpsetImport.Single().Version);
            Assert.Equal("", proto.OpsetImport.Single().Domain);
            using var session = new InferenceSession(file);
            Assert.Equal(inputs, session.InputMetadata.Keys);
            Assert.Equal(outputs, session.OutputMetadata.Keys);
            Assert.All(session.InputMetadata.Values.Concat(session.OutputMetadata.Values), m => Assert.Equal(-1, m.Dimensions[0]));
            Assert.Equal("batch", session.InputMetadata[inputs[0]].SymbolicDimensions[0]);
            if (inputs.Contains("condition")) Assert.Equal(typeof(long), session.InputMetadata["condition"].ElementType);
            var metadata = session.ModelMetadata.CustomMetadataMap;
            Assert.Equal("VaeGen.Tests.LabelVae", metadata["vaegen.model"]);
            Assert.Equal(LabelVae.Architecture, metadata["vaegen.architecture"]);
            Assert.Equal("VaeGen", session.ModelMetadata.ProducerName);
        }

        // The same session takes any batch size.
        using var encoder = new InferenceSession(files.Encoder);
        foreach (var batch in new[] { 1, 7 })
        {
            var x = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(new float[batch * LabelVae.InputSize], new[] { batch, LabelVae.InputSize });
            var labels = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(new long[batch], new[] { batch });
            using var results = encoder.Run(new[] { NamedOnnxValue.CreateFromTensor("x", x), NamedOnnxValue.CreateFromTensor("condition", labels) });
            Assert.Equal(new[] { batch, LabelVae.LatentSize }, results.First().AsTensor<float>().Dimensions.ToArray());
        }
    }

    [Fact]
    public void A_label_out_of_range_gives_a_zero_one_hot_row()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        using var model = new LabelVae();
        OnnxHarness.Perturb(model, 5);
        using var directory = new TempDirectory("onnx");
        var files = model.ExportOnnx(directory.Path);
        var x = rand(2, LabelVae.InputSize);
        var outOfRange = OnnxHarness.Run(File.ReadAllBytes(files.Encoder), new[] { ("x", x), ("condition", tensor(new long[] { 3, -1 })) });
        // The encoder with an all-zero condition: its first layer sees x and zeros.
        using var noGrad = no_grad();
        var weight = model.named_parameters().Single(p => p.name == "encoder.linear1.weight").parameter;
        var bias = model.named_parameters().Single(p => p.name == "encoder.linear1.bias").parameter;
        var hidden = nn.functional.relu(nn.functional.linear(cat(new[] { x, zeros(2, 3) }, 1), weight, bias));
        var mu = nn.functional.linear(hidden,
            model.named_parameters().Single(p => p.name == "encoderMu.weight").parameter,
            model.named_parameters().Single(p => p.name == "encoderMu.bias").parameter);
        Assert.True(OnnxHarness.Agreement(outOfRange["mu"], mu).Worst <= 1);
    }

    [Fact]
    public void A_folder_that_cannot_be_made_is_an_IOException_naming_it_and_nothing_is_written()
    {
        using var model = new BernoulliVae();
        using var directory = new TempDirectory("onnx");
        var blocker = directory.Write("not-a-folder", new byte[] { 1 });
        var target = Path.Combine(blocker, "export");
        var error = Assert.Throws<IOException>(() => model.ExportOnnx(target));
        Assert.Contains(target, error.Message);
        Assert.Equal(new[] { blocker }, Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void A_folder_in_the_way_of_a_file_is_an_IOException_naming_it_and_no_file_is_written()
    {
        using var model = new BernoulliVae();
        using var directory = new TempDirectory("onnx");
        Directory.CreateDirectory(directory.File("score.onnx"));
        var error = Assert.Throws<IOException>(() => model.ExportOnnx(directory.Path));
        Assert.Contains(directory.File("score.onnx"), error.Message);
        // Not even the encoder and decoder, and no temporary file left behind.
        Assert.Equal(new[] { directory.File("score.onnx") }, Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void Exporting_again_replaces_the_files_with_the_current_weights()
    {
        manual_seed(3);
        using var scope = NewDisposeScope();
        using var model = new BernoulliVae();
        using var directory = new TempDirectory("onnx");
        var before = File.ReadAllBytes(model.ExportOnnx(directory.Path).Decoder);
        OnnxHarness.Perturb(model, 9);
        var files = model.ExportOnnx(directory.Path);
        Assert.NotEqual(before, File.ReadAllBytes(files.Decoder));
        Assert.Equal(4, Directory.GetFileSystemEntries(directory.Path).Length);
        var z = randn(2, BernoulliVae.LatentSize);
        using var noGrad = no_grad();
        var actual = OnnxHarness.Run(File.ReadAllBytes(files.Decoder), new[] { ("z", z) });
        Assert.True(OnnxHarness.Agreement(actual["mean"], model.DecodeMean(z)).Worst <= 1);
    }
}
