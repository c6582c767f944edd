using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using SampleData;
using Spectre.Console;
using TorchSharp;
using VaeGen;
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
        var model = Models.Create(settings.Model, settings.LatentSize);
        using var module = model.Module;
        data.Train.RequireFeatures(model.InputSize, model.Name);

        var binarized = settings.Protocol == Protocol.Binarized;
        using var binarizer = new Generator((ulong)TestBinarizationSeed);
        using var testImages = binarized ? bernoulli(data.Test.Images, binarizer) : data.Test.Images.alias();
        var test = new LabelledImages(testImages, data.Test.Labels);
        var output = Path.GetFullPath(settings.Output);
        Directory.CreateDirectory(output);
        Console.WriteLine($"Model card: {model.Card}");
        Console.WriteLine($"Protocol {settings.Protocol.ToString().ToLowerInvariant()}; seed {settings.Seed}; {settings.Threads} threads; output {output}");

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler stop = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += stop;
        var train = new LabelledImages(data.Train.Images, data.Train.Labels);
        var history = ConsoleProgress.Run(progress => model.Fit(train, test, new TrainingOptions
        {
            Epochs = settings.Epochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
            DynamicBinarization = binarized,
            CheckpointDirectory = Path.Combine(output, "checkpoint"),
            Resume = settings.Resume,
            // Running the sample again without --resume is a fresh run: like the pictures and metrics, the checkpoint is replaced.
            OverwriteCheckpoint = !settings.Resume,
            Progress = progress,
            TensorBoardDirectory = settings.TensorBoard,
            // Grids for the models declared with [ImageInput] (conv); the others log scalars only.
            TensorBoardImagesEvery = settings.TensorBoard is null ? 0 : 1,
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
        // The test figures draw z: from a generator seeded with the run's seed, so they do not depend on how much
        // randomness training consumed, and the same run gives the same figures.
        using var evaluationNoise = new Generator((ulong)settings.Seed);
        var final = model.Evaluate(test, evaluationNoise);
        var usage = model.LatentUsage(test);
        var importance = settings.ImportanceSamples > 0 ? EstimateLogLikelihood(model, test, settings) : null;

        var pictures = model.DrawPictures(output, new LabelledImages(data.Test.Images, data.Test.Labels), testImages, settings.Seed)
            .Append(Pictures.LossCurves(output, history.Epochs))
            .OfType<string>().ToArray();
        var modelPaths = SaveModel(module, output);
        var testSetPath = binarized ? SaveTestSet(testImages, output) : null;

        var metrics = new Metrics(
            model.Name,
            new ModelSummary(model.Kind.ToString().ToLowerInvariant(), model.Architecture, model.Condition, model.LatentSize, model.ParameterCount, model.MultiplyAccumulates),
            model.Likelihood.ToString(),
            binarized ? "dynamic-binarization" : "grayscale",
            binarized
                ? $"Training batches are fresh Bernoulli draws of the grey levels; the test set is binarized once (seed test_binarization_seed). Binary targets: the figures are true bounds on {LogLikelihoodName(model)}."
                : "Grey levels are Bernoulli targets (BCE summed over pixels, as pytorch/examples); the figures are cross-entropies, not likelihoods of a data set.",
            settings.Seed,
            TestBinarizationSeed,
            new DataSummary(data.Description, data.Files.Directory, data.IsFullDataset, data.Train.Count, data.Test.Count),
            new TrainingSummary(settings.Epochs, settings.BatchSize, settings.LearningRate, "Adam", history.ResumedAfterEpoch, history.Cancelled,
                history.Epochs.Average(e => e.ElapsedSeconds), history.Epochs.Average(e => e.TrainSeconds), history.Epochs.Average(e => e.ExamplesPerSecond)),
            new TestSummary(final.Loss, final.Reconstruction, final.Kl, importance, usage),
            history.Epochs,
            MachineSummary.Current(settings.Threads));
        var metricsPath = metrics.Write(output);

        var table = new Table().AddColumn("test set, nats per image").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("-ELBO", Format(final.Loss));
        table.AddRow("reconstruction", Format(final.Reconstruction));
        table.AddRow("KL", Format(final.Kl));
        if (importance is not null)
            table.AddRow($"-{LogLikelihoodName(model)}, importance-weighted (k = {importance.K}, {importance.Examples:N0} images)", Format(importance.NegativeLogLikelihood));
        table.AddRow($"active units (activity > {usage.Threshold.ToString(CultureInfo.InvariantCulture)})", $"{usage.ActiveUnits} of {model.LatentSize}");
        table.AddRow("seconds per epoch: training steps / with evaluation (mean)", $"{Format(metrics.Training.TrainSecondsPerEpoch)} / {Format(metrics.Training.SecondsPerEpoch)}");
        AnsiConsole.Write(table);
        foreach (var file in pictures.Append(metricsPath).Concat(modelPaths).Append(testSetPath).OfType<string>()) Console.WriteLine($"wrote {file}");
        return 0;
    }

    private static ImportanceWeighted EstimateLogLikelihood(SampleModel model, LabelledImages test, SampleSettings settings)
    {
        var examples = (int)Math.Min(settings.ImportanceExamples, test.Images.shape[0]);
        var clock = Stopwatch.StartNew();
        using var importanceNoise = new Generator((ulong)settings.Seed);
        var logLikelihood = AnsiConsole.Status().Start(
            $"Estimating {LogLikelihoodName(model)} with k = {settings.ImportanceSamples} importance samples on {examples:N0} test images",
            _ => model.MeanLogLikelihood(new LabelledImages(test.Images.narrow(0, 0, examples), test.Labels.narrow(0, 0, examples)), settings.ImportanceSamples, importanceNoise));
        return new ImportanceWeighted(settings.ImportanceSamples, examples, logLikelihood, -logLikelihood, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Saves the parameters, atomically: model.dat in TorchSharp's format, and model.pt (a PyTorch state_dict) and
    /// model.safetensors for PyTorch, named as benchmarks/pytorch's module names them.
    /// </summary>
    private static string[] SaveModel(nn.Module module, string output)
    {
        var path = Path.Combine(output, "model.dat");
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            module.save(writer);
        });
        var pytorch = Path.Combine(output, "model.pt");
        module.SavePyTorch(pytorch);
        var safetensors = Path.Combine(output, "model.safetensors");
        module.SaveSafetensors(safetensors);
        return [path, pytorch, safetensors];
    }

    /// <summary>
    /// Saves the test set as binarized once and scored here, as safetensors (images: uint8 0 or 1, [count, 784]), so
    /// benchmarks/pytorch/evaluate_weights.py scores exactly these images.
    /// </summary>
    private static string SaveTestSet(Tensor testImages, string output)
    {
        var path = Path.Combine(output, "test-binarized.safetensors");
        using var images = testImages.to(ScalarType.Byte);
        AtomicFile.Write(path, stream => TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, new() { ["images"] = images }, leaveOpen: true));
        return path;
    }

    /// <summary>What the bounds are bounds on: log p(x), or log p(x|class) for a model given the label.</summary>
    private static string LogLikelihoodName(SampleModel model) => model.Condition is null ? "log p(x)" : "log p(x|class)";

    private static string Format(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
