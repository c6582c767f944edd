using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Spectre.Console;
using TorchSharp;
using VaeGen;
using VaeGen.Data;
using VaeGen.IO;
using VaeGen.Training;
using static TorchSharp.torch;

namespace FashionMnistSample;

/// <summary>One run of the sample: data, training, evaluation, pictures and metrics.</summary>
internal static class TrainingRun
{
    /// <summary>The test set of the binarized protocol is drawn once with this seed, whatever --seed is, so runs compare.</summary>
    private const long TestBinarizationSeed = 0;

    public static int Execute(SampleSettings settings)
    {
        using var data = FashionMnist.Load(settings.Data, Path.Combine(AppContext.BaseDirectory, "data"));
        Console.WriteLine(data.Description);

        set_num_threads(settings.Threads);
        manual_seed(settings.Seed);
        var model = Models.Create(settings.LatentSize);
        using var module = (nn.Module)model;
        var modelName = model.GetType().Name;
        data.Train.RequireFeatures(model.InputSize, modelName);

        var binarized = settings.Protocol == Protocol.Binarized;
        using var binarizer = new Generator((ulong)TestBinarizationSeed);
        using var test = binarized ? bernoulli(data.Test.Images, binarizer) : data.Test.Images.alias();
        var output = Path.GetFullPath(settings.Output);
        Directory.CreateDirectory(output);
        Console.WriteLine($"Model: {modelName}, 784-400-{model.LatentSize}, Bernoulli likelihood; protocol {settings.Protocol.ToString().ToLowerInvariant()}; seed {settings.Seed}; {settings.Threads} threads; output {output}");

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += stop;
        var history = ConsoleProgress.Run(progress => model.Fit(data.Train.Images, new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
            DynamicBinarization = binarized,
            ValidationData = test,
            CheckpointDirectory = Path.Combine(output, "checkpoint"),
            Resume = settings.Resume,
            Progress = progress,
        }, cancellation.Token));
        Console.CancelKeyPress -= stop;

        if (history.ResumedAfterEpoch > 0) Console.WriteLine($"Resumed after epoch {history.ResumedAfterEpoch} from {Path.Combine(output, "checkpoint")}.");
        if (history.Cancelled)
        {
            // The model in memory has trained past the checkpoint; pictures and metrics from it would match no saved state.
            Console.WriteLine($"Stopped after {history.Epochs.Count} complete epoch(s); nothing else was written. Run again with --resume to continue from the checkpoint.");
            return 130;
        }

        module.eval();
        var final = model.Evaluate(test);
        var importance = settings.ImportanceSamples > 0 ? EstimateLogLikelihood(model, test, settings) : null;

        var pictures = new[]
        {
            Pictures.Reconstructions(output, model, data.Test.Images),
            Pictures.Samples(output, model, settings.Seed),
            Pictures.Traversal(output, model, test.narrow(0, 0, Math.Min(1000, test.shape[0]))),
            Pictures.Manifold(output, model),
            Pictures.LossCurves(output, history.Epochs),
        }.OfType<string>().ToArray();
        var modelPath = SaveModel(module, output);

        var metrics = new Metrics(
            modelName,
            model.Likelihood.ToString(),
            binarized ? "dynamic-binarization" : "grayscale",
            binarized
                ? "Training batches are fresh Bernoulli draws of the grey levels; the test set is binarized once (seed test_binarization_seed). Binary targets: the figures are true bounds on log p(x)."
                : "Grey levels are Bernoulli targets (BCE summed over pixels, as pytorch/examples); the figures are cross-entropies, not likelihoods of a data set.",
            settings.Seed,
            TestBinarizationSeed,
            new DataSummary(data.Description, data.Files.Directory, data.IsFullDataset, data.Train.Count, data.Test.Count),
            new TrainingSummary(settings.Epochs, settings.BatchSize, settings.LearningRate, "Adam", history.ResumedAfterEpoch, history.Cancelled,
                history.Epochs.Average(e => e.ElapsedSeconds), history.Epochs.Average(e => e.TrainSeconds), history.Epochs.Average(e => e.ExamplesPerSecond)),
            new TestSummary(final.Loss, final.Reconstruction, final.Kl, importance),
            history.Epochs,
            MachineSummary.Current(settings.Threads));
        var metricsPath = metrics.Write(output);

        var table = new Table().AddColumn("test set, nats per image").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("-ELBO", Format(final.Loss));
        table.AddRow("reconstruction", Format(final.Reconstruction));
        table.AddRow("KL", Format(final.Kl));
        if (importance is not null)
            table.AddRow($"-log p(x), importance-weighted (k = {importance.K}, {importance.Examples:N0} images)", Format(importance.NegativeLogLikelihood));
        table.AddRow("seconds per epoch: training steps / with evaluation (mean)", $"{Format(metrics.Training.TrainSecondsPerEpoch)} / {Format(metrics.Training.SecondsPerEpoch)}");
        AnsiConsole.Write(table);
        foreach (var file in pictures.Append(metricsPath).Append(modelPath)) Console.WriteLine($"wrote {file}");
        return 0;
    }

    private static ImportanceWeighted EstimateLogLikelihood(IVariationalAutoencoder model, Tensor test, SampleSettings settings)
    {
        var examples = (int)Math.Min(settings.ImportanceExamples, test.shape[0]);
        var clock = Stopwatch.StartNew();
        manual_seed(settings.Seed);
        var logLikelihood = AnsiConsole.Status().Start(
            $"Estimating log p(x) with k = {settings.ImportanceSamples} importance samples on {examples:N0} test images",
            _ => Evaluation.Mean(test.narrow(0, 0, examples), 100, x => model.LogLikelihood(x, settings.ImportanceSamples)));
        return new ImportanceWeighted(settings.ImportanceSamples, examples, logLikelihood, -logLikelihood, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Saves the parameters (TorchSharp's format) to model.dat, atomically.</summary>
    private static string SaveModel(nn.Module module, string output)
    {
        var path = Path.Combine(output, "model.dat");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            module.save(writer);
        });
        return path;
    }

    private static string Format(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
