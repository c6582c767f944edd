using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using VaeGen.Maths;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The compiled evaluation (the decoder's products into kept buffers, bias, activation and log-density in C#) against
/// the model's own LogImportanceWeights, for each activation it covers, and LogLikelihood, which uses it, against the
/// general path with the same noise.
/// </summary>
public sealed class CompiledEvaluationTests
{
    /// <summary>Each model with the decoder in C# tiles (where the processor runs them) and with libtorch's products.</summary>
    public static IEnumerable<object[]> ModelsAndPaths() =>
        Models().SelectMany(m => new[] { true, false }.Where(packed => !packed || PackedProducts.Available).Select(packed => m.Append(packed).ToArray()));

    public static IEnumerable<object[]> Models() =>
    [
        ["BernoulliVae", 1, Activation.ReLU],
        ["LinearVae", 0, Activation.ReLU],
        ["TanhSigmoidVae", 2, Activation.Sigmoid],
        ["LeakyIdentityVae", 2, Activation.Identity],
        ["TanhDecoderVae", 1, Activation.Tanh],
        ["LeakyDecoderVae", 2, Activation.LeakyReLU],
    ];

    private static (nn.Module Model, Func<Tensor, (Tensor Mu, Tensor LogVar)> Encode, Func<Tensor, Tensor, Tensor, Tensor, Tensor> General, Func<Tensor, int, Generator, Tensor> LogLikelihood, long Input, long Latent) Create(string name)
    {
        switch (name)
        {
            case "BernoulliVae":
            {
                var m = new BernoulliVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), BernoulliVae.InputSize, BernoulliVae.LatentSize);
            }
            case "LinearVae":
            {
                var m = new LinearVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), LinearVae.InputSize, LinearVae.LatentSize);
            }
            case "TanhSigmoidVae":
            {
                var m = new TanhSigmoidVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), TanhSigmoidVae.InputSize, TanhSigmoidVae.LatentSize);
            }
            case "TanhDecoderVae":
            {
                var m = new TanhDecoderVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), TanhDecoderVae.InputSize, TanhDecoderVae.LatentSize);
            }
            case "LeakyDecoderVae":
            {
                var m = new LeakyDecoderVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), LeakyDecoderVae.InputSize, LeakyDecoderVae.LatentSize);
            }
            default:
            {
                var m = new LeakyIdentityVae();
                return (m, x => m.Encode(x), m.LogImportanceWeights, (x, k, g) => m.LogLikelihood(x, k, g), LeakyIdentityVae.InputSize, LeakyIdentityVae.LatentSize);
            }
        }
    }

    /// <summary>The decoder's layers as the generated LogLikelihood hands them over, found by their module names.</summary>
    private static DenseBernoulliEvaluation EvaluationFor(nn.Module model, int decoderLayers, Activation activation)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var layers = Enumerable.Range(1, decoderLayers).Select(i => new DenseBernoulliStep.Layer((Linear)modules[$"decoder.linear{i}"], activation)).ToArray();
        var evaluation = DenseBernoulliEvaluation.For(layers, (Linear)modules["decoderLogits"]);
        Assert.NotNull(evaluation);
        return evaluation;
    }

    /// <summary>Moves every parameter off its initial value, so that biases (zero at first in some layers) count.</summary>
    private static void Perturb(nn.Module model, ulong seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator(seed);
        foreach (var parameter in model.parameters()) parameter.add_(randn(parameter.shape, generator: generator).mul_(0.3));
    }

    [Theory]
    [MemberData(nameof(ModelsAndPaths))]
    public void Log_importance_weights_match_the_models_own(string name, int decoderLayers, Activation activation, bool packed)
    {
        using var scope = NewDisposeScope();
        var (model, encode, general, _, input, latent) = Create(name);
        Perturb(model, 5);
        using var evaluation = EvaluationFor(model, decoderLayers, activation);
        evaluation.UsesPackedProducts = packed;
        using var noGrad = no_grad();
        using var generator = new Generator(9);
        foreach (var (batch, samples) in new[] { (7L, 3L), (40L, 5L), (7L, 1L) }) // the buffers grow, then serve a smaller chunk
        {
            var x = rand(new[] { batch, input }, generator: generator);
            x = x.where(x.lt(0.8), bernoulli(x, generator: generator)); // binary and grey targets
            var (mu, logVar) = encode(x);
            var eps = randn(new[] { samples, batch, latent }, generator: generator);
            var expected = Hand.Values(general(x, mu, logVar, eps));
            var actual = evaluation.LogImportanceWeights(x, mu, logVar, eps);
            Assert.Equal(new[] { samples, batch }, actual.shape);
            Hand.Close(expected, Hand.Values(actual), 2e-4, 1e-5, $"{name}, {samples} x {batch}, packed {packed}");
        }
    }

    [Fact]
    public void The_tiled_decoder_gives_the_same_bits_on_one_thread_or_two_and_matches_libtorchs_products()
    {
        if (!PackedProducts.Available || Environment.ProcessorCount < 2) return; // the tiles do not run here, or on one thread only
        using var scope = NewDisposeScope();
        var model = new TanhSigmoidVae(); // two hidden layers, widths 10 and 20 (a partial panel), 13 inputs
        Perturb(model, 12);
        using var evaluation = EvaluationFor(model, 2, Activation.Sigmoid);
        using var noGrad = no_grad();
        using var generator = new Generator(21);
        var x = bernoulli(rand(new[] { 211L, TanhSigmoidVae.InputSize }, generator: generator), generator: generator);
        var (mu, logVar) = model.Encode(x);
        var eps = randn(new[] { 7L, 211, TanhSigmoidVae.LatentSize }, generator: generator); // 1,477 rows: many units, the last partial
        var threads = get_num_threads();
        try
        {
            set_num_threads(1);
            var alone = Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps));
            set_num_threads(2);
            var shared = Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps));
            var again = Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps));
            Assert.Equal(alone, shared);
            Assert.Equal(shared, again);
            evaluation.UsesPackedProducts = false;
            Hand.Close(Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps)), shared, 1e-5, 1e-6, "tiles against libtorch's products");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void LogLikelihood_takes_the_compiled_path_and_matches_the_general_one(string name, int decoderLayers, Activation activation)
    {
        using var scope = NewDisposeScope();
        var (model, encode, general, logLikelihood, input, _) = Create(name);
        Perturb(model, 6);
        // 600 examples: several chunks of samples, each above BernoulliRows.SplitFrom (the two-thread pass with the bias).
        const int examples = 600, k = 120;
        using var data = bernoulli(rand(new[] { (long)examples, input }, generator: new Generator(3)));
        var before = DenseBernoulliEvaluation.ChunksScored;
        var compiled = Hand.Values(logLikelihood(data, k, new Generator(11)));
        var chunksScored = DenseBernoulliEvaluation.ChunksScored - before;

        // The general path by hand, with the noise LogLikelihood draws: chunks of ChunkSize samples from one generator,
        // sized by the widest tensor of one example's decoder pass.
        using var noGrad = no_grad();
        model.eval();
        var (mu, logVar) = encode(data);
        var widest = model.named_modules().Where(m => m.name.StartsWith("decoder.linear", StringComparison.Ordinal))
            .Select(m => ((Linear)m.module).weight!.shape[0]).Append(input).Max();
        var chunk = ImportanceSampling.ChunkSize(k, examples, widest);
        var weights = new List<Tensor>();
        using var generator = new Generator(11);
        for (var drawn = 0; drawn < k; drawn += chunk)
            weights.Add(general(data, mu, logVar, Reparameterization.Noise(mu, Math.Min(chunk, k - drawn), generator)));
        Assert.True(weights.Count >= 2, $"{name}: {weights.Count} chunk");
        Assert.True(chunk * examples * input >= BernoulliRows.SplitFrom, $"{name}: chunks of {chunk * examples * input} logits stay on one thread");
        var expected = Hand.Values(ImportanceSampling.LogMeanExp(cat(weights, 0), 0));
        Hand.Close(expected, compiled, 2e-4, 1e-5, $"{name}: log p(x)");
        // The compiled evaluation scored every chunk (the count is this thread's own).
        Assert.Equal(weights.Count, chunksScored);
        using var handedOver = EvaluationFor(model, decoderLayers, activation); // the layers the generated code hands over are accepted
    }

    [Fact]
    public void A_batch_beyond_the_buffer_limit_is_scored_in_parts_with_the_same_result()
    {
        using var scope = NewDisposeScope();
        var model = new LeakyDecoderVae();
        Perturb(model, 8);
        using var evaluation = EvaluationFor(model, 2, Activation.LeakyReLU);
        using var noGrad = no_grad();
        using var generator = new Generator(4);
        var x = bernoulli(rand(new[] { 50L, LeakyDecoderVae.InputSize }, generator: generator), generator: generator);
        var (mu, logVar) = model.Encode(x);
        var eps = randn(new[] { 4L, 50, LeakyDecoderVae.LatentSize }, generator: generator);
        var whole = Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps));
        evaluation.BufferLimit = 4 * 11 * 7; // seven examples' samples at a time: 50 = 7 x 7 + 1
        var before = DenseBernoulliEvaluation.ChunksScored;
        var parts = evaluation.LogImportanceWeights(x, mu, logVar, eps);
        Assert.Equal(8, DenseBernoulliEvaluation.ChunksScored - before);
        Assert.Equal(new long[] { 4, 50 }, parts.shape);
        // The products of fewer rows may round differently (the BLAS blocks by row count).
        Hand.Close(whole, Hand.Values(parts), 1e-4, 1e-6, "in parts against whole");
        evaluation.BufferLimit = 4 * 11 - 1; // one example's samples do not fit
        Assert.Throws<ArgumentException>(() => evaluation.LogImportanceWeights(x, mu, logVar, eps));
    }

    [Fact]
    public void The_kept_buffers_outlive_the_dispose_scope_of_the_call_that_made_them()
    {
        var model = new BernoulliVae();
        using var evaluation = EvaluationFor(model, 1, Activation.ReLU);
        using var noGrad = no_grad();
        using var generator = new Generator(2);
        using var x = bernoulli(rand(new[] { 6L, BernoulliVae.InputSize }, generator: generator), generator: generator);
        var (mu, logVar) = model.Encode(x);
        using var eps = randn(new[] { 3L, 6, BernoulliVae.LatentSize }, generator: generator);
        double[] first;
        using (NewDisposeScope()) first = Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps));
        using (NewDisposeScope()) Assert.Equal(first, Hand.Values(evaluation.LogImportanceWeights(x, mu, logVar, eps)));
    }

    [Fact]
    public void Parameters_not_float32_on_the_cpu_leave_the_model_to_the_general_path()
    {
        using var scope = NewDisposeScope();
        var model = new BernoulliVae();
        model.to(ScalarType.Float64);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.Null(DenseBernoulliEvaluation.For(new[] { new DenseBernoulliStep.Layer((Linear)modules["decoder.linear1"], Activation.ReLU) }, (Linear)modules["decoderLogits"]));
        var x = bernoulli(rand(new[] { 4L, BernoulliVae.InputSize }, dtype: ScalarType.Float64));
        var result = model.LogLikelihood(x, 10, new Generator(1));
        Assert.Equal(ScalarType.Float64, result.dtype);
        Assert.True(Hand.Values(result).All(v => v < 0 && double.IsFinite(v)));
    }

    [Fact]
    public void An_activation_the_step_does_not_apply_is_refused()
    {
        using var scope = NewDisposeScope();
        var model = new BernoulliVae();
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        Assert.Null(DenseBernoulliEvaluation.For(new[] { new DenseBernoulliStep.Layer((Linear)modules["decoder.linear1"], Activation.GELU) }, (Linear)modules["decoderLogits"]));
    }
}
