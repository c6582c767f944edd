using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Package.Tests;

/// <summary>
/// Packs VaeGen as a user would, checks the version it gets, then builds and runs a fresh console project in a
/// temporary folder that knows VaeGen only through a PackageReference to a local feed: no repository build files
/// around it, so the generator, the runtime library, TorchSharp and the native-library fix must all arrive through the
/// package. The consumer restores into a packages folder of its own, so the user's NuGet cache gains nothing.
/// </summary>
public sealed class PackageConsumerTests(PackedVaeGen packed, ITestOutputHelper output) : IClassFixture<PackedVaeGen>
{
    [Fact]
    public void A_plain_pack_is_a_prerelease_of_the_checked_out_commit()
    {
        var root = Cli.RepositoryRoot();
        var height = Cli.Git(root, "rev-list", "--count", "HEAD");
        var sha = Cli.Git(root, "rev-parse", "--short=7", "HEAD");
        var dirty = Cli.Git(root, "status", "--porcelain", "--untracked-files=normal").Length > 0;
        // A tree with uncommitted changes can hold different contents at the same commit: the pack's time sets them apart.
        var expected = $@"^0\.1\.0-dev\.{height}\.g{sha}" + (dirty ? @"\.dirty\.\d{14}$" : "$");

        output.WriteLine($"dotnet pack made VaeGen {packed.Version}");
        Assert.Matches(expected, packed.Version);
        Assert.Equal(packed.Version, NuspecVersion(packed.Package));
    }

    [Fact]
    public void The_release_switch_packs_the_clean_version()
    {
        var feed = Path.Combine(packed.Work, "release-feed");
        Cli.Dotnet(Cli.RepositoryRoot(), "pack", "src/VaeGen", "-c", "Release", "--no-build", "-p:PublicRelease=true", "-o", feed);

        var package = Path.Combine(feed, "VaeGen.0.1.0.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack -p:PublicRelease=true made {string.Join(", ", Directory.GetFiles(feed))}, not VaeGen.0.1.0.nupkg");
        Assert.Equal("0.1.0", NuspecVersion(package));
    }

    [Fact]
    public void A_fresh_project_trains_a_declared_vae_from_the_package()
    {
        var version = packed.Version;
        var consumer = Path.Combine(packed.Work, "consumer");
        var packages = Path.Combine(packed.Work, "packages");
        var fallback = Path.Combine(packed.Work, "fallback");
        Directory.CreateDirectory(consumer);
        using (var archive = ZipFile.OpenRead(packed.Package))
        {
            var entries = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/VaeGen.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/VaeGen.targets", entries);
            Assert.Contains("buildTransitive/WeakenGlibcxxNeed.cs", entries);
            Assert.Contains("PACKAGE.md", entries);
        }

        // The user's cache lends TorchSharp and the rest read-only, as a fallback folder of links that leaves out VaeGen:
        // the consumer must take the package just made, and restores it into a packages folder of its own.
        var userCache = UserPackagesFolder();
        var userVaeGenBefore = VaeGenVersionsIn(userCache);
        Directory.CreateDirectory(fallback);
        foreach (var package in Directory.GetDirectories(userCache).Where(d => !Path.GetFileName(d).Equals("vaegen", StringComparison.OrdinalIgnoreCase)))
            Directory.CreateSymbolicLink(Path.Combine(fallback, Path.GetFileName(package)), package);

        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="vaegen-test-feed" value="{packed.Feed}" />
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
                <RestorePackagesPath>{packages}</RestorePackagesPath>
                <RestoreFallbackFolders>{fallback}</RestoreFallbackFolders>
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

        var printed = Cli.Dotnet(consumer, "run", "-c", "Release");
        var match = Regex.Match(printed, @"before (\S+) after (\S+)");
        Assert.True(match.Success, "the consumer printed no losses:\n" + printed);
        var before = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var after = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"package {version}: -ELBO {before:F3} before training, {after:F3} after 5 epochs");
        Assert.True(after < before, $"training through the package did not lower the loss: {before} -> {after}");

        Assert.True(Directory.Exists(Path.Combine(packages, "vaegen", version.ToLowerInvariant())), $"the consumer did not restore VaeGen {version} into its own packages folder {packages}");
        Assert.Equal(userVaeGenBefore, VaeGenVersionsIn(userCache));
    }

    private static string NuspecVersion(string package)
    {
        using var archive = ZipFile.OpenRead(package);
        using var nuspec = archive.GetEntry("VaeGen.nuspec")!.Open();
        return XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "version").Value;
    }

    /// <summary>The global packages folder a user's restore fills, as NuGet resolves it (NUGET_PACKAGES, nuget.config, or ~/.nuget/packages).</summary>
    private static string UserPackagesFolder()
    {
        var printed = Cli.Dotnet(Path.GetTempPath(), "nuget", "locals", "global-packages", "--list");
        var match = Regex.Match(printed, @"global-packages:\s*(.+?)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, "dotnet nuget locals printed no global-packages folder:\n" + printed);
        return match.Groups[1].Value;
    }

    private static string[] VaeGenVersionsIn(string packagesFolder)
    {
        var folder = Path.Combine(packagesFolder, "vaegen");
        return Directory.Exists(folder) ? Directory.GetDirectories(folder).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal).ToArray() : [];
    }
}
