using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.PyBridge;
using VaeGen.Tests.Data;
using Xunit;
using static TorchSharp.torch;
using Elsewhere = VaeGen.Tests.Checkpoints.Elsewhere;
using Original = VaeGen.Tests.Checkpoints.Original;
using Wider = VaeGen.Tests.Checkpoints.Wider;

namespace VaeGen.Tests.Weights;

/// <summary>
/// Weights as PyTorch state_dict and safetensors files: a bit-exact round trip, files PyTorch itself wrote, and every
/// refusal (missing, extra, mis-shaped or mis-typed tensor, not a weights file) naming the tensor and leaving the
/// model untouched.
/// </summary>
public sealed class ModelWeightsTests : IDisposable
{
    private readonly TempDirectory temporary = new("weights");

    public void Dispose() => temporary.Dispose();

    public static TheoryData<string> Formats => new() { "pt", "safetensors" };

    private static void Save(nn.Module model, string format, string path)
    {
        if (format == "pt") model.SavePyTorch(path);
        else model.SaveSafetensors(path);
    }

    private static void Load(nn.Module model, string format, string path)
    {
        if (format == "pt") model.LoadPyTorch(path);
        else model.LoadSafetensors(path);
    }

    /// <summary>Writes a hand-made state dict in the format, as another tool might.</summary>
    private static void WriteRaw(string format, string path, Dictionary<string, Tensor> tensors)
    {
        using var stream = File.Create(path);
        if (format == "pt") PyTorchPickler.PickleStateDict(stream, tensors, leaveOpen: true);
        else Safetensors.SaveStateDict(stream, tensors, leaveOpen: true);
    }

    private static T New<T>(long seed, Func<T> create)
    {
        manual_seed(seed);
        return create();
    }

    private static Dictionary<string, Tensor> Copy(nn.Module model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private static void AssertBitEqual(Dictionary<string, Tensor> expected, nn.Module model)
    {
        var actual = model.state_dict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in expected)
            Assert.True(value.bytes.SequenceEqual(actual[name].bytes), $"{name} differs");
    }

