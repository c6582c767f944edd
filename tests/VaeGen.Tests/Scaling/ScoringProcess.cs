using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using VaeGen.Anomaly;
using static TorchSharp.torch;

namespace VaeGen.Tests.Scaling;

/// <summary>
/// The scoring process of the save-and-load test: this test assembly started with <see cref="Command"/>. It loads a saved
/// <see cref="StandardizedVae"/>, reads raw rows from a file of floats, scores them with a seeded generator and writes the
/// scores, one per line in round-trip format, so the test can compare them with the training process's bit for bit.
/// </summary>
internal static class ScoringProcess
{
    public const string Command = "score-saved-model";

    public static int Run(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine($"usage: {Command} <model file> <rows file> <scores file>");
            return 2;
        }
        using var model = StandardizedVae.Load(args[0]);
        var values = File.ReadAllLines(args[1]).Select(line => float.Parse(line, CultureInfo.InvariantCulture)).ToArray();
        using var rows = tensor(values).reshape(-1, StandardizedVae.InputSize);
        using var scores = model.AnomalyScores(rows, importanceSamples: 16, generator: new Generator(42));
        File.WriteAllLines(args[2], scores.data<float>().ToArray().Select(s => s.ToString("R", CultureInfo.InvariantCulture)));
        return 0;
    }

    /// <summary>Starts the process under the dotnet host, as the test host runs, and waits for it.</summary>
    public static (int ExitCode, string Output) Start(params string[] arguments)
    {
        var host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "exec", typeof(ScoringProcess).Assembly.Location, Command }.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            return (-1, "timed out");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
