using System;
using static TorchSharp.torch;

namespace VaeGen.Training;

/// <summary>How a generated model's <c>Fit</c> trains: Adam on the negative ELBO, in shuffled mini-batches.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data. Default: 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per optimizer step; the last batch of an epoch may be smaller. Default: 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's learning rate. Default: 1e-3.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Seeds TorchSharp's generator, which drives initialization-independent randomness: shuffling, noise, binarization. Default: 1.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>
    /// The weight on the KL term of the training objective (beta-VAE). It overrides the beta the model declares (its
    /// <see cref="KlObjective.Beta"/>) when set; null, the default, uses the model's. The reported -ELBO always uses 1.
    /// </summary>
    public double? Beta { get; init; }

    /// <summary>Epochs over which the KL weight rises linearly from 0 to the beta in effect, step by step; 0 disables warm-up.</summary>
    public int KlWarmupEpochs { get; init; }

    /// <summary>
    /// Bernoulli models only: replace each batch by a Bernoulli draw of its grey levels, a fresh binary target every pass.
    /// <see cref="ValidationData"/> is evaluated as given: binarize it once yourself to report a likelihood of binary data.
    /// </summary>
    public bool DynamicBinarization { get; init; }

    /// <summary>Held-out examples, [count, InputSize]; when set, each evaluation reports their -ELBO.</summary>
    public Tensor? ValidationData { get; init; }

    /// <summary>
    /// Conditional models only: the condition of each of <see cref="ValidationData"/>'s examples, in the training
    /// conditions' form (class labels [count] or features [count, F]). Required exactly when the model is conditional
    /// and <see cref="ValidationData"/> is set.
    /// </summary>
    public Tensor? ValidationConditions { get; init; }

    /// <summary>Evaluate the validation data every this many epochs (and after the last). Default: 1.</summary>
    public int EvaluateEvery { get; init; } = 1;

    /// <summary>
    /// Where to keep the checkpoint, rewritten atomically after every epoch; null keeps none. It is created if missing and
    /// checked to be writable before training starts.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>
    /// Continue from the checkpoint in <see cref="CheckpointDirectory"/> when there is one (start afresh when there is
    /// none). The checkpoint must come from the same model (full class name and architecture) and settings.
    /// </summary>
    public bool Resume { get; init; }

    /// <summary>
    /// Start a fresh run even though <see cref="CheckpointDirectory"/> already holds a checkpoint, replacing it when the
    /// first epoch ends. Without it (and without <see cref="Resume"/>) an existing checkpoint is refused rather than
    /// silently replaced. Cannot be combined with <see cref="Resume"/>.
    /// </summary>
    public bool OverwriteCheckpoint { get; init; }

    /// <summary>
    /// Whether Adam may update float32 parameters on the CPU in one fused SIMD pass over its flat buffers; other devices
    /// and dtypes always take the general path of eight tensor operations. Both compute the same update and differ only
    /// in float rounding; set false to check a run against the general path. Default: true.
    /// </summary>
    public bool FusedAdam { get; init; } = true;

    /// <summary>
    /// Whether a model the compiled training step covers (dense layers, Bernoulli likelihood, Gaussian posterior,
    /// N(0, I) prior, the ELBO; the generated <c>Fit</c> says in a comment whether it is covered, and why not) trains
    /// with it: the closed-form gradients of its layers, likelihood and KL written into the optimizer's buffers, the
    /// element-wise work in C#, where autograd would run dozens of tensor operations. It needs float32 parameters on the
    /// CPU, none frozen and none beyond the declared layers, and does not call forward hooks. Both paths compute the same
    /// gradients and differ only in float rounding; set false to check a run against autograd. Default: true.
    /// </summary>
    public bool CompiledStep { get; init; } = true;

    /// <summary>Optimizer steps between reads of the loss back to .NET (progress, the NaN guard, TensorBoard's step scalars). Default: 50.</summary>
    public int ReportEvery { get; init; } = 50;

    /// <summary>
    /// A folder for TensorBoard event files (view them with <c>tensorboard --logdir</c> on it); null, the default, writes
    /// none. Written through TorchSharp's SummaryWriter: the mean loss terms of every <see cref="ReportEvery"/> steps
    /// (the values read back then, no extra transfer), each epoch's train and validation figures, and the KL and
    /// activity of each latent dimension. Created if missing and checked to be writable before training starts.
    /// </summary>
    public string? TensorBoardDirectory { get; init; }

    /// <summary>
    /// Models declared with [ImageInput] only: with <see cref="TensorBoardDirectory"/>, write a grid of samples and one
    /// of reconstructions every this many epochs (and after the last); 0, the default, writes none. TorchSharp encodes
    /// them as PNG with SkiaSharp, whose native library VaeGen.Visualization brings.
    /// </summary>
    public int TensorBoardImagesEvery { get; init; }

    /// <summary>
    /// Receives per-step progress and per-epoch figures. <c>Fit</c> calls <see cref="IProgress{T}.Report"/> on its own
    /// thread and waits for it to return: after every optimizer step, then once more when the epoch completes, in that
    /// order, all before <c>Fit</c> returns. Keep it quick, it runs inside the training loop. While the compiled step
    /// splits batches between two threads, libtorch runs on one thread for the calling thread until the epoch ends, so
    /// the per-step reports see one libtorch thread; the epoch's report sees the count as it was before.
    /// </summary>
    /// <remarks>
    /// <see cref="Progress{T}"/> does not pass that order on. It posts each report to the
    /// <see cref="System.Threading.SynchronizationContext"/> it was created on, or to the thread pool where there is
    /// none (a console program, a test), so its handler runs later on another thread: reports can then run at the
    /// same time, out of order, and after <c>Fit</c> has returned. For a console use
    /// <see cref="ConsoleTrainingProgress"/>; otherwise implement <see cref="IProgress{T}"/> with a <c>Report</c> that
    /// does its work before returning, as ConsoleTrainingProgress does.
    /// <para>
    /// Under the compiled step, on a data set contiguous on the CPU, the steps run without a dispose scope: a
    /// <c>Report</c> that makes tensors frees them itself (a <c>using</c>, or a scope of its own).
    /// </para>
    /// </remarks>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>
    /// For a streamed data set (<c>Fit(IExampleStream)</c>): how many examples the seeded shuffle buffer holds. Each batch
    /// row is drawn uniformly from the buffer and replaced by the next example read, so memory holds this many examples
    /// whatever the data set's size; an example moves at most about this many places earlier than its place in the
    /// stream. A buffer as large as the data set shuffles fully; 0 trains in stream order. Unused for tensors, which are
    /// shuffled whole. Default: 10,000.
    /// </summary>
    public int ShuffleBufferSize { get; init; } = 10_000;

    /// <summary>Throws with a message naming the option and its value when the options cannot work.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, object? value, string rule)
        {
            if (!ok) throw new ArgumentException($"TrainingOptions.{name} is {value}; it must be {rule}.", name);
        }

        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "positive and finite");
        Require(Beta is not { } beta || (beta >= 0 && double.IsFinite(beta)), nameof(Beta), Beta, "non-negative and finite, or null for the model's");
        Require(KlWarmupEpochs >= 0, nameof(KlWarmupEpochs), KlWarmupEpochs, "0 or more");
        Require(EvaluateEvery >= 1, nameof(EvaluateEvery), EvaluateEvery, "at least 1");
        Require(ShuffleBufferSize >= 0, nameof(ShuffleBufferSize), ShuffleBufferSize, "0 (stream order) or more");
        Require(ReportEvery >= 1, nameof(ReportEvery), ReportEvery, "at least 1");
        Require(TensorBoardImagesEvery >= 0, nameof(TensorBoardImagesEvery), TensorBoardImagesEvery, "0 (no images) or more");
        Require(TensorBoardImagesEvery == 0 || TensorBoardDirectory is not null, nameof(TensorBoardImagesEvery), TensorBoardImagesEvery, "0 when TensorBoardDirectory is not set");
        Require(!Resume || CheckpointDirectory is not null, nameof(Resume), Resume, "false when CheckpointDirectory is not set");
        Require(!Resume || !OverwriteCheckpoint, nameof(OverwriteCheckpoint), OverwriteCheckpoint,
            "false when Resume is true (Resume continues the checkpoint, OverwriteCheckpoint starts over and replaces it)");
    }
}
