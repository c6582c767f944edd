using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace VaeGen.Package.Tests;

/// <summary>
/// VaeGen and VaeGen.Visualization packed once for every test of the <see cref="PackedCollection"/>, the way the README
/// tells a user: <c>dotnet pack src/VaeGen -c Release -o FEED</c>, then the same for src/VaeGen.Visualization, no
/// version given. It also holds what the consumer projects share: the packages folder they restore into and the
/// fallback folder that lends them the rest of the user's NuGet cache.
/// </summary>
public sealed class PackedVaeGen : IDisposable
{
    private readonly Lazy<string[]> userVaeGenBefore;

    public PackedVaeGen()
    {
        Directory.CreateDirectory(Feed);
        Cli.Dotnet(Cli.RepositoryRoot(), "pack", "src/VaeGen", "-c", "Release", "-o", Feed);
        var packages = Directory.GetFiles(Feed, "*.nupkg");
        if (packages.Length != 1) throw new InvalidOperationException($"dotnet pack made {packages.Length} packages in {Feed}, not one: {string.Join(", ", packages)}");
        Package = packages[0];
        Version = Path.GetFileNameWithoutExtension(Package)["VaeGen.".Length..];

        // A commit's packs share its version. Uncommitted changes stamp each pack with its own time, so there the
        // second package is given the first one's version, as the README says, to depend on the VaeGen just packed.
        string[] visualization = ["pack", "src/VaeGen.Visualization", "-c", "Release", "-o", Feed];
        if (Version.Contains(".dirty.", StringComparison.Ordinal) || Version.Contains(".nogit.", StringComparison.Ordinal))
            visualization = [.. visualization, $"-p:PackageVersion={Version}"];
        Cli.Dotnet(Cli.RepositoryRoot(), visualization);
        var made = Directory.GetFiles(Feed, "VaeGen.Visualization.*.nupkg");
        if (made.Length != 1) throw new InvalidOperationException($"dotnet pack made {made.Length} VaeGen.Visualization packages in {Feed}: {string.Join(", ", made)}");
        VisualizationPackage = made[0];

        userVaeGenBefore = new Lazy<string[]>(LendUserCache);
    }

    /// <summary>A temporary folder for everything the tests make; deleted afterwards.</summary>
    public string Work { get; } = Path.Combine(Path.GetTempPath(), "vaegen-package-" + Guid.NewGuid().ToString("N"));

    /// <summary>The local feed the packages were packed into.</summary>
    public string Feed => Path.Combine(Work, "feed");

    /// <summary>The VaeGen .nupkg file.</summary>
    public string Package { get; }

    /// <summary>The version pack gave it, read from the file name.</summary>
    public string Version { get; }

    /// <summary>The VaeGen.Visualization .nupkg file.</summary>
    public string VisualizationPackage { get; }

    /// <summary>The packages folder the consumer projects restore into, in place of the user's cache.</summary>
    public string Packages => Path.Combine(Work, "packages");

    /// <summary>
    /// The user's cache lent read-only as a fallback folder of links that leaves out VaeGen: a consumer must take the
    /// packages just made, and restores them into <see cref="Packages"/>. Made on first use.
    /// </summary>
    public string Fallback
    {
        get
        {
            _ = userVaeGenBefore.Value;
            return Path.Combine(Work, "fallback");
        }
    }

    /// <summary>The VaeGen versions the user's cache held before any consumer restored, as "id/version".</summary>
    public string[] UserVaeGenBefore => userVaeGenBefore.Value;

    /// <summary>The VaeGen and VaeGen.Visualization versions the user's cache holds now, as "id/version".</summary>
    public static string[] UserVaeGenNow() => VaeGenVersionsIn(UserPackagesFolder());

    public void Dispose()
    {
        if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
    }

    private string[] LendUserCache()
    {
        var userCache = UserPackagesFolder();
        var before = VaeGenVersionsIn(userCache);
        var fallback = Path.Combine(Work, "fallback");
        Directory.CreateDirectory(fallback);
        foreach (var package in Directory.GetDirectories(userCache).Where(d => !Path.GetFileName(d).StartsWith("vaegen", StringComparison.OrdinalIgnoreCase)))
            Directory.CreateSymbolicLink(Path.Combine(fallback, Path.GetFileName(package)), package);
        return before;
    }

    /// <summary>The global packages folder a user's restore fills, as NuGet resolves it (NUGET_PACKAGES, nuget.config, or ~/.nuget/packages).</summary>
    private static string UserPackagesFolder()
    {
        var printed = Cli.Dotnet(Path.GetTempPath(), "nuget", "locals", "global-packages", "--list");
        var match = Regex.Match(printed, @"global-packages:\s*(.+?)\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, "dotnet nuget locals printed no global-packages folder:\n" + printed);
        return match.Groups[1].Value;
    }

    /// <summary>The VaeGen and VaeGen.Visualization versions a packages folder holds, as "id/version".</summary>
    private static string[] VaeGenVersionsIn(string packagesFolder) =>
        new[] { "vaegen", "vaegen.visualization" }
            .Select(id => Path.Combine(packagesFolder, id))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.GetDirectories(folder).Select(d => $"{Path.GetFileName(folder)}/{Path.GetFileName(d)}"))
            .Order(StringComparer.Ordinal).ToArray();
}

/// <summary>The test classes that share one <see cref="PackedVaeGen"/>: packing takes a while, so it happens once per run.</summary>
[CollectionDefinition(Name)]
public sealed class PackedCollection : ICollectionFixture<PackedVaeGen>
{
    public const string Name = "Packed VaeGen";
}
