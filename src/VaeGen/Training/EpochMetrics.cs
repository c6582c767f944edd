namespace VaeGen.Training;

/// <summary>
/// The figures of one epoch. Losses are per-example means in nats; <see cref="TrainLoss"/> is the true negative ELBO
/// (reconstruction + KL), whatever the KL weight of the objective was.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean -ELBO over the epoch's training batches, as the parameters changed.</param>
/// <param name="TrainReconstruction">Mean -E_q[log p(x|z)] over the epoch.</param>
/// <param name="TrainKl">Mean KL(q(z|x) || p(z)) over the epoch.</param>
/// <param name="KlWeight">The KL weight of the objective at the end of the epoch (beta after warm-up).</param>
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
    double KlWeight,
    double? ValidationLoss,
    double? ValidationReconstruction,
    double? ValidationKl,
    double ExamplesPerSecond,
    double TrainSeconds,
    double ElapsedSeconds);
