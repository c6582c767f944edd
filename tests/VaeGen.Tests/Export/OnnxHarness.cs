using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using VaeGen.Export;
using VaeGen.Maths;
using static TorchSharp.torch;

namespace VaeGen.Tests.Export;

/// <summary>
/// Exports a generated model, runs its four graphs in ONNX Runtime on random inputs, and gives for each graph its
/// inputs, what ONNX Runtime computed, and what the TorchSharp model computes on the same inputs (Encode, Decode or
/// DecodeWith..., DecodeMean, and the negated LogImportanceWeights on the same eps).
/// </summary>
internal static class OnnxHarness
{
    /// <summary>
    /// The agreement required of every value: |onnx - torch| &lt;= Absolute + Relative |torch|. Both sides compute in
    /// float32 with the same formulas; they differ only in kernels (Gemm and convolution blocking, exp, erf, tanh and
    /// log implementations) and in the order of sums, each a few units in the last place (float32's is 6e-8 relative),
    /// compounded over a handful of layers. 1e-4 leaves about two orders of magnitude over the errors measured, while a
    /// wrong activation, weight or density term moves values by 1e-2 and more.
    /// </summary>
    public const double Absolute = 1e-4;

    /// <inheritdoc cref="Absolute"/>
    public const double Relative = 1e-4;

    public const int Batch = 5;

    // TorchSharp hands a Scalar's handle to libtorch without keeping the Scalar alive, so a temporary one (an implicit
    // number-to-Scalar conversion) can be finalized during the call: every Scalar here is named and outlives its call.
    private static readonly Scalar Levels = 255.0.ToScalar();
    private static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>Moves every parameter off its initial value: flows start at the identity and mixtures at equal weights, which would hide a missing term.</summary>
    public static void Perturb(nn.Module model, ulong seed)
    {
        using var noGrad = no_grad();
        var generator = new Generator(seed);
        using var size = 0.3.ToScalar();
        foreach (var (_, parameter) in model.named_parameters())
        {
            using var noise = randn(parameter.shape, generator: generator).mul_(size);
            parameter.Plus_(noise);
        }
        FitScaling(model, generator);
    }

    /// <summary>A scaled model gets a scaling far from the identity, fitted on data of its own offsets and spreads per feature.</summary>
    public static void FitScaling(nn.Module model, Generator generator)
    {
        if (model.GetType().GetMethod("FitScaling") is { } fitScaling)
        {
            var width = ModelFacts.Of(model).InputSize;
            using var four = 4.0.ToScalar();
            using var three = 3.0.ToScalar();
            using var spread = rand(new long[] { width }, generator: generator).mul_(four).Plus_(Half);
            using var offset = randn(new long[] { width }, generator: generator).mul_(three);
            using var data = randn(new long[] { 64, width }, generator: generator).mul_(spread).Plus_(offset);
            fitScaling.Invoke(model, [data]);
        }
    }

