using System;
using System.Globalization;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The run of the crash test, shared by the test and by the child process it kills: a tiny model on fixed data, many
/// small epochs (three steps each), a checkpoint after every one, so that writes are frequent.
/// </summary>
internal static class CrashTrainer
{
    /// <summary>The first argument that makes the test assembly's Main run <see cref="Run"/>.</summary>
    public const string Command = "crash-trainer";

    /// <summary>What the child prints when it is about to train, so a kill lands in training, not in start-up.</summary>
    public const string Ready = "ready";

    /// <summary>The initialization seed; a resumed run's checkpoint overrides the initialization anyway.</summary>
    public const long InitSeed = 3;

    /// <summary>48 grey-level examples of 12 features, the same in every process.</summary>
    public static Tensor Data()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(4321);
        var prototypes = rand(4, 12, generator: generator);
        var labels = randint(0, 4, 48, generator: generator);
        var noise = rand(48, 12, generator: generator).mul_(0.2);
        return prototypes.index_select(0, labels).mul_(0.8).add_(noise).clamp_(0, 1).MoveToOuterDisposeScope();
    }

    public static BernoulliVae NewModel(long initSeed = InitSeed)
    {
        manual_seed(initSeed);
        return new BernoulliVae();
    }

    /// <summary>
    /// Resume from whatever checkpoint the last (killed) process left, or start afresh when there is none. Dynamic
    /// binarization is on, so a resumed run must also draw the binary targets the uninterrupted one drew. Batches of
    /// 32 and 16 (48 examples): the compiled step splits the first between two threads and takes the second whole.
    /// </summary>
    public static TrainingOptions Options(string? directory, int epochs) =>
        new() { Epochs = epochs, BatchSize = 32, LearningRate = 5e-3, Seed = 21, DynamicBinarization = true, CheckpointDirectory = directory, Resume = directory is not null };

    /// <summary>The child: <c>crash-trainer directory epochs threads</c>; trains (resuming) until done or killed.</summary>
    public static int Run(string[] arguments)
    {
        if (arguments.Length != 3)
        {
            Console.Error.WriteLine($"usage: {Command} <checkpoint directory> <epochs> <threads>");
            return 2;
        }
        // The same intra-op thread count as the test's own reference run, so the arithmetic is the same.
        set_num_threads(int.Parse(arguments[2], CultureInfo.InvariantCulture));
        using var data = Data();
        using var model = NewModel();
        Console.Out.WriteLine(Ready);
        Console.Out.Flush();
        var history = model.Fit(data, Options(arguments[0], int.Parse(arguments[1], CultureInfo.InvariantCulture)));
        Console.Out.WriteLine($"done after epoch {history.Epochs.Count}, resumed after {history.ResumedAfterEpoch}");
        return 0;
    }
}
