using VaeGen.Tests.Training;

namespace VaeGen.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; the crash test starts this assembly
/// (<c>dotnet exec VaeGen.Tests.dll crash-trainer ...</c>) as the training process it kills, and the save-and-load
/// test starts it as the process that scores with a saved model.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => args.Length == 0 ? 0 : args[0] switch
    {
        CrashTrainer.Command => CrashTrainer.Run(args[1..]),
        Scaling.ScoringProcess.Command => Scaling.ScoringProcess.Run(args[1..]),
        _ => 0,
    };
}
