using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// The machinery behind a generated <c>Fit</c>: seeding, shuffled mini-batches in per-step dispose scopes, the Adam
/// optimizer, the KL warm-up, loss bookkeeping read back every few steps, the NaN guard, evaluation, checkpoints and
/// progress. The generated loop keeps the model-specific part (forward pass, loss, backward) in plain sight.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly nn.Module model;
    private readonly Tensor data;
    private readonly TrainingOptions options;
    private readonly Checkpoint.RunIdentity run;
    private readonly long examples;
    private readonly List<EpochMetrics> history = new();
    private readonly List<(Tensor Reconstruction, Tensor Kl, long Size)> pending = new();
    private readonly Stopwatch trainClock = new();
    private readonly Stopwatch epochClock = new();

    private DisposeScope? epochScope;
    private DisposeScope? stepScope;
    private Tensor? shuffled;
    private Scalar? klWeightScalar;
    private double klWeightOfScalar = double.NaN;
    private int epoch;
    private int step;
    private long epochExamples;
    private double reconstructionSum;
    private double klSum;
    private double? recentLoss;
    private bool cancelled;

    /// <summary>Starts a run: validates the options and data, seeds TorchSharp, and resumes from a checkpoint when asked.</summary>
    /// <param name="model">The model to train; its parameters go to the optimizer.</param>
    /// <param name="modelName">The model class, for messages and the checkpoint.</param>
    /// <param name="inputSize">The model's input width.</param>
    /// <param name="data">Training examples, [count, inputSize].</param>
    /// <param name="options">How to train.</param>
    /// <exception cref="ArgumentException">The options or the data cannot work; the message says which value.</exception>
    /// <exception cref="InvalidDataException">Resuming from a checkpoint that does not fit this run.</exception>
    public TrainingSession(nn.Module model, string modelName, long inputSize, Tensor data, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.dim() != 2 || data.shape[0] < 1 || data.shape[1] != inputSize)
            throw new ArgumentException($"{modelName} trains on data of shape [count, {inputSize}] with count >= 1, but the data has shape [{string.Join(", ", data.shape)}].", nameof(data));
        if (options.ValidationData is { } validation && (validation.dim() != 2 || validation.shape[0] < 1 || validation.shape[1] != inputSize))
            throw new ArgumentException($"{modelName} validates on data of shape [count, {inputSize}], but TrainingOptions.ValidationData has shape [{string.Join(", ", validation.shape)}].", nameof(options));

        this.model = model;
        this.data = data;
        this.options = options;
        examples = data.shape[0];
        StepsPerEpoch = (int)((examples + options.BatchSize - 1) / options.BatchSize);
        run = new Checkpoint.RunIdentity(modelName, inputSize, options.Seed, options.BatchSize, examples,
            options.LearningRate, options.Beta, options.KlWarmupEpochs, options.DynamicBinarization);

        manual_seed(options.Seed);
        Optimizer = new AdamOptimizer(model.parameters(), options.LearningRate);
        try
        {
            if (options.Resume && File.Exists(Checkpoint.PathIn(options.CheckpointDirectory!)))
            {
                history.AddRange(Checkpoint.Read(options.CheckpointDirectory!, run, model, Optimizer));
                epoch = history.Count;
            }
        }
        catch
        {
            Optimizer.Dispose();
            throw;
        }
        ResumedAfterEpoch = epoch;
        model.train();
    }

    /// <summary>The optimizer the generated loop steps.</summary>
    public AdamOptimizer Optimizer { get; }

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The epoch the run resumed after; 0 for a fresh start.</summary>
    public int ResumedAfterEpoch { get; }

    /// <summary>The completed epochs so far, with whether cancellation stopped the run.</summary>
    public TrainingHistory History => new(history.ToArray(), ResumedAfterEpoch, cancelled);

    /// <summary>Begins the next epoch with a fresh shuffle; false when all epochs are done or the run was cancelled.</summary>
    public bool NextEpoch(CancellationToken cancellationToken)
    {
        CloseEpoch();
        if (cancelled || epoch >= options.Epochs) return false;
        if (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            return false;
        }

        epoch++;
        step = 0;
        epochExamples = 0;
        reconstructionSum = klSum = 0;
        epochClock.Restart();
        trainClock.Reset();
        epochScope = NewDisposeScope();
        // One gather per epoch; every batch is then a contiguous slice of it.
        using (var order = randperm(examples, device: data.device)) shuffled = data.index_select(0, order);
        return true;
    }

    /// <summary>
    /// Closes the previous step's dispose scope (freeing everything that step made) and hands out the next batch, a
    /// slice of this epoch's shuffle. False at the end of the epoch, or when cancellation was requested.
    /// </summary>
    public bool NextBatch(CancellationToken cancellationToken, out Tensor batch)
    {
        CloseStep();
        batch = null!;
        if (step >= StepsPerEpoch) return false;
        if (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            return false;
        }

        trainClock.Start();
        stepScope = NewDisposeScope();
        var start = (long)step * options.BatchSize;
        batch = shuffled!.narrow(0, start, Math.Min(options.BatchSize, examples - start));
        step++;
        return true;
    }

    /// <summary>A Bernoulli draw of the batch's grey levels: a fresh binary target each pass (dynamic binarization).</summary>
    public Tensor Binarize(Tensor batch) => bernoulli(batch);

    /// <summary>The KL weight for the current step: beta, ramped linearly from 0 over the warm-up epochs.</summary>
    public double KlWeight
    {
        get
        {
            if (options.KlWarmupEpochs == 0) return options.Beta;
            var progress = (epoch - 1 + (double)(step - 1) / StepsPerEpoch) / options.KlWarmupEpochs;
            return options.Beta * Math.Min(1.0, progress);
        }
    }

    /// <summary>The training objective, reconstruction + KlWeight * kl. With weight 1 it is the negative ELBO.</summary>
    public Tensor Objective(Tensor reconstruction, Tensor kl)
    {
        var weight = KlWeight;
        if (weight == 1.0) return reconstruction + kl;
        if (weight != klWeightOfScalar)
        {
            klWeightScalar?.Dispose();
            klWeightScalar = weight.ToScalar();
            klWeightOfScalar = weight;
        }
        return reconstruction.add(kl, klWeightScalar!);
    }

    /// <summary>Keeps the step's loss terms, detached, to be read back in bulk every ReportEvery steps.</summary>
    public void Record(Tensor reconstruction, Tensor kl, long batchSize)
    {
        pending.Add((reconstruction.detach().DetachFromDisposeScope(), kl.detach().DetachFromDisposeScope(), batchSize));
        if (pending.Count >= options.ReportEvery || step == StepsPerEpoch) ReadBack();
        options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, step, StepsPerEpoch, recentLoss, null));
    }

    /// <summary>
    /// Ends the epoch: evaluates the validation data when due, appends the figures, writes the checkpoint and reports.
    /// Returns null, and does nothing, when cancellation cut the epoch short.
    /// </summary>
    /// <param name="evaluate">The model's evaluation of a data set at a batch size (the generated <c>Evaluate</c>).</param>
    public EpochMetrics? EndEpoch(Func<Tensor, int, ElboSummary> evaluate)
    {
        CloseStep();
        if (cancelled || step < StepsPerEpoch) return null;
        ReadBack();
        var trainSeconds = trainClock.Elapsed.TotalSeconds;

        ElboSummary? validation = null;
        if (options.ValidationData is { } validationData && (epoch % options.EvaluateEvery == 0 || epoch == options.Epochs))
        {
            model.eval();
            validation = evaluate(validationData, Math.Max(options.BatchSize, 500));
            model.train();
            if (!double.IsFinite(validation.Loss))
                throw new TrainingDivergedException(
                    string.Create(CultureInfo.InvariantCulture,
                        $"The validation -ELBO after epoch {epoch} is {validation.Loss} (reconstruction {validation.Reconstruction}, KL {validation.Kl}) although training stayed finite; check the validation data. Training stopped; {KeptCheckpoint()}."),
                    epoch, step);
        }

        var metrics = new EpochMetrics(
            epoch,
            (reconstructionSum + klSum) / epochExamples,
            reconstructionSum / epochExamples,
            klSum / epochExamples,
            KlWeight,
            validation?.Loss,
            validation?.Reconstruction,
            validation?.Kl,
            epochExamples / trainSeconds,
            trainSeconds,
            epochClock.Elapsed.TotalSeconds);
        if (options.CheckpointDirectory is { } directory)
            Checkpoint.Write(directory, run, [.. history, metrics], model, Optimizer);
        history.Add(metrics);
        options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, step, StepsPerEpoch, recentLoss, metrics));
        return metrics;
    }

    /// <summary>Frees the batch scopes, the optimizer and any loss values not yet read.</summary>
    public void Dispose()
    {
        CloseEpoch();
        foreach (var (reconstruction, kl, _) in pending)
        {
            reconstruction.Dispose();
            kl.Dispose();
        }
        pending.Clear();
        klWeightScalar?.Dispose();
        Optimizer.Dispose();
    }

    /// <summary>Reads the pending loss terms back in one transfer, adds them up, and stops on the first non-finite one.</summary>
    private void ReadBack()
    {
        if (pending.Count == 0) return;
        double[] values;
        using (var scope = NewDisposeScope())
        {
            var terms = new Tensor[pending.Count * 2];
            for (var i = 0; i < pending.Count; i++)
            {
                terms[2 * i] = pending[i].Reconstruction;
                terms[2 * i + 1] = pending[i].Kl;
            }
            values = stack(terms).to(ScalarType.Float64).cpu().data<double>().ToArray();
        }

        var firstStep = step - pending.Count + 1;
        double recentSum = 0;
        long recentExamples = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var (reconstruction, kl, size) = (values[2 * i], values[2 * i + 1], pending[i].Size);
            if (!double.IsFinite(reconstruction) || !double.IsFinite(kl)) Diverged(firstStep + i, reconstruction, kl);
            reconstructionSum += reconstruction * size;
            klSum += kl * size;
            recentSum += (reconstruction + kl) * size;
            recentExamples += size;
        }
        epochExamples += recentExamples;
        recentLoss = recentSum / recentExamples;
        foreach (var (reconstruction, kl, _) in pending)
        {
            reconstruction.Dispose();
            kl.Dispose();
        }
        pending.Clear();
    }

    private void Diverged(int badStep, double reconstruction, double kl) =>
        throw new TrainingDivergedException(
            string.Format(CultureInfo.InvariantCulture,
                "Training diverged at epoch {0}, step {1} of {2}: reconstruction {3}, KL {4}. Training stopped; {5}. Try a lower learning rate (it is {6}).",
                epoch, badStep, StepsPerEpoch, reconstruction, kl, KeptCheckpoint(), options.LearningRate),
            epoch, badStep);

    /// <summary>What became of the checkpoint, for the message of a stopped run.</summary>
    private string KeptCheckpoint() => options.CheckpointDirectory is { } directory && history.Count > 0
        ? $"the checkpoint {Checkpoint.PathIn(directory)} (after epoch {history.Count}) is left as it was"
        : "this run has written no checkpoint";

    private void CloseStep()
    {
        trainClock.Stop();
        stepScope?.Dispose();
        stepScope = null;
    }

    private void CloseEpoch()
    {
        CloseStep();
        epochScope?.Dispose();
        epochScope = null;
        shuffled = null;
    }
}
