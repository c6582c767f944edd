using System;
using System.Globalization;
using Spectre.Console;
using VaeGen.Training;

namespace FashionMnistSample;

/// <summary>Shows training as Spectre.Console progress bars: one per epoch, each left with its figures when it completes.</summary>
internal sealed class ConsoleProgress : IProgress<TrainingProgress>
{
    private readonly ProgressContext context;
    private ProgressTask? current;
    private int currentEpoch;

    private ConsoleProgress(ProgressContext context) => this.context = context;

    /// <summary>
    /// Runs <paramref name="train"/> with a live display, handing it the progress sink. Where the console is not
    /// interactive (a log file, CI), it prints one line per completed epoch instead.
    /// </summary>
    public static TrainingHistory Run(Func<IProgress<TrainingProgress>, TrainingHistory> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return train(new EpochLines());
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => train(new ConsoleProgress(context)));
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        if (value.Epoch != currentEpoch || current is null)
        {
            currentEpoch = value.Epoch;
            current = context.AddTask(Describe(value), maxValue: value.StepsPerEpoch);
        }

        current.Value = value.Step;
        if (value.CompletedEpoch is { } epoch)
        {
            current.Description = Summary(epoch, value.Epochs);
            current.StopTask();
        }
        else
        {
            current.Description = Describe(value);
        }
    }

    private static string Summary(EpochMetrics epoch, int epochs)
    {
        var validation = epoch.ValidationLoss is { } loss ? string.Create(CultureInfo.InvariantCulture, $", test {loss:F2}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch.Epoch,2}/{epochs}  -ELBO train {epoch.TrainLoss:F2}{validation}  KL {epoch.TrainKl:F2}{Objective(epoch.TrainObjective, epoch.TrainLoss)}  {epoch.ExamplesPerSecond:N0} ex/s, {epoch.ElapsedSeconds:F1} s");
    }

    private static string Describe(TrainingProgress value) => value.RecentLoss is { } loss
        ? string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch,2}/{value.Epochs}  -ELBO {loss:F2}{Objective(value.RecentObjective ?? loss, loss)}")
        : $"epoch {value.Epoch,2}/{value.Epochs}";

    /// <summary>
    /// The objective that was minimized, when it differs from the -ELBO as printed (a KL weight or free bits); the
    /// -ELBO stays the headline, since only it is a bound.
    /// </summary>
    private static string Objective(double objective, double negativeElbo) =>
        Math.Abs(objective - negativeElbo) < 0.005 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  (objective {objective:F2})");

    /// <summary>The non-interactive display: a line per completed epoch.</summary>
    private sealed class EpochLines : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.CompletedEpoch is { } epoch) Console.WriteLine(Summary(epoch, value.Epochs));
        }
    }
}
