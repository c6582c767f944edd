using System;
using System.IO;
using System.Linq;

namespace VaeGen.Package.Tests;

/// <summary>
/// VaeGen packed once for the tests of a class, the way the README tells a user: <c>dotnet pack src/VaeGen -c Release
/// -o FEED</c>, no version given.
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
    }

    /// <summary>A temporary folder for everything the tests make; deleted afterwards.</summary>
    public string Work { get; } = Path.Combine(Path.GetTempPath(), "vaegen-package-" + Guid.NewGuid().ToString("N"));

    /// <summary>The local feed the package was packed into.</summary>
    public string Feed => Path.Combine(Work, "feed");

    /// <summary>The .nupkg file.</summary>
    public string Package { get; }

    /// <summary>The version pack gave it, read from the file name.</summary>
    public string Version { get; }

    public void Dispose()
    {
        if (Directory.Exists(Work)) Directory.Delete(Work, recursive: true);
    }
}
