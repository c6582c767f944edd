using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// How Fit reports progress: synchronously, in order, before it returns; and the console reporter that relies on it
/// (System.Progress&lt;T&gt; posts to the thread pool and gives none of this, as TrainingOptions.Progress says).
/// </summary>
public sealed class ProgressTests
{
    private const int Epochs = 4;

    /// <summary>192 binary examples of 12 features: 6 steps an epoch at batch size 32.</summary>
    private static Tensor BinaryData(long count = 192)
    {
        using var scope = NewDisposeScope();
        return rand(count, 12, generator: new Generator(5)).gt(0.5).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static TrainingHistory Fit(IProgress<TrainingProgress> progress, Tensor? validation = null)
    {
        using var data = BinaryData();
        manual_seed(3);
        using var model = new BernoulliVae();
        return model.Fit(data, new TrainingOptions { Epochs = Epochs, BatchSize = 32, LearningRate = 5e-3, ReportEvery = 2, ValidationData = validation, Progress = progress });
    }

    [Fact]
    public void Fit_reports_every_step_then_the_epoch_in_order_on_its_own_thread_before_it_returns()
    {
        var reports = new List<(TrainingProgress Report, int Thread)>();
        var history = Fit(new Recorder(report => reports.Add((report, Environment.CurrentManagedThreadId))));
        var received = reports.Count;

        var expected = Enumerable.Range(1, Epochs).SelectMany(epoch =>
            Enumerable.Range(1, 6).Select(step => (epoch, step, closes: false)).Append((epoch, 6, closes: true)));
        Assert.Equal(expected, reports.Select(r => (r.Report.Epoch, r.Report.Step, closes: r.Report.CompletedEpoch is not null)));
        Assert.All(reports, r => Assert.Equal(Environment.CurrentManagedThreadId, r.Thread));
        Assert.Equal(history.Epochs, reports.Select(r => r.Report.CompletedEpoch).OfType<EpochMetrics>());
        // Nothing is still on its way once Fit has returned.
        Thread.Sleep(50);
        Assert.Equal(received, reports.Count);
    }

    [Fact]
    public void The_console_reporter_has_every_epoch_line_in_order_when_Fit_returns()
    {
        using var validation = BinaryData(count: 40);
        var written = new StringWriter(CultureInfo.InvariantCulture);

        var history = Fit(new ConsoleTrainingProgress(written, live: false), validation);

        var lines = written.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Epochs, lines.Length);
        for (var i = 0; i < Epochs; i++)
        {
            var epoch = history.Epochs[i];
            Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"epoch {i + 1,2}/{Epochs}  -ELBO train {epoch.TrainLoss:F2}, validation {epoch.ValidationLoss:F2}  KL {epoch.TrainKl:F2}  "), lines[i]);
            Assert.EndsWith(" s", lines[i]);
        }
        Assert.DoesNotContain('\r', written.ToString());
    }

    [Fact]
    public void A_live_console_redraws_the_bar_in_place_and_keeps_only_the_epoch_lines()
    {
        var written = new StringWriter(CultureInfo.InvariantCulture);

        var history = Fit(new ConsoleTrainingProgress(written, live: true));

        var text = written.ToString();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\repoch  1/{Epochs} [###-----------------]  16%"), text);
        Assert.Contains($"\repoch  1/{Epochs} [####################] 100%  -ELBO ", text);
        var screen = Screen(text);
        Assert.Equal(Epochs, screen.Count);
        Assert.All(screen.Zip(history.Epochs), pair => Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"epoch {pair.Second.Epoch,2}/{Epochs}  -ELBO train {pair.Second.TrainLoss:F2}  KL "), pair.First));
    }

    [Fact]
    public void An_epoch_line_shows_the_objective_only_when_it_differs_from_the_ELBO()
    {
        var written = new StringWriter(CultureInfo.InvariantCulture);
        var reporter = new ConsoleTrainingProgress(written, live: false);
        var plain = new EpochMetrics(2, 10.5, 9.25, 1.25, 10.5, 1, 0, 11.25, 10, 1.25, 12345.6, 0.4, 0.52);

        reporter.Report(new TrainingProgress(2, 3, 6, 6, 10.5, 10.5, plain));
        reporter.Report(new TrainingProgress(3, 3, 6, 6, 10.5, 9.5, plain with { Epoch = 3, TrainObjective = 9.5, ValidationLoss = null }));

        Assert.Equal(
            "epoch  2/3  -ELBO train 10.50, validation 11.25  KL 1.25  12,346 ex/s, 0.5 s" + Environment.NewLine +
            "epoch  3/3  -ELBO train 10.50  KL 1.25  (objective 9.50)  12,346 ex/s, 0.5 s" + Environment.NewLine,
            written.ToString());
    }

    /// <summary>What a terminal shows: each carriage return goes back to the start of the line and overwrites it.</summary>
    private static List<string> Screen(string text)
    {
        var lines = new List<string>();
        foreach (var line in text.Split(Environment.NewLine))
        {
            var shown = new StringBuilder();
            foreach (var segment in line.Split('\r'))
            {
                for (var i = 0; i < segment.Length; i++)
                {
                    if (i < shown.Length) shown[i] = segment[i];
                    else shown.Append(segment[i]);
                }
            }
            var visible = shown.ToString().TrimEnd();
            if (visible.Length > 0) lines.Add(visible);
        }
        return lines;
    }

    private sealed class Recorder(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => callback(value);
    }
}