    /// <summary>Exports <paramref name="model"/> into <paramref name="directory"/> and checks every graph against it.</summary>
    public static IReadOnlyList<GraphCase> Cases(nn.Module model, string directory, ulong seed)
    {
        var vae = new Members(model);
        var files = vae.Call<OnnxFiles>("ExportOnnx", directory);
        var facts = ModelFacts.Of(model);
        var generator = new Generator(seed);
        using var noGrad = no_grad();
        var x = Data(facts.Likelihood, facts.InputSize, generator);
        var condition = facts.Condition switch
        {
            ConditionKind.Label => randint(0, facts.ConditionSize, new long[] { Batch }, dtype: ScalarType.Int64, generator: generator),
            ConditionKind.Features => randn(new long[] { Batch, facts.ConditionSize }, generator: generator),
            _ => null,
        };
        using var zScale = 1.5.ToScalar();
        var z = randn(new long[] { Batch, facts.LatentSize }, generator: generator).mul_(zScale);
        var eps = randn(new long[] { Batch, facts.LatentSize }, generator: generator);

        Tensor[] Conditioned(params Tensor[] inputs) => condition is null ? inputs : [inputs[0], condition, .. inputs[1..]];
        var (mu, logVar) = vae.Call<(Tensor, Tensor)>("Encode", Conditioned(x));
        var encoder = new GraphCase("encoder", files.Encoder, Inputs(("x", x), ("condition", condition)),
            new() { ["mu"] = mu, ["log_var"] = logVar });

        var decoded = new Dictionary<string, Tensor>();
        var (location, second) = facts.Likelihood switch
        {
            Likelihood.GaussianLearnedVariance => ("mean", "log_var"),
            Likelihood.LaplaceLearnedScale => ("location", "log_scale"),
            Likelihood.Gaussian => ("mean", (string?)null),
            Likelihood.Laplace => ("location", null),
            Likelihood.Poisson => ("log_rate", null),
            _ => ("logits", null),
        };
        var (first, other) = second switch
        {
            null => (vae.Call<Tensor>("Decode", Conditioned(z)), null),
            "log_var" => vae.Call<(Tensor, Tensor)>("DecodeWithLogVar", Conditioned(z)),
            _ => vae.Call<(Tensor, Tensor)>("DecodeWithLogScale", Conditioned(z)),
        };
        // A scaled model's location that is the mean is output as the scaled parameter; "mean" is restored to raw units.
        if (location == "mean" && model.GetType().GetProperty("Scaler") is not null) location = "scaled_mean";
        decoded[location] = first;
        if (second is not null) decoded[second] = other!;
        decoded["mean"] = vae.Call<Tensor>("DecodeMean", Conditioned(z));
        var decoder = new GraphCase("decoder", files.Decoder, Inputs(("z", z), ("condition", condition)), decoded);

        var scores = new List<GraphCase>();
        foreach (var (what, noise) in new[] { ("score", eps), ("score at eps = 0", zeros_like(eps)) })
        {
            using var k = noise.unsqueeze(0);
            var weights = vae.Call<Tensor>("LogImportanceWeights", Conditioned(x, mu, logVar, k));
            scores.Add(new GraphCase(what, files.Score, Inputs(("x", x), ("condition", condition), ("eps", noise)),
                new() { ["negative_elbo"] = weights[0].neg() }));
        }
        return new[] { encoder, decoder }.Concat(scores).Append(PriorCase(model, files, architecture: facts, generator)).ToList();
    }

    /// <summary>
    /// The prior graph against the mixture it should draw from: eps itself for N(0, I); for a mixture prior the model's
    /// means, log-variances and softmax weights; for the VampPrior the components stored in the scoring graph, which the
    /// scoring comparison has checked against the model's own log p(z). Component k is the first whose cumulative weight
    /// exceeds u.
    /// </summary>
    private static GraphCase PriorCase(nn.Module model, OnnxFiles files, ModelFacts architecture, Generator generator)
    {
        var eps = randn(new long[] { Batch, architecture.LatentSize }, generator: generator);
        var u = rand(new long[] { Batch }, generator: generator);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Tensor means, logVars, weights;
        if (parameters.ContainsKey("prior.means"))
        {
            (means, logVars, weights) = (parameters["prior.means"], parameters["prior.log_vars"], parameters["prior.logits"].softmax(0));
        }
        else if (parameters.ContainsKey("pseudoInputs.inputs"))
        {
            var score = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(files.Score)).Graph.Initializer;
            Tensor Stored(string name)
            {
                var tensor = score.Single(t => t.Name == name);
                var values = new float[tensor.RawData.Length / 4];
                Buffer.BlockCopy(tensor.RawData.ToByteArray(), 0, values, 0, tensor.RawData.Length);
                return torch.tensor(values, tensor.Dims.ToArray());
            }
            (means, logVars) = (Stored("prior.means"), Stored("prior.log_vars"));
            using var equal = (1.0 / means.shape[0]).ToScalar();
            weights = full(means.shape[0], equal);
        }
        else
        {
            return new GraphCase("prior", files.Prior, Inputs(("eps", eps)), new() { ["z"] = eps });
        }
        var passed = weights.cumsum(0).unsqueeze(0).le(u.unsqueeze(-1)).sum(-1);
        using var last = (means.shape[0] - 1).ToScalar();
        var component = passed.clamp_max(last);
        var z = logVars.index_select(0, component).mul(Half).exp().mul(eps).Plus(means.index_select(0, component));
        return new GraphCase("prior", files.Prior, Inputs(("eps", eps), ("u", u)), new() { ["z"] = z });
    }

    /// <summary>Data the likelihood can score: binary, [0, 1], levels k / 255, counts, or real values.</summary>
    private static Tensor Data(Likelihood likelihood, int width, Generator generator)
    {
        var shape = new long[] { Batch, width };
        return likelihood switch
        {
            Likelihood.Bernoulli => bernoulli(full(shape, Half), generator: generator),
            Likelihood.ContinuousBernoulli => rand(shape, generator: generator),
            Likelihood.Categorical256 => randint(0, 256, shape, dtype: ScalarType.Float32, generator: generator).div_(Levels),
            Likelihood.Poisson => randint(0, 6, shape, dtype: ScalarType.Float32, generator: generator),
            _ => randn(shape, generator: generator),
        };
    }

    private static List<(string, Tensor)> Inputs(params (string Name, Tensor? Value)[] inputs) =>
        inputs.Where(i => i.Value is not null).Select(i => (i.Name, i.Value!)).ToList();

    /// <summary>Runs <paramref name="model"/> (a serialized ONNX model) in ONNX Runtime on the inputs; every output as floats.</summary>
    public static Dictionary<string, float[]> Run(byte[] model, IEnumerable<(string Name, Tensor Value)> inputs)
    {
        // One thread: a batch of five gains nothing from more, and other tests run beside this one on few cores.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var values = inputs.Select(i => i.Value.dtype == ScalarType.Int64
            ? NamedOnnxValue.CreateFromTensor(i.Name, new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<long>(i.Value.data<long>().ToArray(), Dims(i.Value)))
            : NamedOnnxValue.CreateFromTensor(i.Name, new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(i.Value.data<float>().ToArray(), Dims(i.Value)))).ToList();
        using var results = session.Run(values);
        return results.ToDictionary(r => r.Name, r => r.AsTensor<float>().ToArray());
    }

    private static int[] Dims(Tensor tensor) => tensor.shape.Select(d => (int)d).ToArray();

    /// <summary>
    /// The worst agreement of <paramref name="actual"/> with <paramref name="expected"/>, in units of the tolerance
    /// (at most 1 passes), with the largest absolute and relative differences.
    /// </summary>
    /// <param name="summedTerms">
    /// How many float32 terms each value sums, when that is many: the absolute tolerance grows with its square root, as
    /// round-off of independent sign does. For the -ELBO of a wide declaration (thousands of pixels, each a log-density
    /// of order one, summing to a value near zero) the fixed 1e-4 is below float32's own error.
    /// </param>
    public static (double Worst, double Absolute, double Relative) Agreement(float[] actual, Tensor expected, int summedTerms = 1)
    {
        var allowed = Absolute * Math.Sqrt(Math.Max(summedTerms, 1));
        var wanted = expected.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        if (actual.Length != wanted.Length) return (double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity);
        double worst = 0, absolute = 0, relative = 0;
        for (var i = 0; i < wanted.Length; i++)
        {
            var difference = Math.Abs(actual[i] - wanted[i]);
            if (double.IsNaN(difference)) return (double.PositiveInfinity, double.NaN, double.NaN);
            worst = Math.Max(worst, difference / (allowed + Relative * Math.Abs(wanted[i])));
            absolute = Math.Max(absolute, difference);
            relative = Math.Max(relative, difference / Math.Max(Math.Abs(wanted[i]), 1e-30));
        }
        return (worst, absolute, relative);
    }
}

