using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Shapes of every generated member, the readable parameter names and the parameter counts.</summary>
public sealed class ShapeAndParameterTests
{
    [Fact]
    public void Constants_reflect_the_attributes()
    {
        Assert.Equal(12, BernoulliVae.InputSize);
        Assert.Equal(3, BernoulliVae.LatentSize);
        Assert.Equal(1, BernoulliVae.ReconstructionSamples);
        Assert.Equal(4, MultiSampleVae.ReconstructionSamples);
        Assert.Equal(0.5, GaussianVae.ObservationVariance);
        Assert.Equal(10, LearnedVarianceVae.InputSize);
        Assert.Equal(4, DeepVae.LatentSize);
    }

    [Fact]
    public void Bernoulli_model_members_have_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var model = new BernoulliVae();
        var x = rand(5, 12);

        var (mu, logVar) = model.Encode(x);
        Assert.Equal(new long[] { 5, 3 }, mu.shape);
        Assert.Equal(new long[] { 5, 3 }, logVar.shape);
        var (mu3, logVar3) = model.Encode(rand(2, 5, 12));
        Assert.Equal(new long[] { 2, 5, 3 }, mu3.shape);
        Assert.Equal(new long[] { 2, 5, 3 }, logVar3.shape);

        var output = model.forward(x);
        Assert.Equal(new long[] { 5, 3 }, output.Mu.shape);
        Assert.Equal(new long[] { 5, 3 }, output.LogVar.shape);
        Assert.Equal(new long[] { 5, 3 }, output.Z.shape);
        Assert.Equal(new long[] { 5, 12 }, output.Logits.shape);

        Assert.Equal(new long[] { 7, 12 }, model.Decode(randn(7, 3)).shape);
        Assert.Equal(new long[] { 6, 12 }, model.Sample(6).shape);
        Assert.Equal(new long[] { 5, 12 }, model.Reconstruct(x).shape);
        Assert.Equal(new long[] { 5 }, model.LogLikelihood(x, 3).shape);
        Assert.Equal(new long[] { 3, 5 }, model.LogImportanceWeights(x, mu, logVar, randn(3, 5, 3)).shape);

