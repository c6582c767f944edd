using System.Collections.Generic;

namespace VaeGen.Training;

/// <summary>What <c>Fit</c> did: one entry per completed epoch, earlier runs of a resumed training included.</summary>
/// <param name="Epochs">The figures of every completed epoch, in order.</param>
/// <param name="ResumedAfterEpoch">The last epoch the checkpoint held when this run resumed; 0 for a fresh start.</param>
/// <param name="Cancelled">True when cancellation stopped the run at a batch boundary; the unfinished epoch is not listed.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochMetrics> Epochs, int ResumedAfterEpoch, bool Cancelled);
