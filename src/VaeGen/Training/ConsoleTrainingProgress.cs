using System;
using System.Globalization;
using System.IO;

namespace VaeGen.Training;

/// <summary>
/// Shows <c>Fit</c>'s progress on a console, synchronously: each report is written before <c>Fit</c> goes on, so the
/// lines come in order and are all there when <c>Fit</c> returns (which <see cref="Progress{T}"/> does not promise;
/// see <see cref="TrainingOptions.Progress"/>). On an interactive console a bar for the current epoch is redrawn in
/// place; every completed epoch leaves one line with its figures. Written to a file or a pipe, only those lines.
/// </summary>
/// <example><code>model.Fit(data, new TrainingOptions { Epochs = 10, Progress = new ConsoleTrainingProgress() });</code></example>
public sealed class ConsoleTrainingProgress : IProgress<TrainingProgress>
{
    private const int BarWidth = 20;

    private readonly TextWriter writer;
    private readonly bool live;
    private string? shown;

    /// <summary>Writes to <see cref="Console.Out"/>, with a live bar unless the output is redirected.</summary>
    public ConsoleTrainingProgress()
        : this(Console.Out, live: !Console.IsOutputRedirected)
    {
    }

    /// <summary>Writes to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the lines go.</param>
    /// <param name="live">
    /// Redraw a bar for the current epoch in place, with carriage returns (a terminal); false writes only the line of
    /// each completed epoch (a log file).
    /// </param>
    public ConsoleTrainingProgress(TextWriter writer, bool live)
    {
        ArgumentNullException.ThrowIfNull(writer);
        this.writer = writer;
        this.live = live;
    }

    /// <inheritdoc />
    public void Report(TrainingProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.CompletedEpoch is { } epoch)
        {
            ClearBar();
            writer.WriteLine(EpochLine(epoch, value.Epochs));
            writer.Flush();
            return;
        }

        if (!live) return;
        var bar = BarLine(value);
        if (bar == shown) return;
        // Padded to the old bar's length, so a shorter line leaves nothing of it behind.
        writer.Write('\r');
        writer.Write(bar.PadRight(shown?.Length ?? 0));
        writer.Flush();
        shown = bar;
    }

    /// <summary>Blanks the bar line and returns to its start, so the epoch's line is written over it.</summary>
    private void ClearBar()
    {
        if (shown is null) return;
        writer.Write('\r');
        writer.Write(new string(' ', shown.Length));
        writer.Write('\r');
        shown = null;
    }

    /// <summary>For example <c>epoch  3/10 [########------------]  40%  -ELBO 152.31</c>.</summary>
    private static string BarLine(TrainingProgress value)
    {
        var done = Math.Clamp((double)value.Step / Math.Max(1, value.StepsPerEpoch), 0, 1);
        var filled = (int)(BarWidth * done);
        var loss = value.RecentLoss is { } recent
            ? string.Create(CultureInfo.InvariantCulture, $"  -ELBO {recent:F2}{Objective(value.RecentObjective ?? recent, recent)}")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {value.Epoch,2}/{value.Epochs} [{new string('#', filled)}{new string('-', BarWidth - filled)}] {(int)(100 * done),3}%{loss}");
    }

    /// <summary>For example <c>epoch  3/10  -ELBO train 150.12, validation 151.40  KL 12.03  9,812 ex/s, 6.3 s</c>.</summary>
    private static string EpochLine(EpochMetrics epoch, int epochs)
    {
        var validation = epoch.ValidationLoss is { } loss ? string.Create(CultureInfo.InvariantCulture, $", validation {loss:F2}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {epoch.Epoch,2}/{epochs}  -ELBO train {epoch.TrainLoss:F2}{validation}  KL {epoch.TrainKl:F2}{Objective(epoch.TrainObjective, epoch.TrainLoss)}  {epoch.ExamplesPerSecond:N0} ex/s, {epoch.ElapsedSeconds:F1} s");
    }

    /// <summary>
    /// The objective that was minimized, when it differs from the -ELBO as printed (a KL weight or free bits); the
    /// -ELBO stays the headline, since only it is a bound.
    /// </summary>
    private static string Objective(double objective, double negativeElbo) =>
        Math.Abs(objective - negativeElbo) < 0.005 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  (objective {objective:F2})");
}
