namespace VaeGen.Training;

/// <summary>
/// A progress report from <c>Fit</c>: sent after every optimizer step, and once more when an epoch completes, on
/// <c>Fit</c>'s thread and in that order (see <see cref="TrainingOptions.Progress"/> for why <see cref="System.Progress{T}"/>
/// loses the order).
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Steps in an epoch.</param>
/// <param name="RecentLoss">The mean -ELBO of the steps read back most recently (every ReportEvery steps), in nats; null before the first read.</param>
/// <param name="RecentObjective">
/// The mean training objective (KL weighted and floored, see <see cref="EpochMetrics.TrainObjective"/>) of the same
/// steps, in nats; not an ELBO. Null before the first read.
/// </param>
/// <param name="CompletedEpoch">The epoch's figures, on the report that closes it; null otherwise.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double? RecentLoss, double? RecentObjective, EpochMetrics? CompletedEpoch);
