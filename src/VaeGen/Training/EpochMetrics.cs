namespace VaeGen.Training;

/// <summary>
/// The figures of one epoch. Losses are per-example means in nats; <see cref="TrainLoss"/> is the true negative ELBO
/// (reconstruction + KL), whatever the KL weight and free bits of the objective were. The objective that was optimized
/// is reported on its own, as <see cref="TrainObjective"/>.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean -ELBO over the epoch's training batches, as the parameters changed.</param>
/// <param name="TrainReconstruction">Mean -E_q[log p(x|z)] over the epoch.</param>
/// <param name="TrainKl">Mean KL(q(z|x) || p(z)) over the epoch.</param>
/// <param name="TrainObjective">
/// Mean training objective over the epoch: reconstruction + w * sum_j max(FreeBits, KL_j), with the KL weight w of each
/// step. Not a bound on anything; it equals <see cref="TrainLoss"/> when the weight is 1 throughout (beta 1, no warm-up)
/// and there are no free bits.
/// </param>
/// <param name="KlWeight">The KL weight of the objective at the end of the epoch (beta after warm-up).</param>
/// <param name="FreeBits">The objective's floor on each latent dimension's batch-mean KL, in nats; 0 when there is none.</param>
/// <param name="ValidationLoss">-ELBO on the validation data after the epoch, when evaluated.</param>
/// <param name="ValidationReconstruction">Its reconstruction term.</param>
/// <param name="ValidationKl">Its KL term.</param>
/// <param name="ExamplesPerSecond">Training examples processed per second of training (evaluation excluded).</param>
/// <param name="TrainSeconds">Seconds spent in training steps.</param>
/// <param name="ElapsedSeconds">Seconds for the whole epoch, evaluation included (the checkpoint that stores this figure is written after it).</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainReconstruction,
    double TrainKl,
    double TrainObjective,
    double KlWeight,
    double FreeBits,
    double? ValidationLoss,
    double? ValidationReconstruction,
    double? ValidationKl,
    double ExamplesPerSecond,
    double TrainSeconds,
    double ElapsedSeconds);
