using System;
using System.IO;

namespace VaeGen.Package.Tests;

/// <summary>
/// VaeGen and VaeGen.Visualization packed once for the tests of a class, the way the README tells a user:
/// <c>dotnet pack src/VaeGen -c Release -o FEED</c>, then the same for src/VaeGen.Visualization, no version given.
/// </summary>
public sealed class PackedVaeGen : IDisposable
{
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

    public void Dispose()
    {
        if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
    }
}
