using System;
using VaeGen.Training;

namespace VaeGen.Tests;

/// <summary>
/// Runs the callback on the reporting thread, at the moment of the report (System.Progress posts to the thread pool,
/// so its reports may arrive late and out of order).
/// </summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => callback(value);
}