    private static void AssertRefused(nn.Module model, Action load, params string[] expected)
    {
        var before = Copy(model);
        var error = Assert.Throws<InvalidDataException>(load);
        foreach (var text in expected) Assert.Contains(text, error.Message);
        Assert.Contains("the model is unchanged", error.Message);
        AssertBitEqual(before, model);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Weights_round_trip_bit_for_bit_into_a_fresh_model(string format)
    {
        var path = temporary.File("model." + format);
        using var source = New(1, () => new MixtureVae());
        using var target = New(2, () => new MixtureVae());
        Save(source, format, path);
        Assert.NotEqual(source.state_dict()["encoderMu.weight"].bytes.ToArray(), target.state_dict()["encoderMu.weight"].bytes.ToArray());

        Load(target, format, path);

        AssertBitEqual(Copy(source), target);
        Assert.Contains(target.state_dict().Keys, name => name.StartsWith("prior", StringComparison.Ordinal));
        using var x = rand(5, MixtureVae.InputSize, generator: new Generator(3));
        using var a = source.Reconstruct(x);
        using var b = target.Reconstruct(x);
        Assert.True(a.equal(b).all().item<bool>());
        Assert.Single(Directory.GetFiles(temporary.Path));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_trained_model_round_trips_although_its_parameters_are_views_of_the_optimizers_flat_buffer(string format)
    {
        // Fit's Adam makes each parameter a view at an offset into one flat buffer; the files must hold each tensor alone.
        var path = temporary.File("trained." + format);
        using var trained = New(1, () => new BernoulliVae());
        using (var data = rand(32, BernoulliVae.InputSize, generator: new Generator(4)))
            trained.Fit(data, new VaeGen.Training.TrainingOptions { Epochs = 1, BatchSize = 16 });
        Assert.Contains(trained.state_dict().Values, tensor => tensor.storage_offset() > 0);
        Save(trained, format, path);
        using var target = New(2, () => new BernoulliVae());

        Load(target, format, path);

        AssertBitEqual(Copy(trained), target);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Weights_of_another_class_with_the_same_tensors_load(string format)
    {
        var path = temporary.File("original." + format);
        using var original = New(1, () => new Original.ShapeVae());
        Save(original, format, path);
        using var elsewhere = New(2, () => new Elsewhere.ShapeVae());

        Load(elsewhere, format, path);

        AssertBitEqual(Copy(original), elsewhere);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_file_of_another_architecture_is_refused_naming_each_tensor_and_both_shapes(string format)
    {
        var path = temporary.File("original." + format);
        using (var original = New(1, () => new Original.ShapeVae())) Save(original, format, path);
        using var wider = New(2, () => new Wider.ShapeVae());

        AssertRefused(wider, () => Load(wider, format, path),
            path,
            typeof(Wider.ShapeVae).FullName!,
            "decoder.linear1.weight is Float32 [16, 3] in the file but Float32 [24, 3] in the model",
            "decoder.linear1.bias is Float32 [16] in the file but Float32 [24] in the model",
            "decoderLogits.weight is Float32 [12, 16] in the file but Float32 [12, 24] in the model",
            "Nothing was loaded");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_missing_tensor_is_refused_by_name(string format)
    {
        var path = temporary.File("missing." + format);
        using var model = New(1, () => new BernoulliVae());
        var tensors = Copy(model);
        tensors.Remove("encoderLogVar.bias");
        WriteRaw(format, path, tensors);

        AssertRefused(model, () => Load(model, format, path), "the file lacks encoderLogVar.bias (Float32 [3] in the model)");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void An_extra_tensor_is_refused_by_name(string format)
    {
        var path = temporary.File("extra." + format);
        using var model = New(1, () => new BernoulliVae());
        var tensors = Copy(model);
        tensors["decoder.linear2.weight"] = zeros(4, 16);
        WriteRaw(format, path, tensors);

        AssertRefused(model, () => Load(model, format, path), "the file has decoder.linear2.weight (Float32 [4, 16]), which the model does not");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_tensor_of_another_element_type_is_refused_by_name(string format)
    {
        var path = temporary.File("double." + format);
        using (var doubled = New(1, () => new BernoulliVae()))
        {
            doubled.to(ScalarType.Float64);
            Save(doubled, format, path);
        }
        using var model = New(2, () => new BernoulliVae());

        AssertRefused(model, () => Load(model, format, path), "encoderMu.weight is Float64 [3, 16] in the file but Float32 [3, 16] in the model");
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_file_that_is_not_weights_is_refused_naming_it(string format)
    {
        var path = temporary.Write("noise." + format, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        using var model = New(1, () => new BernoulliVae());

        AssertRefused(model, () => Load(model, format, path), path, format == "pt" ? "PyTorch state_dict" : "safetensors");
        Assert.Throws<FileNotFoundException>(() => Load(model, format, temporary.File("absent." + format)));
    }

    [Fact]
    public void Files_PyTorch_wrote_load_with_every_value_where_the_PyTorch_module_had_it()
    {
        // Fixtures/make_fixtures.py: tensor k of the state_dict holds k + arange(numel) / 1000, written by torch.save
        // and by hand as safetensors (with a __metadata__ entry, which readers skip).
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "VaeGen.Tests", "Weights", "Fixtures");
        foreach (var file in new[] { "shape_vae.pt", "shape_vae.safetensors" })
        {
            using var model = New(1, () => new Original.ShapeVae());
            Load(model, Path.GetExtension(file)[1..], Path.Combine(folder, file));

            var k = 0;
            foreach (var (name, tensor) in model.state_dict())
            {
                using var expected = (k++ + arange(tensor.numel(), dtype: ScalarType.Float32) / 1000).reshape(tensor.shape);
                Assert.True(expected.equal(tensor).all().item<bool>(), $"{file}: {name}");
            }
            Assert.Equal(10, k);
        }
    }

    [Fact]
    public void A_failed_write_leaves_the_previous_file_whole_and_no_temporary_file()
    {
        var path = temporary.File("model.safetensors");
        using var model = New(1, () => new BernoulliVae());
        model.SaveSafetensors(path);
        var before = File.ReadAllBytes(path);

        // safetensors has no complex element type, so the writer throws part-way.
        model.to(ScalarType.ComplexFloat32);
        Assert.ThrowsAny<Exception>(() => model.SaveSafetensors(path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(temporary.Path));
        Assert.Throws<ArgumentException>(() => model.SavePyTorch(temporary.Path));
    }
}
