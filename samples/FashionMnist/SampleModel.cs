using System.Collections.Generic;
using System.Threading;
using VaeGen;
using VaeGen.Training;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>Images, [count, 784], with their class labels, int64 [count].</summary>
internal sealed record LabelledImages(Tensor Images, Tensor Labels);

/// <summary>
/// A generated model as the run sees it. Unconditional models (<see cref="IVariationalAutoencoder"/>) and conditional
/// ones (<see cref="IConditionalVariationalAutoencoder"/>) offer the same operations with different signatures; here
/// every operation takes the images with their labels, which an unconditional model ignores, so one run serves both.
/// </summary>
internal abstract class SampleModel
{
    private SampleModel(
        nn.Module module, int inputSize, int latentSize, Likelihood likelihood, ModelKind kind, string architecture, long parameterCount, long multiplyAccumulates)
    {
        Module = module;
        InputSize = inputSize;
        LatentSize = latentSize;
        Likelihood = likelihood;
        Kind = kind;
        Architecture = architecture;
        ParameterCount = parameterCount;
        MultiplyAccumulates = multiplyAccumulates;
    }

    /// <summary>The TorchSharp module: eval mode, saving, disposal.</summary>
    public nn.Module Module { get; }

    /// <summary>The family the model was chosen from.</summary>
    public ModelKind Kind { get; }

    /// <summary>The generated class's name.</summary>
    public string Name => Module.GetType().Name;

    /// <summary>The layer chain, for people.</summary>
    public string Architecture { get; }

    /// <summary>The class's generated <c>ParameterCount</c>.</summary>
    public long ParameterCount { get; }

    /// <summary>The class's generated <c>MultiplyAccumulates</c>: one example's encoder and decoder pass.</summary>
    public long MultiplyAccumulates { get; }

    /// <summary>Features of one example.</summary>
    public int InputSize { get; }

    /// <summary>Latent dimensions.</summary>
    public int LatentSize { get; }

    /// <summary>The observation model.</summary>
    public Likelihood Likelihood { get; }

    /// <summary>What the model is conditioned on, for people; null for an unconditional model.</summary>
    public abstract string? Condition { get; }

    /// <summary>One line: name, layers, parameters and multiply-accumulates.</summary>
    public string Card => $"{Name}: {Architecture}; {ParameterCount:N0} parameters, {MultiplyAccumulates:N0} multiply-accumulates per example";

    /// <summary>Trains on <paramref name="train"/>, evaluating <paramref name="validation"/> after each epoch.</summary>
    public abstract TrainingHistory Fit(LabelledImages train, LabelledImages validation, TrainingOptions options, CancellationToken cancellationToken);

    /// <summary>The -ELBO and its terms over <paramref name="data"/>, per-example means in nats, with z drawn from <paramref name="generator"/>.</summary>
    public abstract ElboSummary Evaluate(LabelledImages data, Generator generator);

    /// <summary>Per latent dimension: mean KL and activity over <paramref name="data"/>.</summary>
    public abstract LatentUsage LatentUsage(LabelledImages data);

    /// <summary>
    /// The mean importance-weighted log-likelihood of <paramref name="data"/> (log p(x), or log p(x|c) for a conditional
    /// model), in nats, with the samples drawn from <paramref name="generator"/>.
    /// </summary>
    public abstract double MeanLogLikelihood(LabelledImages data, int importanceSamples, Generator generator);

    /// <summary>The model-specific pictures; null entries are pictures that do not apply.</summary>
    /// <param name="folder">Where to write them.</param>
    /// <param name="greyTest">The test images as grey levels, with labels: what reconstructions show.</param>
    /// <param name="scoredTest">The test images as scored (binarized once, or grey).</param>
    /// <param name="seed">Seeds the prior draws.</param>
    public abstract IEnumerable<string?> DrawPictures(string folder, LabelledImages greyTest, Tensor scoredTest, long seed);

    /// <summary>Importance-weighted estimates are averaged over batches of this many examples.</summary>
    private const int LogLikelihoodBatch = 100;

    /// <summary>A model of x alone.</summary>
    public sealed class Unconditional(IVariationalAutoencoder model, ModelKind kind, string architecture, long parameterCount, long multiplyAccumulates)
        : SampleModel((nn.Module)model, model.InputSize, model.LatentSize, model.Likelihood, kind, architecture, parameterCount, multiplyAccumulates)
    {
        public override string? Condition => null;

        public override TrainingHistory Fit(LabelledImages train, LabelledImages validation, TrainingOptions options, CancellationToken cancellationToken) =>
            model.Fit(train.Images, options with { ValidationData = validation.Images }, cancellationToken);

        public override ElboSummary Evaluate(LabelledImages data, Generator generator) => model.Evaluate(data.Images, generator: generator);

        public override LatentUsage LatentUsage(LabelledImages data) => model.LatentUsage(data.Images);

        public override double MeanLogLikelihood(LabelledImages data, int importanceSamples, Generator generator) =>
            Evaluation.Mean(data.Images, LogLikelihoodBatch, x => model.LogLikelihood(x, importanceSamples, generator));

        public override IEnumerable<string?> DrawPictures(string folder, LabelledImages greyTest, Tensor scoredTest, long seed) =>
        [
            Pictures.Reconstructions(folder, model, greyTest.Images),
            Pictures.Samples(folder, model, seed),
            Pictures.Traversal(folder, model, scoredTest.narrow(0, 0, System.Math.Min(1000, scoredTest.shape[0]))),
            Pictures.Manifold(folder, model),
        ];
    }

    /// <summary>A model of x given its class label.</summary>
    public sealed class Conditional(IConditionalVariationalAutoencoder model, ModelKind kind, string architecture, long parameterCount, long multiplyAccumulates)
        : SampleModel((nn.Module)model, model.InputSize, model.LatentSize, model.Likelihood, kind, architecture, parameterCount, multiplyAccumulates)
    {
        public override string? Condition => $"class label ({model.ConditionSize} classes, one-hot)";

        public override TrainingHistory Fit(LabelledImages train, LabelledImages validation, TrainingOptions options, CancellationToken cancellationToken) =>
            model.Fit(train.Images, train.Labels, options with { ValidationData = validation.Images, ValidationConditions = validation.Labels }, cancellationToken);

        public override ElboSummary Evaluate(LabelledImages data, Generator generator) => model.Evaluate(data.Images, data.Labels, generator: generator);

        public override LatentUsage LatentUsage(LabelledImages data) => model.LatentUsage(data.Images, data.Labels);

        public override double MeanLogLikelihood(LabelledImages data, int importanceSamples, Generator generator) =>
            Evaluation.Mean(data.Images, data.Labels, LogLikelihoodBatch, (x, labels) => model.LogLikelihood(x, labels, importanceSamples, generator));

        public override IEnumerable<string?> DrawPictures(string folder, LabelledImages greyTest, Tensor scoredTest, long seed) =>
        [
            Pictures.Reconstructions(folder, model, greyTest),
            Pictures.SamplesByClass(folder, model, seed),
        ];
    }
}
