using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Package.Tests;

/// <summary>
/// Packs VaeGen, then builds and runs a fresh console project in a temporary folder that knows VaeGen only through a
/// PackageReference to a local feed: no repository build files around it, so the generator, the runtime library,
/// TorchSharp and the native-library fix must all arrive through the package.
/// </summary>
public sealed class PackageConsumerTests(ITestOutputHelper output) : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "vaegen-package-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void A_fresh_project_trains_a_declared_vae_from_the_package()
    {
        // A version of its own, so the global package cache never serves an older build of the same number.
        var version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var feed = Path.Combine(work, "feed");
        var consumer = Path.Combine(work, "consumer");
        Directory.CreateDirectory(consumer);

        Run(RepositoryRoot(), "pack", "src/VaeGen", "-c", "Release", "-o", feed, $"-p:Version={version}");
        var package = Path.Combine(feed, $"VaeGen.{version}.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack did not produce {package}");
        using (var archive = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var entries = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/VaeGen.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/VaeGen.targets", entries);
            Assert.Contains("buildTransitive/WeakenGlibcxxNeed.cs", entries);
            Assert.Contains("PACKAGE.md", entries);
        }

        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="vaegen-test-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="VaeGen" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Program.cs"), """
            using System;
            using TorchSharp;
            using VaeGen;
            using VaeGen.Training;

            torch.manual_seed(1);
            using var data = torch.rand(256, 16).gt(0.5).to_type(torch.ScalarType.Float32);
            using var model = new TinyVae();
            var before = model.Evaluate(data).Loss;
            model.Fit(data, new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2 });
            var after = model.Evaluate(data).Loss;
            Console.WriteLine(FormattableString.Invariant($"before {before:R} after {after:R}"));

            /// <summary>A small generated model.</summary>
            [Vae(16, 2)] [Encoder(32)] [Decoder(32)]
            public partial class TinyVae;
            """);

        var printed = Run(consumer, "run", "-c", "Release");
        var match = Regex.Match(printed, @"before (\S+) after (\S+)");
        Assert.True(match.Success, "the consumer printed no losses:\n" + printed);
        var before = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var after = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"package {version}: -ELBO {before:F3} before training, {after:F3} after 5 epochs");
        Assert.True(after < before, $"training through the package did not lower the loss: {before} -> {after}");
    }

    /// <summary>Runs the dotnet CLI and returns what it printed; fails the test with that output on a non-zero exit.</summary>
    private string Run(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The test host's MSBuild settings must not leak into a build that stands for a user's own.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k == "DOTNET_HOST_PATH").ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {string.Join(' ', arguments)} took more than 5 minutes");
        var printed = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{printed}");
        return printed;
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