        var loss = model.Loss(x, output);
        Assert.Equal(0, loss.Total.dim());
        Assert.Equal(0, loss.Reconstruction.dim());
        Assert.Equal(0, loss.Kl.dim());
        Hand.Close(Hand.Scalar(loss.Reconstruction) + Hand.Scalar(loss.Kl), Hand.Scalar(loss.Total), what: "Total = Reconstruction + Kl");
    }

    [Fact]
    public void Multi_sample_forward_has_a_leading_sample_dimension()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        using var model = new MultiSampleVae();
        var x = rand(5, 12);
        var output = model.forward(x);
        Assert.Equal(new long[] { 5, 3 }, output.Mu.shape);
        Assert.Equal(new long[] { 5, 3 }, output.LogVar.shape);
        Assert.Equal(new long[] { 4, 5, 3 }, output.Z.shape);
        Assert.Equal(new long[] { 4, 5, 12 }, output.Logits.shape);
        var loss = model.Loss(x, output);
        Assert.Equal(0, loss.Total.dim());
        Assert.Equal(0, loss.Reconstruction.dim());
        Assert.Equal(0, loss.Kl.dim());
        Assert.Equal(new long[] { 5 }, model.LogLikelihood(x, 2).shape);
    }

    [Fact]
    public void Gaussian_models_have_mean_and_log_variance_outputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var gaussian = new GaussianVae();
        using var learned = new LearnedVarianceVae();
        var x = randn(5, 10);

        var g = gaussian.forward(x);
        Assert.Equal(new long[] { 5, 2 }, g.Z.shape);
        Assert.Equal(new long[] { 5, 10 }, g.Mean.shape);
        Assert.Equal(0, gaussian.Loss(x, g).Total.dim());
        Assert.Equal(new long[] { 3, 10 }, gaussian.Sample(3).shape);
        Assert.Equal(new long[] { 5, 10 }, gaussian.Reconstruct(x).shape);
        Assert.Equal(new long[] { 5 }, gaussian.LogLikelihood(x, 2).shape);

        var l = learned.forward(x);
        Assert.Equal(new long[] { 5, 2 }, l.Z.shape);
        Assert.Equal(new long[] { 5, 10 }, l.Mean.shape);
        Assert.Equal(new long[] { 5, 10 }, l.ObservationLogVar.shape);
        var (mean, logVar) = learned.DecodeWithLogVar(randn(7, 2));
        Assert.Equal(new long[] { 7, 10 }, mean.shape);
        Assert.Equal(new long[] { 7, 10 }, logVar.shape);
        Assert.Equal(0, learned.Loss(x, l).Total.dim());
        Assert.Equal(new long[] { 3, 10 }, learned.Sample(3).shape);
        Assert.Equal(new long[] { 5 }, learned.LogLikelihood(x, 2).shape);
    }

    [Fact]
    public void Double_precision_model_keeps_float64_throughout()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new MultiSampleVae();
        model.to(ScalarType.Float64);
        var x = rand(new long[] { 3, 12 }, dtype: ScalarType.Float64);
        var output = model.forward(x);
        Assert.Equal(ScalarType.Float64, output.Z.dtype);
        Assert.Equal(ScalarType.Float64, output.Logits.dtype);
        Assert.Equal(ScalarType.Float64, model.Loss(x, output).Total.dtype);
        Assert.Equal(ScalarType.Float64, model.Sample(2).dtype);
        Assert.Equal(ScalarType.Float64, model.LogLikelihood(x, 3).dtype);
    }

    private static void AssertParameters(nn.Module model, string[] expectedNames, long expectedCount)
    {
        var names = model.state_dict().Keys.OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(expectedNames.OrderBy(n => n, System.StringComparer.Ordinal).ToArray(), names);
        var parameterNames = model.named_parameters().Select(p => p.name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
        Assert.Equal(names, parameterNames);
        Assert.Equal(expectedCount, model.parameters().Sum(p => p.numel()));
    }

    private static string[] Layer(string name) => new[] { name + ".weight", name + ".bias" };

    [Fact]
    public void Bernoulli_parameters_are_named_after_the_fields()
    {
        using var model = new BernoulliVae();
        AssertParameters(model,
            new[] { "encoder.linear1", "encoderMu", "encoderLogVar", "decoder.linear1", "decoderLogits" }.SelectMany(Layer).ToArray(),
            Hand.LinearParameters(12, 16) + 2 * Hand.LinearParameters(16, 3) + Hand.LinearParameters(3, 16) + Hand.LinearParameters(16, 12));
    }

    [Fact]
    public void Gaussian_parameters_are_named_after_the_fields()
    {
        using var model = new GaussianVae();
        AssertParameters(model,
            new[] { "encoder.linear1", "encoderMu", "encoderLogVar", "decoder.linear1", "decoderMean" }.SelectMany(Layer).ToArray(),
            Hand.LinearParameters(10, 8) + 2 * Hand.LinearParameters(8, 2) + Hand.LinearParameters(2, 8) + Hand.LinearParameters(8, 10));
    }

    [Fact]
    public void Learned_variance_parameters_include_the_log_variance_head()
    {
        using var model = new LearnedVarianceVae();
        AssertParameters(model,
            new[] { "encoder.linear1", "encoderMu", "encoderLogVar", "decoder.linear1", "decoderMean", "decoderLogVar" }.SelectMany(Layer).ToArray(),
            Hand.LinearParameters(10, 8) + 2 * Hand.LinearParameters(8, 2) + Hand.LinearParameters(2, 8) + 2 * Hand.LinearParameters(8, 10));
    }

    [Fact]
    public void Linear_model_has_only_the_heads()
    {
        using var model = new LinearVae();
        AssertParameters(model,
            new[] { "encoderMu", "encoderLogVar", "decoderLogits" }.SelectMany(Layer).ToArray(),
            2 * Hand.LinearParameters(12, 3) + Hand.LinearParameters(3, 12));
    }

    [Fact]
    public void Deep_model_numbers_its_hidden_layers()
    {
        using var model = new DeepVae();
        AssertParameters(model,
            new[] { "encoder.linear1", "encoder.linear2", "encoderMu", "encoderLogVar", "decoder.linear1", "decoder.linear2", "decoderLogits" }
                .SelectMany(Layer).ToArray(),
            Hand.LinearParameters(12, 20) + Hand.LinearParameters(20, 10) + 2 * Hand.LinearParameters(10, 4)
            + Hand.LinearParameters(4, 10) + Hand.LinearParameters(10, 20) + Hand.LinearParameters(20, 12));
    }

    [Fact]
    public void Every_parameter_receives_a_gradient_from_the_loss()
    {
        manual_seed(5);
        AssertAllGetGradients(new BernoulliVae(), m => { var x = rand(8, 12); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new GaussianVae(), m => { var x = randn(8, 10); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new LearnedVarianceVae(), m => { var x = randn(8, 10); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new MultiSampleVae(), m => { var x = rand(8, 12); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new LinearVae(), m => { var x = rand(8, 12); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new DeepVae(), m => { var x = rand(8, 12); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new LeakyEluVae(), m => { var x = rand(8, 6); return m.Loss(x, m.forward(x)).Total; });
        AssertAllGetGradients(new GeluSoftplusVae(), m => { var x = rand(8, 6); return m.Loss(x, m.forward(x)).Total; });
    }

    private static void AssertAllGetGradients<TModel>(TModel model, System.Func<TModel, Tensor> loss) where TModel : nn.Module
    {
        using var owned = model;
        using var scope = NewDisposeScope();
        loss(model).backward();
        foreach (var (name, parameter) in model.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"{model.GetType().Name}.{name} has no gradient.");
            Assert.True(Hand.Values(grad!).Any(v => v != 0), $"{model.GetType().Name}.{name} has an all-zero gradient.");
        }
    }
}
