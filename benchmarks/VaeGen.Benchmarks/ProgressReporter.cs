using System;
using VaeGen.Training;

namespace VaeGen.Benchmarks;

/// <summary>Fit's progress reports handed to callbacks: a finished epoch's figures, or the number of the step just taken.</summary>
internal sealed class ProgressReporter(Action<EpochMetrics> onEpoch, Action<int>? onStep = null) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value)
    {
        if (value.CompletedEpoch is { } metrics) onEpoch(metrics);
        else onStep?.Invoke(value.Step);
    }
}
