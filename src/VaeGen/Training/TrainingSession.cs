using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using TorchSharp;
using VaeGen.Checks;
using VaeGen.Data;
using VaeGen.Maths;
using VaeGen.Scaling;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>
/// The machinery behind a generated <c>Fit</c>: seeding, shuffled mini-batches (with their conditions, for a
/// conditional model), each step's tensors freed by the next, the Adam optimizer, the training objective (beta, KL
/// warm-up, free bits), loss bookkeeping read back every few steps, the NaN guard, evaluation, checkpoints and progress.
/// The generated loop keeps the model-specific part (forward pass, loss, backward) in plain sight.
/// </summary>
/// <remarks>
/// A session is either unconditional (no conditions given) or conditional, and each kind has its own
/// <c>NextBatch</c> and <c>EndEpoch</c> overloads; calling the other kind's throws <see cref="InvalidOperationException"/>,
/// so that a conditional model cannot silently train or validate without its conditions.
/// </remarks>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrainingSession : IDisposable
{
    private readonly nn.Module model;
    private readonly string modelName;
    private readonly Tensor? data;
    private readonly IExampleStream? stream;
    private readonly ValueRule? streamValues;
    private readonly Tensor? conditions;
    private readonly TrainingOptions options;
    private readonly Checkpoint.RunIdentity run;
    private readonly long examples;
    private readonly List<EpochMetrics> history = new();
    private readonly List<Pending> pending = new();
    private readonly Scalar? freeBitsScalar;
    private readonly Stopwatch trainClock = new();
    private readonly Stopwatch epochClock = new();
    private readonly ModuleMode trainingMode;
    private readonly TensorBoardLog? tensorBoard;

    private DisposeScope? epochScope;
    private DisposeScope? stepScope;
    private Tensor? order;
    // The epoch's shuffle read out once, and the batches (and their conditions, and binarized draws) gathered into
    // tensors kept per batch size, when the data and conditions are contiguous on the CPU (see GathersRows).
    private long[]? rows;
    private readonly Dictionary<long, Gathered> gathered = new();
    private Gathered? stepGathered; // this step's
    private StreamBatches? streamBatches;
    // The tensor streamed batches are made like: the first parameter.
    private readonly Tensor? streamLike;
    private Tensor? stepFlooredKl;
    private Tensor? stepBound;
    private readonly bool importanceWeighted;
    private Scalar? klWeightScalar;
    private double klWeightOfScalar = double.NaN;
    private int epoch;
    private int step;
    private int drawsThisStep;
    private long epochExamples;
    private double reconstructionSum;
    private double klSum;
    private double objectiveKlSum;
    private double? recentLoss;
    private double? recentObjective;
    private bool cancelled;

    /// <summary>
    /// Starts a run of an unconditional model that trains on the plain ELBO unless <see cref="TrainingOptions.Beta"/>
    /// says otherwise: the same as the full constructor with <see cref="KlObjective.Elbo"/> and no conditions.
    /// </summary>
    /// <param name="model">The model to train; its parameters go to the optimizer.</param>
    /// <param name="modelName">The model class's full name (namespace, containing types, class), for messages and the checkpoint.</param>
    /// <param name="inputSize">The model's input width.</param>
    /// <param name="data">Training examples, [count, inputSize].</param>
    /// <param name="options">How to train.</param>
    /// <exception cref="ArgumentException">The options or the data cannot work; the message says which value.</exception>
    /// <exception cref="IOException">The checkpoint directory cannot be written, or holds a checkpoint the options do not allow to replace.</exception>
    /// <exception cref="InvalidDataException">Resuming from a checkpoint that does not fit this run.</exception>
    public TrainingSession(nn.Module model, string modelName, long inputSize, Tensor data, TrainingOptions options)
        : this(model, modelName, inputSize, data, options, KlObjective.Elbo)
    {
    }

    /// <summary>
    /// Starts a run: validates the options, objective, data and conditions, checks that the checkpoint directory can be
    /// written and holds no checkpoint the run may not replace, seeds TorchSharp, resumes from a checkpoint when asked,
    /// and puts the model in training mode until the session is disposed.
    /// </summary>
    /// <param name="model">The model to train; its parameters go to the optimizer.</param>
    /// <param name="modelName">The model class's full name (namespace, containing types, class), for messages and the checkpoint.</param>
    /// <param name="inputSize">The model's input width.</param>
    /// <param name="data">Training examples, [count, inputSize].</param>
    /// <param name="options">How to train.</param>
    /// <param name="objective">
    /// The KL weighting the model declares. <see cref="TrainingOptions.Beta"/>, when set, replaces its beta; its free
    /// bits apply as declared.
    /// </param>
    /// <param name="conditions">
    /// A conditional model's condition for each example, [count] (class labels) or [count, F] (features), on the data's
    /// device; shuffled with the data. Null for an unconditional model.
    /// </param>
    /// <param name="architecture">
    /// The generated model's <c>Architecture</c>, recorded in the checkpoint: resuming into a model whose architecture
    /// differs is refused, naming the lines that differ. Empty when unknown; the tensors' names and shapes are compared anyway.
    /// </param>
    /// <exception cref="ArgumentException">The options, objective, data or conditions cannot work; the message says which value.</exception>
    /// <exception cref="IOException">
    /// <see cref="TrainingOptions.CheckpointDirectory"/> cannot be written, or holds a checkpoint while neither
    /// <see cref="TrainingOptions.Resume"/> nor <see cref="TrainingOptions.OverwriteCheckpoint"/> is set; nothing has been trained.
    /// </exception>
    /// <exception cref="InvalidDataException">Resuming from a checkpoint that does not fit this run: another model, architecture or settings, or a damaged file.</exception>
    public TrainingSession(
        nn.Module model, string modelName, long inputSize, Tensor data, TrainingOptions options, KlObjective objective, Tensor? conditions = null, string architecture = "")
        : this(model, modelName, inputSize, data, null, null, options, objective, conditions, architecture)
    {
    }

    /// <summary>
    /// Starts a run on a streamed data set, read pass after pass and never held whole: each epoch opens the stream and
    /// draws its batches through a shuffle buffer of <see cref="TrainingOptions.ShuffleBufferSize"/> examples, seeded by
    /// <see cref="TrainingOptions.Seed"/> and the epoch's number alone, so a resumed run sees the batches an
    /// uninterrupted one would. The examples are checked against <paramref name="values"/> as the run's first epoch reads them.
    /// Otherwise as the tensor constructor: options, objective, checkpoint directory, seeding, resuming, modes.
    /// </summary>
    /// <param name="model">The model to train; its parameters go to the optimizer, and batches are made in their dtype and on their device.</param>
    /// <param name="modelName">The model class's full name, for messages and the checkpoint.</param>
    /// <param name="inputSize">The model's input width.</param>
    /// <param name="data">The training examples, <see cref="IExampleStream.Features"/> = <paramref name="inputSize"/>.</param>
    /// <param name="options">How to train.</param>
    /// <param name="objective">The KL weighting the model declares.</param>
    /// <param name="values">What the likelihood can describe; an example that breaks it stops the run with its place in the stream.</param>
    /// <param name="architecture">The generated model's <c>Architecture</c>, recorded in the checkpoint.</param>
    /// <exception cref="ArgumentException">The options, objective or stream's width cannot work; the message says which value.</exception>
    /// <exception cref="IOException">As for the tensor constructor.</exception>
    /// <exception cref="InvalidDataException">As for the tensor constructor.</exception>
    public TrainingSession(
        nn.Module model, string modelName, long inputSize, IExampleStream data, TrainingOptions options, KlObjective objective, ValueRule values, string architecture = "")
        : this(model, modelName, inputSize, null, data ?? throw new ArgumentNullException(nameof(data)), values ?? throw new ArgumentNullException(nameof(values)), options, objective, null, architecture)
    {
    }

    private TrainingSession(
        nn.Module model, string modelName, long inputSize, Tensor? data, IExampleStream? stream, ValueRule? streamValues, TrainingOptions options, KlObjective objective, Tensor? conditions, string architecture)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(architecture);
        options.Validate();
        objective.Validate();
        if (data is not null && (data.dim() != 2 || data.shape[0] < 1 || data.shape[1] != inputSize))
            throw new ArgumentException($"{modelName} trains on data of shape [count, {inputSize}] with count >= 1, but the data has shape {Checks.ShapeText.Of(data.shape)}.", nameof(data));
        if (stream is not null && (stream.Features != inputSize || stream.Count < 1))
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{modelName} trains on examples of {inputSize} features, but the stream {stream.Source} holds {stream.Count} examples of {stream.Features}."),
                nameof(data));
        if (options.ValidationData is { } validation && (validation.dim() != 2 || validation.shape[0] < 1 || validation.shape[1] != inputSize))
            throw new ArgumentException($"{modelName} validates on data of shape [count, {inputSize}], but TrainingOptions.ValidationData has shape {Checks.ShapeText.Of(validation.shape)}.", nameof(options));
        if (data is not null) RequireConditions(modelName, data, conditions, options);
        if (objective.ImportanceWeighted && (options.Beta is not null || options.KlWarmupEpochs > 0))
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"{modelName} trains on the importance-weighted bound, which has no separate KL term, but TrainingOptions sets {(options.Beta is { } beta ? $"Beta = {beta}" : $"KlWarmupEpochs = {options.KlWarmupEpochs}")}; leave it unset, or declare Objective.Elbo to weight the KL."),
                nameof(options));
        importanceWeighted = objective.ImportanceWeighted;

        this.model = model;
        this.modelName = modelName;
        this.data = data;
        this.stream = stream;
        this.streamValues = streamValues;
        if (stream is not null) streamLike = System.Linq.Enumerable.First(model.parameters());
        this.conditions = conditions;
        GathersRows = data is not null && Gatherable(data) && (conditions is null || Gatherable(conditions));
        this.options = options;
        Beta = options.Beta ?? objective.Beta;
        FreeBits = objective.FreeBits;
        if (FreeBits > 0) freeBitsScalar = FreeBits.ToScalar();
        examples = data?.shape[0] ?? stream!.Count;
        StepsPerEpoch = (int)((examples + options.BatchSize - 1) / options.BatchSize);
        run = new Checkpoint.RunIdentity(modelName, architecture, inputSize, options.Seed, options.BatchSize, examples,
            options.LearningRate, Beta, FreeBits, options.KlWarmupEpochs, options.DynamicBinarization);
        if (options.CheckpointDirectory is { } checkpointDirectory) PrepareCheckpointDirectory(checkpointDirectory, options);
        if (options.TensorBoardDirectory is { } tensorBoardDirectory)
            tensorBoard = new TensorBoardLog(tensorBoardDirectory, model, architecture, options.TensorBoardImagesEvery, options.Seed);

        manual_seed(options.Seed);
        Optimizer = new AdamOptimizer(model.parameters(), options.LearningRate, allowFused: options.FusedAdam);
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
            freeBitsScalar?.Dispose();
            throw;
        }
        ResumedAfterEpoch = epoch;
        // Training mode until Dispose, which gives the model back the modes the caller had set.
        trainingMode = ModuleMode.Training(model);
    }

    /// <summary>The optimizer the generated loop steps.</summary>
    public AdamOptimizer Optimizer { get; }

    /// <summary>The model being trained.</summary>
    internal nn.Module Model => model;

    /// <summary>Optimizer steps in one epoch.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The beta in effect: <see cref="TrainingOptions.Beta"/> when set, the model's otherwise. Warm-up ramps it (<see cref="KlWeight"/>).</summary>
    public double Beta { get; }

    /// <summary>The free bits of the objective: the floor on each latent dimension's batch-mean KL, in nats; 0 for none.</summary>
    public double FreeBits { get; }

    /// <summary>True when the session was given conditions: use the conditional <c>NextBatch</c> and <c>EndEpoch</c>.</summary>
    public bool IsConditional => conditions is not null;

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
        reconstructionSum = klSum = objectiveKlSum = 0;
        epochClock.Restart();
        trainClock.Reset();
        // Gathered steps make no tensor that outlives them; what the epoch's end makes goes in a scope opened there.
        epochScope = GathersRows ? null : NewDisposeScope();
        if (stream is not null)
        {
            // The shuffle depends on the seed and the epoch alone (not on TorchSharp's generator), so a resumed run
            // draws the batches the uninterrupted run drew. Values are checked as this run's first epoch reads them.
            var seed = unchecked((ulong)options.Seed * Maths.SplitMix64.Gamma + (ulong)epoch);
            streamBatches = new StreamBatches(stream, options.ShuffleBufferSize, seed, epoch == ResumedAfterEpoch + 1 ? streamValues : null, "data", modelName);
            return true;
        }

        // One permutation per epoch; each step gathers its batch's rows (and their conditions). A gather of the whole
        // data set up front would map hundreds of megabytes of fresh pages every epoch.
        if (GathersRows)
        {
            rows ??= new long[examples];
            using var permutation = randperm(examples, device: data!.device);
            MemoryMarshal.Cast<byte, long>(permutation.bytes).CopyTo(rows);
            return true;
        }
        order = randperm(examples, device: data!.device);
        return true;
    }

    /// <summary>
    /// Closes the previous step's dispose scope (freeing everything that step made) and hands out the next batch, a
    /// slice of this epoch's shuffle. False at the end of the epoch, or when cancellation was requested.
    /// </summary>
    /// <remarks>
    /// A batch of a tensor data set contiguous on the CPU is gathered into a tensor the session keeps for the batch
    /// size, and owns: do not dispose it, and clone it to keep it. It holds this step's examples until the next step of
    /// the same batch size overwrites it (the last, shorter batch of an epoch has its own). With a compiled step (which
    /// makes no tensors) such steps run without a dispose scope, and so do their epochs until the epoch's end opens one
    /// (for the validation, the checkpoint and the report), which the next epoch or Dispose closes.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The session is conditional: use the overload that also hands out the conditions.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NextBatch(CancellationToken cancellationToken, out Tensor batch)
    {
        if (conditions is not null)
            throw new InvalidOperationException("This training session has conditions; take each batch with NextBatch(cancellationToken, out batch, out condition) so the model sees them.");
        return Advance(cancellationToken, out batch, out _);
    }

    /// <summary>
    /// The conditional form of <see cref="NextBatch(CancellationToken, out Tensor)"/>: the same batch, and the conditions
    /// of its examples, row for row (the same slice of the same shuffle).
    /// </summary>
    /// <exception cref="InvalidOperationException">The session has no conditions (it was started without them).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NextBatch(CancellationToken cancellationToken, out Tensor batch, out Tensor condition)
    {
        if (conditions is null)
            throw new InvalidOperationException("This training session has no conditions; it was started without them. Take each batch with NextBatch(cancellationToken, out batch), or pass the conditions to the constructor.");
        var more = Advance(cancellationToken, out batch, out var slice);
        condition = slice!;
        return more;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Advance(CancellationToken cancellationToken, out Tensor batch, out Tensor? condition)
    {
        CloseStep();
        batch = null!;
        condition = null;
        if (step >= StepsPerEpoch) return false;
        if (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
            return false;
        }

        trainClock.Start();
        // A step that makes no tensors (a compiled step's, on batches gathered here) needs no scope to free them.
        stepScope = StepsMakeNoTensors && GathersRows ? null : NewDisposeScope();
        drawsThisStep = 0;
        var start = (long)step * options.BatchSize;
        var size = Math.Min(options.BatchSize, examples - start);
        if (GathersRows)
        {
            if (!gathered.TryGetValue(size, out stepGathered))
            {
                stepGathered = new Gathered(Buffer(data!, size), conditions is null ? null : Buffer(conditions, size));
                gathered.Add(size, stepGathered);
            }
            batch = Gather(data!, stepGathered.Batch, start);
            condition = conditions is null ? null : Gather(conditions, stepGathered.Conditions!, start);
        }
        else if (stream is null)
        {
            var batchRows = order!.narrow(0, start, size);
            batch = data!.index_select(0, batchRows);
            condition = conditions?.index_select(0, batchRows);
        }
        else
        {
            // In the parameters' dtype and on their device, as a tensor data set must already be. Every pass yields
            // exactly Count examples (StreamBatches refuses a stream that does not), so no step comes up short.
            batch = streamBatches!.NextBatch((int)size, streamLike!)!;
        }
        step++;
        return true;
    }

    /// <summary>
    /// A Bernoulli draw of the batch's grey levels: a fresh binary target each pass (dynamic binarization). Drawn as
    /// [u &lt; p] with u uniform on [0, 1) in steps of 2^-24, which is Bernoulli(p) to within 2^-24. Each u comes from a
    /// counter-based generator keyed by <see cref="TrainingOptions.Seed"/>, the epoch, the step, the draw's number
    /// within the step and the element's place (SplitMix64), so the draw is reproducible per seed,
    /// each call draws afresh, a resumed run draws what the uninterrupted one drew, and TorchSharp's generator is left to
    /// the reparameterization's noise. It takes about 0.25 ms for 128 images, where libtorch's rand_like took 0.42.
    /// </summary>
    /// <remarks>
    /// For a batch this session gathered, the draw goes into a tensor the session keeps for the batch size and the draw's
    /// number within the step, and owns, as the batch itself: do not dispose it, and clone it to keep it. It holds the
    /// draw until the same draw of the next step of the same batch size.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Binarize(Tensor batch)
    {
        var key = BinarizationDraw.Key(options.Seed, epoch, step, drawsThisStep);
        Tensor? into = null;
        // Only where the draw is made in C# (float32 or float64); libtorch's draw makes a tensor of its own.
        if (stepGathered is { } kept && ReferenceEquals(batch, kept.Batch) && batch.dtype is ScalarType.Float32 or ScalarType.Float64)
        {
            if (kept.Draws.Count == drawsThisStep) kept.Draws.Add(empty_like(batch).DetachFromDisposeScope());
            into = kept.Draws[drawsThisStep];
        }
        drawsThisStep++;
        return BinarizationDraw.Draw(batch, key, into: into);
    }

    /// <summary>
    /// Whether each step's batch is gathered in C# from the data's rows into a tensor kept per batch size, rather than
    /// by libtorch's index_select into a new one: for a tensor data set (and conditions) contiguous on the CPU. The rows
    /// and their order are the same either way; only the gather makes no tensor per step.
    /// </summary>
    internal bool GathersRows { get; }

    /// <summary>
    /// Set by a step that makes no tensors of its own (the compiled step): the steps of a session that gathers its
    /// batches then run without a dispose scope each.
    /// </summary>
    internal bool StepsMakeNoTensors { get; set; }

    private static bool Gatherable(Tensor tensor) =>
        tensor.device_type == DeviceType.CPU && tensor.is_contiguous() && tensor.numel() > 0 && tensor.numel() * tensor.element_size() <= int.MaxValue;

    /// <summary>A tensor for <paramref name="size"/> rows of <paramref name="source"/>, kept by the session.</summary>
    private static Tensor Buffer(Tensor source, long size)
    {
        var shape = source.shape;
        shape[0] = size;
        return empty(shape, dtype: source.dtype, device: source.device).DetachFromDisposeScope();
    }

    /// <summary>
    /// Rows rows[start..] of <paramref name="source"/> copied, in that order, into <paramref name="buffer"/> until it is
    /// full: what index_select makes, without a new tensor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor Gather(Tensor source, Tensor buffer, long start)
    {
        ReadOnlySpan<byte> from = source.bytes;
        var to = buffer.bytes;
        var rowBytes = (int)(from.Length / examples);
        var count = to.Length / rowBytes;
        for (var i = 0; i < count; i++)
            from.Slice((int)rows![start + i] * rowBytes, rowBytes).CopyTo(to.Slice(i * rowBytes, rowBytes));
        return buffer;
    }

    /// <summary>The tensors kept for one batch size: the batch, its conditions (for a conditional session) and its binarized draws, one per draw of a step.</summary>
    private sealed class Gathered(Tensor batch, Tensor? conditions)
    {
        public Tensor Batch { get; } = batch;

        public Tensor? Conditions { get; } = conditions;

        public List<Tensor> Draws { get; } = new();

        public void Dispose()
        {
            Batch.Dispose();
            Conditions?.Dispose();
            foreach (var draw in Draws) draw.Dispose();
        }
    }

    /// <summary>The KL weight for the current step: <see cref="Beta"/>, ramped linearly from 0 over the warm-up epochs.</summary>
    public double KlWeight
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        get
        {
            if (options.KlWarmupEpochs == 0) return Beta;
            var progress = (epoch - 1 + (double)(step - 1) / StepsPerEpoch) / options.KlWarmupEpochs;
            return Beta * Math.Min(1.0, progress);
        }
    }

    /// <summary>The training objective, reconstruction + KlWeight * kl. With weight 1 it is the negative ELBO.</summary>
    /// <exception cref="InvalidOperationException">The objective has free bits, which need the KL per latent dimension: use <see cref="TrainingObjective"/>.</exception>
    public Tensor Objective(Tensor reconstruction, Tensor kl)
    {
        if (FreeBits > 0)
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"The objective has free bits ({FreeBits} nats per latent dimension), which floor the KL of each dimension; call TrainingObjective(reconstruction, klPerDimension) instead of Objective."));
        return Weighted(reconstruction, kl);
    }

    /// <summary>
    /// The training objective with free bits: reconstruction + KlWeight * sum_j max(FreeBits, klPerDimension_j). A
    /// dimension below the floor contributes the floor and no gradient. With no free bits it is
    /// reconstruction + KlWeight * klPerDimension.sum(), and with weight 1 as well it is the negative ELBO. The floored KL
    /// is kept (detached) for <see cref="Record(Tensor, Tensor, long)"/> to account the objective of this step.
    /// </summary>
    /// <param name="reconstruction">The batch-mean reconstruction term, a scalar tensor.</param>
    /// <param name="klPerDimension">The batch-mean KL of each latent dimension, shape [latent], in nats.</param>
    /// <exception cref="ArgumentException"><paramref name="klPerDimension"/> is not one-dimensional.</exception>
    public Tensor TrainingObjective(Tensor reconstruction, Tensor klPerDimension)
    {
        if (klPerDimension.dim() != 1)
            throw new ArgumentException($"The KL per latent dimension must have shape [latent] (the batch mean of each dimension), but it has shape {Checks.ShapeText.Of(klPerDimension.shape)}.", nameof(klPerDimension));
        if (freeBitsScalar is null) return Weighted(reconstruction, klPerDimension.sum());

        var floored = klPerDimension.clamp_min(freeBitsScalar).sum();
        stepFlooredKl = floored.detach();
        return Weighted(reconstruction, floored);
    }

    /// <summary>
    /// The importance-weighted training objective: the model's negative bound itself, kept (detached) for
    /// <see cref="Record(Tensor, Tensor, long)"/> to account as this step's objective.
    /// </summary>
    /// <param name="negativeBound">The batch-mean negative importance-weighted bound, a scalar tensor.</param>
    /// <exception cref="InvalidOperationException">The session's objective is a weighted ELBO: use <see cref="Objective"/>.</exception>
    public Tensor BoundObjective(Tensor negativeBound)
    {
        if (!importanceWeighted)
            throw new InvalidOperationException("The session trains a weighted ELBO; BoundObjective is for a session created with KlObjective.ImportanceWeightedBound.");
        stepBound = negativeBound.detach();
        return negativeBound;
    }

    /// <summary>
    /// Keeps the step's loss terms, detached, to be read back in bulk every ReportEvery steps. The step's objective is
    /// accounted alongside, as reconstruction + KlWeight * the floored KL that <see cref="TrainingObjective"/> computed
    /// in this step, or reconstruction + KlWeight * <paramref name="kl"/> when there are no free bits (what
    /// <see cref="Objective"/> optimizes). No extra reads from the device: the floored KL joins the bulk read.
    /// </summary>
    /// <param name="reconstruction">The batch-mean reconstruction term.</param>
    /// <param name="kl">The batch-mean KL, unweighted and unfloored: the ELBO's term.</param>
    /// <param name="batchSize">Examples in the batch, the weight of its means.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(Tensor reconstruction, Tensor kl, long batchSize)
    {
        Keep(new Pending(
            reconstruction.detach().DetachFromDisposeScope(),
            kl.detach().DetachFromDisposeScope(),
            stepFlooredKl?.DetachFromDisposeScope(),
            stepBound?.DetachFromDisposeScope(),
            KlWeight,
            batchSize));
    }

    /// <summary>
    /// The form of <see cref="Record(Tensor, Tensor, long)"/> for a step that computes its batch means itself, as
    /// float32 numbers (the compiled step's <see cref="DenseBernoulliStep.StepMeans"/>): they are accounted exactly as
    /// the same values in float32 scalar tensors would be, without making tensors of them or reading them back. The
    /// objective is reconstruction + KlWeight * <paramref name="kl"/>.
    /// </summary>
    /// <param name="reconstruction">The batch-mean reconstruction term.</param>
    /// <param name="kl">The batch-mean KL, unweighted: the ELBO's term.</param>
    /// <param name="batchSize">Examples in the batch, the weight of its means.</param>
    /// <exception cref="InvalidOperationException">
    /// The objective has free bits (the tensor form takes the floored KL that <see cref="TrainingObjective"/> kept), or
    /// this step's objective was the bound of <see cref="BoundObjective"/>: record such steps with the tensor form.
    /// </exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Record(float reconstruction, float kl, long batchSize)
    {
        if (FreeBits > 0 || stepBound is not null)
            throw new InvalidOperationException(
                "This step's objective has a floored KL or a bound, which Record(float, float, long) cannot take: record the step with Record(reconstruction, kl, batchSize) on its tensors.");
        Keep(new Pending(null, null, null, null, KlWeight, batchSize, reconstruction, kl));
    }

    /// <summary>Keeps a recorded step for the bulk read-back, reads back when due, and reports the step's progress.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Keep(Pending entry)
    {
        pending.Add(entry);
        stepFlooredKl = null;
        stepBound = null;
        if (pending.Count >= options.ReportEvery || step == StepsPerEpoch) ReadBack();
        options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, step, StepsPerEpoch, recentLoss, recentObjective, null));
    }

    /// <summary>
    /// Ends the epoch: evaluates the validation data when due, appends the figures, writes the checkpoint and reports.
    /// Returns null, and does nothing, when cancellation cut the epoch short.
    /// </summary>
    /// <param name="evaluate">The model's evaluation of a data set at a batch size (the generated <c>Evaluate</c>).</param>
    /// <exception cref="InvalidOperationException">The session is conditional: use the overload whose evaluation takes the conditions.</exception>
    public EpochMetrics? EndEpoch(Func<Tensor, int, ElboSummary> evaluate)
    {
        if (conditions is not null)
            throw new InvalidOperationException("This training session has conditions; end the epoch with EndEpoch(evaluate) where evaluate takes (data, conditions, batchSize).");
        return Finish(batchSize => evaluate(options.ValidationData!, batchSize));
    }

    /// <summary>
    /// The conditional form of <see cref="EndEpoch(Func{Tensor, int, ElboSummary})"/>: the evaluation is given
    /// <see cref="TrainingOptions.ValidationData"/>, <see cref="TrainingOptions.ValidationConditions"/> and a batch size.
    /// </summary>
    /// <param name="evaluate">The model's evaluation of a data set with its conditions at a batch size.</param>
    /// <exception cref="InvalidOperationException">The session has no conditions.</exception>
    public EpochMetrics? EndEpoch(Func<Tensor, Tensor, int, ElboSummary> evaluate)
    {
        if (conditions is null)
            throw new InvalidOperationException("This training session has no conditions; end the epoch with EndEpoch(evaluate) where evaluate takes (data, batchSize).");
        return Finish(batchSize => evaluate(options.ValidationData!, options.ValidationConditions!, batchSize));
    }

    /// <summary>
    /// Called as an epoch ends, before anything else: the compiled step gives libtorch back the threads it took for the
    /// epoch's steps, so that the validation, the checkpoint and the caller's own work between epochs have them.
    /// </summary>
    internal event Action? EpochEnding;

    private EpochMetrics? Finish(Func<int, ElboSummary> evaluateValidation)
    {
        EpochEnding?.Invoke();
        CloseStep();
        // Whatever the epoch's end makes (validation, checkpoint, TensorBoard) is freed when the next epoch begins.
        epochScope ??= NewDisposeScope();
        if (cancelled || step < StepsPerEpoch) return null;
        ReadBack();
        var trainSeconds = trainClock.Elapsed.TotalSeconds;

        ElboSummary? validation = null;
        if (options.ValidationData is not null && (epoch % options.EvaluateEvery == 0 || epoch == options.Epochs))
        {
            using (ModuleMode.Evaluating(model))
                validation = evaluateValidation(Math.Max(options.BatchSize, 500));
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
            (reconstructionSum + objectiveKlSum) / epochExamples,
            KlWeight,
            FreeBits,
            validation?.Loss,
            validation?.Reconstruction,
            validation?.Kl,
            epochExamples / trainSeconds,
            trainSeconds,
            epochClock.Elapsed.TotalSeconds);
        if (options.CheckpointDirectory is { } directory)
        {
            try
            {
                Checkpoint.Write(directory, run, [.. history, metrics], model, Optimizer);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"Cannot write the checkpoint of epoch {epoch} to {Checkpoint.PathIn(directory)} (TrainingOptions.CheckpointDirectory is {directory}): {exception.Message} Training stopped; {KeptCheckpoint()}.",
                    exception);
            }
        }
        history.Add(metrics);
        tensorBoard?.Epoch(metrics, options.ValidationData ?? data, options.ValidationData is null ? conditions : options.ValidationConditions, epoch == options.Epochs);
        options.Progress?.Report(new TrainingProgress(epoch, options.Epochs, step, StepsPerEpoch, recentLoss, recentObjective, metrics));
        return metrics;
    }

    /// <summary>
    /// Frees the step's and epoch's scopes, the kept batches and draws, the optimizer and any loss values not yet read,
    /// and restores the model's modes from before the session.
    /// </summary>
    public void Dispose()
    {
        trainingMode.Dispose();
        CloseEpoch();
        foreach (var entry in pending) entry.Dispose();
        pending.Clear();
        foreach (var kept in gathered.Values) kept.Dispose();
        gathered.Clear();
        klWeightScalar?.Dispose();
        freeBitsScalar?.Dispose();
        Optimizer.Dispose();
    }

    /// <summary>reconstruction + weight * kl, with the weight's Scalar cached (TorchSharp frees Scalars only on finalization).</summary>
    private Tensor Weighted(Tensor reconstruction, Tensor kl)
    {
        var weight = KlWeight;
        if (weight == 1.0) return reconstruction.Plus(kl);
        if (weight != klWeightOfScalar)
        {
            klWeightScalar?.Dispose();
            klWeightScalar = weight.ToScalar();
            klWeightOfScalar = weight;
        }
        return reconstruction.add(kl, klWeightScalar!);
    }

    /// <summary>Reads the pending loss terms back in one transfer, adds them up, and stops on the first non-finite one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadBack()
    {
        if (pending.Count == 0) return;
        // One read of every term held as a tensor; entries recorded as numbers have none.
        var values = Array.Empty<double>();
        var terms = new List<Tensor>(pending.Count * 3);
        foreach (var entry in pending)
        {
            if (entry.Reconstruction is { } reconstructionTerm) terms.Add(reconstructionTerm);
            if (entry.Kl is { } klTerm) terms.Add(klTerm);
            if (entry.FlooredKl is { } floored) terms.Add(floored);
            if (entry.Bound is { } bound) terms.Add(bound);
        }
        if (terms.Count > 0)
        {
            using var scope = NewDisposeScope();
            values = stack(terms).to(ScalarType.Float64).cpu().data<double>().ToArray();
        }

        var firstStep = step - pending.Count + 1;
        double recentSum = 0, recentObjectiveSum = 0, recentReconstructionSum = 0, recentKlSum = 0;
        long recentExamples = 0;
        var next = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var entry = pending[i];
            var reconstruction = entry.Reconstruction is null ? entry.KnownReconstruction : values[next++];
            var kl = entry.Kl is null ? entry.KnownKl : values[next++];
            // The KL part of the objective; with weight 1 and no floor it is kl itself, so the sums agree exactly.
            // The bound's objective is read whole; its "KL part" is what it adds to the reconstruction term.
            var objectiveKl = entry.Bound is not null
                ? values[next++] - reconstruction
                : entry.Weight * (entry.FlooredKl is null ? kl : values[next++]);
            var objective = reconstruction + objectiveKl;
            if (!double.IsFinite(reconstruction) || !double.IsFinite(kl) || !double.IsFinite(objective))
                Diverged(firstStep + i, reconstruction, kl, objective);
            reconstructionSum += reconstruction * entry.Size;
            klSum += kl * entry.Size;
            objectiveKlSum += objectiveKl * entry.Size;
            recentSum += (reconstruction + kl) * entry.Size;
            recentObjectiveSum += objective * entry.Size;
            recentReconstructionSum += reconstruction * entry.Size;
            recentKlSum += kl * entry.Size;
            recentExamples += entry.Size;
        }
        epochExamples += recentExamples;
        recentLoss = recentSum / recentExamples;
        recentObjective = recentObjectiveSum / recentExamples;
        tensorBoard?.Window((epoch - 1) * StepsPerEpoch + step, recentLoss.Value, recentReconstructionSum / recentExamples,
            recentKlSum / recentExamples, recentObjective.Value, pending[^1].Weight);
        foreach (var entry in pending) entry.Dispose();
        pending.Clear();
    }

    private void Diverged(int badStep, double reconstruction, double kl, double objective) =>
        throw new TrainingDivergedException(
            string.Format(CultureInfo.InvariantCulture,
                "Training diverged at epoch {0}, step {1} of {2}: reconstruction {3}, KL {4}, training objective {5}. Training stopped; {6}. {7}",
                epoch, badStep, StepsPerEpoch, reconstruction, kl, objective, KeptCheckpoint(), WhatToTry(badStep)),
            epoch, badStep);

    /// <summary>
    /// The advice for a diverged run. A fresh run's first step is scored before any update, so a loss that is not finite
    /// there is no learning rate's doing: the untrained model cannot score the data, most often raw values far from unit scale.
    /// </summary>
    private string WhatToTry(int badStep)
    {
        if (ResumedAfterEpoch > 0 || epoch != 1 || badStep != 1)
            return string.Create(CultureInfo.InvariantCulture, $"Try a lower learning rate (it is {options.LearningRate}).");
        const string BeforeAnyUpdate = "The loss was not finite on the first step, before any parameter update, so the learning rate is not the cause: the untrained model cannot score this data.";
        foreach (var module in model.modules())
            if (module is FeatureScaler)
                return BeforeAnyUpdate + " Check the data, and that the likelihood can describe it.";
        string largest;
        using (NewDisposeScope())
            largest = data is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" (the largest |value| in the data is {data.abs().max().ReadDouble():G6})");
        return BeforeAnyUpdate + $" Values far from unit scale{largest} overflow the untrained network's exponentials, such as the encoder's variance: declare Scaling = FeatureScaling.Standardize on the model, or scale the data to about unit spread before training.";
    }

    /// <summary>What became of the checkpoint, for the message of a stopped run.</summary>
    private string KeptCheckpoint() => options.CheckpointDirectory is { } directory && history.Count > 0
        ? $"the checkpoint {Checkpoint.PathIn(directory)} (after epoch {history.Count}) is left as it was"
        : "this run has written no checkpoint";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CloseStep()
    {
        trainClock.Stop();
        stepScope?.Dispose();
        stepScope = null;
        stepGathered = null;
        stepFlooredKl = null;
        stepBound = null;
    }

    private void CloseEpoch()
    {
        CloseStep();
        epochScope?.Dispose();
        epochScope = null;
        streamBatches?.Dispose();
        streamBatches = null;
        order = null;
    }

    /// <summary>
    /// Before any training: the checkpoint directory must be writable (created if missing, probed with a file of a unique
    /// name), and a checkpoint already in it is replaced only when the options say so.
    /// </summary>
    private static void PrepareCheckpointDirectory(string directory, TrainingOptions options)
    {
        try
        {
            Checkpoint.RequireWritable(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new IOException(
                $"TrainingOptions.CheckpointDirectory is {directory}, which cannot be written: {exception.Message} Nothing was trained; choose a directory this process can create and write.",
                exception);
        }

        var path = Checkpoint.PathIn(directory);
        if (!options.Resume && !options.OverwriteCheckpoint && File.Exists(path))
            throw new IOException(
                $"TrainingOptions.CheckpointDirectory {directory} already holds a checkpoint ({path}), which this run would replace. Set TrainingOptions.Resume = true to continue it, or TrainingOptions.OverwriteCheckpoint = true to start over and replace it when the first epoch ends; or choose another directory.");
    }

    /// <summary>Checks the conditions against the data, and the validation conditions against the validation data.</summary>
    private static void RequireConditions(string modelName, Tensor data, Tensor? conditions, TrainingOptions options)
    {
        var validationConditions = options.ValidationConditions;
        if (conditions is null)
        {
            if (validationConditions is not null)
                throw new ArgumentException($"TrainingOptions.ValidationConditions is set (shape {Checks.ShapeText.Of(validationConditions.shape)}), but {modelName} is trained without conditions.", nameof(options));
            return;
        }

        if (conditions.dim() < 1 || conditions.shape[0] != data.shape[0])
            throw new ArgumentException($"{modelName} needs one condition per example: the conditions have shape {Checks.ShapeText.Of(conditions.shape)} but the data has shape {Checks.ShapeText.Of(data.shape)}.", nameof(conditions));
        if (conditions.device_type != data.device_type || conditions.device_index != data.device_index)
            throw new ArgumentException($"The conditions are on {conditions.device} but the data is on {data.device}; put them on the same device.", nameof(conditions));
        if (options.ValidationData is not { } validation)
        {
            if (validationConditions is not null)
                throw new ArgumentException($"TrainingOptions.ValidationConditions is set (shape {Checks.ShapeText.Of(validationConditions.shape)}) without TrainingOptions.ValidationData.", nameof(options));
            return;
        }

        if (validationConditions is null)
            throw new ArgumentException($"{modelName} is conditional, so TrainingOptions.ValidationData (shape {Checks.ShapeText.Of(validation.shape)}) needs TrainingOptions.ValidationConditions, one condition per example.", nameof(options));
        if (validationConditions.dim() != conditions.dim() || validationConditions.shape[0] != validation.shape[0]
            || !validationConditions.shape.AsSpan(1).SequenceEqual(conditions.shape.AsSpan(1)))
            throw new ArgumentException(
                $"TrainingOptions.ValidationConditions has shape {Checks.ShapeText.Of(validationConditions.shape)}; with TrainingOptions.ValidationData of shape {Checks.ShapeText.Of(validation.shape)} and training conditions of shape {Checks.ShapeText.Of(conditions.shape)} it must have one condition per validation example, in the training conditions' form.",
                nameof(options));
    }

    /// <summary>
    /// One recorded step awaiting the bulk read-back: its detached terms (or, recorded as numbers, its reconstruction
    /// and KL), the KL weight and the batch size.
    /// </summary>
    /// <param name="Reconstruction">The batch-mean reconstruction term; null when recorded as a number.</param>
    /// <param name="Kl">The batch-mean KL (the ELBO's); null when recorded as a number.</param>
    /// <param name="FlooredKl">The free-bits-floored KL the objective used; null when it used <paramref name="Kl"/>.</param>
    /// <param name="Bound">The negative importance-weighted bound the objective was; null for a weighted ELBO.</param>
    /// <param name="Weight">The KL weight of the step.</param>
    /// <param name="Size">Examples in the batch.</param>
    /// <param name="KnownReconstruction">
    /// The batch-mean reconstruction term recorded as a number (when <paramref name="Reconstruction"/> is null).
    /// </param>
    /// <param name="KnownKl">The batch-mean KL recorded as a number (when <paramref name="Kl"/> is null).</param>
    private readonly record struct Pending(
        Tensor? Reconstruction, Tensor? Kl, Tensor? FlooredKl, Tensor? Bound, double Weight, long Size,
        float KnownReconstruction = 0, float KnownKl = 0)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Dispose()
        {
            Reconstruction?.Dispose();
            Kl?.Dispose();
            FlooredKl?.Dispose();
            Bound?.Dispose();
        }
    }
}
