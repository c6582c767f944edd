using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Diagnostics;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>The diagnostic catalogue stays whole: unique IDs, each released, documented and tested.</summary>
public sealed class DescriptorTests
{
    private static readonly DiagnosticDescriptor[] Descriptors = typeof(DiagnosticDescriptors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToArray();

    [Fact]
    public void IdsAreUniqueAndInTheVaeGenCategory()
    {
        Assert.NotEmpty(Descriptors);
        Assert.Equal(Descriptors.Length, Descriptors.Select(d => d.Id).Distinct().Count());
        Assert.All(Descriptors, d => Assert.Matches("^VAE[0-9]{4}$", d.Id));
        Assert.All(Descriptors, d => Assert.Equal("VaeGen", d.Category));
    }

    [Fact]
    public void EveryDiagnosticHasItsOwnTest()
    {
        var tests = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).ToList();
        Assert.All(Descriptors, d => Assert.Contains(tests, name => name.StartsWith(d.Id + "_", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void EveryDiagnosticIsInTheReleaseNotesAndTheReadme()
    {
        var root = RepositoryRoot();
        var releases = File.ReadAllText(Path.Combine(root, "generators/VaeGen.Generators/AnalyzerReleases.Unshipped.md"));
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        Assert.All(Descriptors, d =>
        {
            Assert.Contains($"{d.Id} | VaeGen | {d.DefaultSeverity} | {d.Title}", releases);
            Assert.Contains($"| {d.Id} | {d.DefaultSeverity.ToString().ToLowerInvariant()} |", readme);
        });
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
