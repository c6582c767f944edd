using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace VaeGen.Package.Tests;

/// <summary>
/// A console project in a temporary folder that knows VaeGen only through PackageReferences to the packed feed, as a
/// user's own project does: no repository build files around it, so the generator, the runtime library, TorchSharp and
/// the native-library fix must all arrive through the packages. It restores into the fixture's packages folder, with
/// the rest of the user's cache lent read-only, so the user's NuGet cache gains nothing.
/// </summary>
internal sealed class ConsumerProject
{
    private ConsumerProject(string name, string directory)
    {
        Name = name;
        Directory = directory;
    }

    /// <summary>The project's name, also its assembly's.</summary>
    public string Name { get; }

    /// <summary>The project folder, where the program runs.</summary>
    public string Directory { get; }

    /// <summary>The built program, relative to <see cref="Directory"/>.</summary>
    public string Assembly => Path.Combine("bin", "Release", "net10.0", Name + ".dll");

    /// <summary>
    /// Writes the project: a nuget.config naming the feed, a project file that references VaeGen and
    /// VaeGen.Visualization at the packed version (and any other packages), and <paramref name="program"/> as Program.cs.
    /// </summary>
    /// <param name="packed">The packed packages.</param>
    /// <param name="name">The project's name and its folder's under the fixture's work folder.</param>
    /// <param name="program">The program's source.</param>
    /// <param name="otherPackages">Packages besides VaeGen's, at the versions the repository's own projects use (Directory.Packages.props).</param>
    /// <param name="implicitUsings">Whether the project has the SDK's implicit usings, as <c>dotnet new console</c> makes it.</param>
    public static ConsumerProject Create(PackedVaeGen packed, string name, string program, IEnumerable<string>? otherPackages = null, bool implicitUsings = false)
    {
        var directory = Path.Combine(packed.Work, name);
        System.IO.Directory.CreateDirectory(directory);
        var references = new[] { ("VaeGen", packed.Version), ("VaeGen.Visualization", packed.Version) }
            .Concat((otherPackages ?? []).Select(id => (id, RepositoryVersion(id))))
            .Select(p => $"""    <PackageReference Include="{p.Item1}" Version="{p.Item2}" />""");

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="vaegen-test-feed" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>{(implicitUsings ? "enable" : "disable")}</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{packed.Packages}</RestorePackagesPath>
                <RestoreFallbackFolders>{packed.Fallback}</RestoreFallbackFolders>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", references)}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return new ConsumerProject(name, directory);
    }

    /// <summary>Builds the project in Release, as <c>dotnet build -c Release</c> in its folder.</summary>
    public void Build() => Cli.Dotnet(Directory, "build", "-c", "Release");

    /// <summary>Runs the built program in its folder and returns what it printed; a non-zero exit fails the test with its output.</summary>
    public string Run(params string[] arguments) => Cli.Dotnet(Directory, [Assembly, .. arguments]);

    /// <summary>Checks that the packages came from the feed into the fixture's packages folder, and that the user's cache gained no VaeGen.</summary>
    public static void AssertRestoredApartFromTheUsersCache(PackedVaeGen packed)
    {
        var version = packed.Version.ToLowerInvariant();
        Assert.True(System.IO.Directory.Exists(Path.Combine(packed.Packages, "vaegen", version)), $"the consumer did not restore VaeGen {packed.Version} into its own packages folder {packed.Packages}");
        Assert.True(System.IO.Directory.Exists(Path.Combine(packed.Packages, "vaegen.visualization", version)), $"the consumer did not restore VaeGen.Visualization {packed.Version} into {packed.Packages}");
        Assert.Equal(packed.UserVaeGenBefore, PackedVaeGen.UserVaeGenNow());
    }

    /// <summary>The version Directory.Packages.props gives a package: a consumer takes what the repository's own tests run.</summary>
    public static string RepositoryVersion(string id)
    {
        var props = XDocument.Load(Path.Combine(Cli.RepositoryRoot(), "Directory.Packages.props"));
        var entry = props.Descendants("PackageVersion").SingleOrDefault(e => (string?)e.Attribute("Include") == id)
            ?? throw new InvalidOperationException($"Directory.Packages.props names no version of {id}.");
        return (string)entry.Attribute("Version")!;
    }
}
