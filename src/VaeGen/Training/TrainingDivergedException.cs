using System;

namespace VaeGen.Training;

/// <summary>Thrown when the loss stops being a finite number; training stops and the last checkpoint is left as it was.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for the first non-finite step.</summary>
    /// <param name="message">What happened, where, and what was kept.</param>
    /// <param name="epoch">1-based epoch of the first non-finite loss.</param>
    /// <param name="step">1-based step in that epoch.</param>
    public TrainingDivergedException(string message, int epoch, int step) : base(message)
    {
        Epoch = epoch;
        Step = step;
    }

    /// <summary>1-based epoch of the first non-finite loss.</summary>
    public int Epoch { get; }

    /// <summary>1-based step within <see cref="Epoch"/>.</summary>
    public int Step { get; }
}