/// <summary>
/// Calls a generated model's public methods by name and argument types. Reflection rather than C#'s dynamic, which binds
/// only to members the caller can see: a model may be an internal or nested private class of an assembly compiled at run time.
/// </summary>
internal sealed class Members(nn.Module model)
{
    public T Call<T>(string name, params object[] arguments)
    {
        var method = model.GetType().GetMethod(name, BindingFlags.Public | BindingFlags.Instance, arguments.Select(a => a.GetType()).ToArray())
            ?? throw new MissingMethodException(model.GetType().FullName, name);
        return (T)method.Invoke(model, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;
    }
}

/// <summary>One graph run: the file, its inputs and the TorchSharp model's values for its outputs.</summary>
internal sealed record GraphCase(string What, string File, List<(string Name, Tensor Value)> Inputs, Dictionary<string, Tensor> Expected)
{
    public byte[] Bytes => System.IO.File.ReadAllBytes(File);
}

internal enum ConditionKind { None, Label, Features }

/// <summary>What a generated model declares, read from its interface and its architecture fingerprint.</summary>
internal sealed record ModelFacts(int InputSize, int LatentSize, Likelihood Likelihood, ConditionKind Condition, int ConditionSize)
{
    public static ModelFacts Of(nn.Module model)
    {
        var architecture = (string)model.GetType().GetField("Architecture")!.GetValue(null)!;
        return model switch
        {
            IConditionalVariationalAutoencoder c => new(c.InputSize, c.LatentSize, c.Likelihood,
                architecture.Contains("condition: class label", StringComparison.Ordinal) ? ConditionKind.Label : ConditionKind.Features, c.ConditionSize),
            IVariationalAutoencoder v => new(v.InputSize, v.LatentSize, v.Likelihood, ConditionKind.None, 0),
            _ => throw new ArgumentException($"{model.GetType().Name} is not a generated model."),
        };
    }
}
