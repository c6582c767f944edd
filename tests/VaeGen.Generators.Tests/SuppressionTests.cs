using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// A VaeGen warning can be silenced, or raised, where it is written: #pragma, [SuppressMessage] and .editorconfig severities,
/// as the real compiler applies them. Each case is its own file of one consumer project, built once with <c>dotnet build</c>.
/// The warning is VAE0014: an ObservationVariance the default Bernoulli likelihood ignores.
/// </summary>
public sealed class SuppressionTests(SuppressionTests.ConsumerBuild build) : IClassFixture<SuppressionTests.ConsumerBuild>
{
    [Fact]
    public void Without_suppression_the_warning_is_reported_at_the_argument() =>
        Assert.Equal(["Control.cs(2,15): warning VAE0014"], build.VaeDiagnosticsIn("Control.cs"));

    [Fact]
    public void A_pragma_before_the_class_silences_it() =>
        Assert.Empty(build.VaeDiagnosticsIn("PragmaBeforeClass.cs"));

    [Fact]
    public void A_pragma_around_the_argument_alone_silences_it() =>
        Assert.Empty(build.VaeDiagnosticsIn("PragmaAroundArgument.cs"));

    [Fact]
    public void SuppressMessage_on_the_class_silences_it() =>
        Assert.Empty(build.VaeDiagnosticsIn("SuppressMessageOnClass.cs"));

    [Fact]
    public void Editorconfig_severity_none_silences_it() =>
        Assert.Empty(build.VaeDiagnosticsIn("SeverityNone.cs"));

    [Fact]
    public void Editorconfig_severity_error_makes_it_an_error() =>
        Assert.Equal(["SeverityError.cs(2,15): error VAE0014"], build.VaeDiagnosticsIn("SeverityError.cs"));

    [Fact]
    public void The_reported_location_lies_in_the_compilations_syntax_tree()
    {
        // The cause the build tests observe: the compiler applies pragmas and tree options only to locations in a tree.
        var run = GeneratorHarness.Run(Files["Control.cs"]);
        var warning = Assert.Single(run.VaeDiagnostics);
        Assert.Equal(LocationKind.SourceFile, warning.Location.Kind);
        Assert.Same(run.Output.SyntaxTrees.First(), warning.Location.SourceTree);
        Assert.Equal("ObservationVariance = 2.0", warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan));
    }

    [Fact]
    public void The_driver_marks_a_warning_under_a_pragma_as_suppressed()
    {
        // GeneratorDriver passes what it returns through the compilation's options and the tree's pragmas; csc prints
        // none of those it marks suppressed. Without a tree the pragma is never consulted and the mark stays false.
        var run = GeneratorHarness.Run(Files["PragmaAroundArgument.cs"]);
        Assert.True(Assert.Single(run.DriverDiagnostics).IsSuppressed);
        Assert.False(Assert.Single(GeneratorHarness.Run(Files["Control.cs"]).DriverDiagnostics).IsSuppressed);
    }

    private static readonly Dictionary<string, string> Files = new()
    {
        ["Control.cs"] = """
            using VaeGen;
            [Vae(784, 20, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
            public partial class Control;
            """,
        ["PragmaBeforeClass.cs"] = """
            using VaeGen;
            #pragma warning disable VAE0014
            [Vae(784, 20, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
            public partial class PragmaBeforeClass;
            """,
        ["PragmaAroundArgument.cs"] = """
            using VaeGen;
            [Vae(784, 20,
            #pragma warning disable VAE0014
                ObservationVariance = 2.0
            #pragma warning restore VAE0014
            )]
            [Encoder(6)] [Decoder(6)]
            public partial class PragmaAroundArgument;
            """,
        ["SuppressMessageOnClass.cs"] = """
            using VaeGen;
            [Vae(784, 20, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
            [System.Diagnostics.CodeAnalysis.SuppressMessage("VaeGen", "VAE0014")]
            public partial class SuppressMessageOnClass;
            """,
        ["SeverityNone.cs"] = """
            using VaeGen;
            [Vae(784, 20, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
            public partial class SeverityNone;
            """,
        ["SeverityError.cs"] = """
            using VaeGen;
            [Vae(784, 20, ObservationVariance = 2.0)] [Encoder(6)] [Decoder(6)]
            public partial class SeverityError;
            """,
    };

    /// <summary>
    /// Builds, once for the class, a library project in a temporary folder with every file above, an .editorconfig that sets
    /// VAE0014's severity for two of them, and this build's generator as an analyzer; keeps the VAE lines the compiler printed.
    /// </summary>
    public sealed class ConsumerBuild : IDisposable
    {
        private readonly string folder = Path.Combine(Path.GetTempPath(), "vaegen-suppression-" + Guid.NewGuid().ToString("N"));
        private readonly List<string> vaeLines;
        private readonly string printed;

        public ConsumerBuild()
        {
            Directory.CreateDirectory(folder);
            // The test's own output folder holds the attributes, the runtime library, TorchSharp and the generator this test
            // run built; the attributes' assembly is also an analyzer file, as the generator's dependency (the package does the same).
            var bin = AppContext.BaseDirectory;
            File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>disable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="{Path.Combine(bin, "VaeGen.Abstractions.dll")}" />
                    <Reference Include="{Path.Combine(bin, "VaeGen.dll")}" />
                    <Reference Include="{Path.Combine(bin, "TorchSharp.dll")}" />
                    <Analyzer Include="{Path.Combine(bin, "VaeGen.Generators.dll")}" />
                    <Analyzer Include="{Path.Combine(bin, "VaeGen.Abstractions.dll")}" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(folder, ".editorconfig"), """
                root = true

                [SeverityNone.cs]
                dotnet_diagnostic.VAE0014.severity = none

                [SeverityError.cs]
                dotnet_diagnostic.VAE0014.severity = error
                """);
            foreach (var (name, source) in Files) File.WriteAllText(Path.Combine(folder, name), source);

            // The error the .editorconfig asks for fails the build; its output is what the tests read.
            // No build servers: a compiler server kept from an earlier run could still hold an older generator of the same path.
            printed = Dotnet(folder, "build", "-c", "Release", "-nologo", "-clp:NoSummary", "--disable-build-servers");
            vaeLines = printed.Split('\n')
                .Select(line => Regex.Match(line, @"(?<file>[^/\\\s]+\.cs)\((?<line>\d+),(?<column>\d+)\): (?<severity>warning|error) (?<id>VAE\d{4})"))
                .Where(match => match.Success)
                .Select(match => $"{match.Groups["file"].Value}({match.Groups["line"].Value},{match.Groups["column"].Value}): {match.Groups["severity"].Value} {match.Groups["id"].Value}")
                .Distinct(StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>"File.cs(line,column): severity ID" for each VAE diagnostic in <paramref name="file"/>.</summary>
        public IReadOnlyList<string> VaeDiagnosticsIn(string file)
        {
            // The control file always warns; without it the build never reached the generator, and an empty list would prove nothing.
            Assert.True(vaeLines.Any(line => line.StartsWith("Control.cs(", StringComparison.Ordinal)), "the build printed no VAE0014 for Control.cs:\n" + printed);
            return vaeLines.Where(line => line.StartsWith(file + "(", StringComparison.Ordinal)).ToList();
        }

        public void Dispose()
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }

        private static string Dotnet(string directory, params string[] arguments)
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
            return stdout.Result + stderr.Result;
        }
    }
}
