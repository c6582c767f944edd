using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Xunit;

namespace VaeGen.Package.Tests;

/// <summary>
/// The version a build stamps (build/Version.targets), read in a fresh clone of the repository that the test can
/// commit to, dirty and strip of git: every change gives a new package version, and only the release switch gives the
/// clean number.
/// </summary>
public sealed class VersionTests : IDisposable
{
    private readonly string work = Path.Combine(Path.GetTempPath(), "vaegen-version-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void Every_commit_and_every_uncommitted_change_gets_a_new_version_and_only_a_release_the_clean_one()
    {
        var root = Cli.RepositoryRoot();
        var clone = Path.Combine(work, "repo");
        Directory.CreateDirectory(work);
        Cli.Git(work, "clone", "--quiet", root, clone);
        Cli.Git(clone, "checkout", "--quiet", "--detach", Cli.Git(root, "rev-parse", "HEAD"));
        var height = int.Parse(Cli.Git(clone, "rev-list", "--count", "HEAD"), System.Globalization.CultureInfo.InvariantCulture);

        // A commit: its height and sha, the same for every build of it, and the package the same as the assemblies.
        var committed = Stamp(clone);
        Assert.Equal($"0.1.0-dev.{height}.g{Cli.Git(clone, "rev-parse", "--short=7", "HEAD")}", committed.Version);
        Assert.Equal(committed.Version, committed.PackageVersion);
        Assert.Equal(committed, Stamp(clone));

        // The next commit: one higher, so a feed orders them.
        Cli.Git(clone, "-c", "user.name=VaeGen tests", "-c", "user.email=tests@vaegen.invalid", "commit", "--quiet", "--allow-empty", "-m", "next");
        var next = Stamp(clone);
        Assert.Equal($"0.1.0-dev.{height + 1}.g{Cli.Git(clone, "rev-parse", "--short=7", "HEAD")}", next.Version);
        Assert.NotEqual(committed.Version, next.Version);

        // An uncommitted change, even an untracked file: the assemblies say so, and each pack gets its own time.
        File.WriteAllText(Path.Combine(clone, "src", "VaeGen", "Scratch.cs"), "// not committed\n");
        var dirty = Stamp(clone);
        Assert.Equal(next.Version + ".dirty", dirty.Version);
        Assert.Matches($@"^{Escape(dirty.Version)}\.\d{{14}}$", dirty.PackageVersion);

        // The release switch: the clean number, and nothing else gives it.
        Assert.Equal(new Stamped("0.1.0", "0.1.0"), Stamp(clone, "-p:PublicRelease=true"));

        // No repository (a source archive, or no git at all): still a pre-release, set apart by the time of the pack.
        Directory.Delete(Path.Combine(clone, ".git"), recursive: true);
        var unversioned = Stamp(clone);
        Assert.Equal("0.1.0-dev.nogit", unversioned.Version);
        Assert.Matches(@"^0\.1\.0-dev\.nogit\.\d{14}$", unversioned.PackageVersion);
    }

    private sealed record Stamped(string Version, string PackageVersion);

    /// <summary>Runs the stamping target alone on the VaeGen project, as pack would before packing, and reads both versions.</summary>
    private Stamped Stamp(string clone, params string[] extra)
    {
        var arguments = new List<string> { "msbuild", "src/VaeGen/VaeGen.csproj", "-nologo", "-t:VaeGenVersion", "-getProperty:Version", "-getProperty:PackageVersion" };
        arguments.AddRange(extra);
        // git must not find a repository above the clone once its own .git is gone.
        var printed = Cli.Run("dotnet", clone, new Dictionary<string, string?> { ["GIT_CEILING_DIRECTORIES"] = work }, [.. arguments], standardOutputOnly: true);
        var properties = JsonDocument.Parse(printed).RootElement.GetProperty("Properties");
        return new Stamped(properties.GetProperty("Version").GetString()!, properties.GetProperty("PackageVersion").GetString()!);
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
