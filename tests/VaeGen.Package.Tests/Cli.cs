using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using Xunit;

namespace VaeGen.Package.Tests;

/// <summary>Runs the dotnet and git command lines the way a user would, from a given folder.</summary>
internal static class Cli
{
    /// <summary>The repository this test project lives in.</summary>
    public static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    /// <summary>Runs the dotnet CLI and returns what it printed; fails the test with that output on a non-zero exit.</summary>
    public static string Dotnet(string directory, params string[] arguments) => Run("dotnet", directory, null, arguments);

    /// <summary>Runs git and returns its standard output, trimmed; fails the test with its output on a non-zero exit.</summary>
    public static string Git(string directory, params string[] arguments) => Run("git", directory, null, arguments, standardOutputOnly: true).Trim();

    /// <summary>Runs a program with extra environment variables (a null value removes one).</summary>
    public static string Run(string program, string directory, IReadOnlyDictionary<string, string?>? environment, string[] arguments, bool standardOutputOnly = false)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test host's MSBuild settings must not leak into a build that stands for a user's own.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // No MSBuild node may outlive the command: nothing is left running after a test.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(key);
            else start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"{program} {string.Join(' ', arguments)} took more than 5 minutes");
        var printed = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} in {directory} exited with {process.ExitCode}:\n{printed}");
        return standardOutputOnly ? stdout.Result : printed;
    }
}
