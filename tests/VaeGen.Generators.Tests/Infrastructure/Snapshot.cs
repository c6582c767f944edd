using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace VaeGen.Generators.Tests.Infrastructure;

/// <summary>
/// Snapshot assertions in Verify's file convention: <c>Snapshots/{Class}.{Method}#{HintName}.verified.cs</c> per generated
/// file, first line <c>//HintName: X.g.cs</c>, and <c>{Class}.{Method}.verified.txt</c> for diagnostics when there are any.
/// LF line ends, no trailing newline, the generator version replaced by a fixed token. On a mismatch the new text is
/// written beside the snapshot as <c>.received.</c> and the test fails with a unified diff. Setting
/// <c>VAEGEN_ACCEPT_SNAPSHOTS=1</c> copies received over verified, and still fails, so an accepted run is never the one
/// that passes: read the files, then run again.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "VAEGEN_ACCEPT_SNAPSHOTS";
    private const string VersionToken = "{VaeGenVersion}";

    /// <summary>Checks every generated file and VaeGen diagnostic of <paramref name="run"/> against the committed snapshots.</summary>
    public static void Verify(GeneratorRun run, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
    {
        var testClass = Path.GetFileNameWithoutExtension(testFile);
        var folder = Path.Combine(Path.GetDirectoryName(testFile)!, "Snapshots");
        var prefix = $"{testClass}.{method}";

        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in run.Generator.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            var hint = source.HintName.EndsWith(".cs", StringComparison.Ordinal) ? source.HintName[..^3] : source.HintName;
            expected[$"{prefix}#{hint}.verified.cs"] = $"//HintName: {source.HintName}\n{source.SourceText}";
        }
        if (run.VaeDiagnostics.Count > 0)
            expected[$"{prefix}.verified.txt"] = string.Join("\n", run.VaeDiagnostics.Select(Describe));

        var failures = new StringBuilder();
        foreach (var (fileName, text) in expected) Compare(folder, fileName, Normalize(text), failures);

        var stale = Directory.Exists(folder)
            ? Directory.GetFiles(folder, $"{prefix}*.verified.*").Select(Path.GetFileName)
                .Where(f => (f!.StartsWith(prefix + "#", StringComparison.Ordinal) || f.StartsWith(prefix + ".verified", StringComparison.Ordinal))
                    && !expected.ContainsKey(f))
            : [];
        foreach (var file in stale) failures.AppendLine($"{file} is committed, but the generator no longer produces it; delete it.");

        if (failures.Length > 0) throw new XunitException(failures.ToString());
    }

    /// <summary>One line per diagnostic: ID, severity, file and span, message.</summary>
    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} {diagnostic.Severity} {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}-{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static void Compare(string folder, string fileName, string actual, StringBuilder failures)
    {
        var verifiedPath = Path.Combine(folder, fileName);
        var receivedPath = Path.Combine(folder, fileName.Replace(".verified.", ".received.", StringComparison.Ordinal));
        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(receivedPath, actual);
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            File.Copy(receivedPath, verifiedPath, overwrite: true);
            File.Delete(receivedPath);
            failures.AppendLine($"{fileName}: accepted the new output because {AcceptVariable}=1. Read it, then run the tests again without the variable.");
            return;
        }

        failures.AppendLine(verified is null
            ? $"{fileName} does not exist yet. The output is in {Path.GetFileName(receivedPath)}: read it, then accept it with {AcceptVariable}=1."
            : $"{fileName} differs from the output (written to {Path.GetFileName(receivedPath)}):");
        if (verified is not null) failures.AppendLine(UnifiedDiff(verified, actual));
    }

    /// <summary>LF line ends, no trailing newline, no byte-order mark, and the generator version scrubbed.</summary>
    private static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').TrimEnd('\n')
            .Replace($"\"VaeGen\", \"{VaeGenerator.Version}\"", $"\"VaeGen\", \"{VersionToken}\"", StringComparison.Ordinal)
            .Replace($"VaeGen {VaeGenerator.Version} ", $"VaeGen {VersionToken} ", StringComparison.Ordinal);

    private static string UnifiedDiff(string verified, string received)
    {
        var diff = InlineDiffBuilder.Diff(verified, received, ignoreWhiteSpace: false);
        var lines = diff.Lines;
        var output = new StringBuilder("--- verified\n+++ received\n");
        const int context = 3;
        var changed = lines.Select((l, i) => (l, i)).Where(p => p.l.Type != ChangeType.Unchanged).Select(p => p.i).ToList();
        var shown = new HashSet<int>(changed.SelectMany(i => Enumerable.Range(i - context, 2 * context + 1)).Where(i => i >= 0 && i < lines.Count));
        var previous = -2;
        foreach (var index in shown.OrderBy(i => i))
        {
            if (index != previous + 1) output.Append("@@ line ").Append(lines[index].Position ?? index + 1).Append(" @@\n");
            var line = lines[index];
            var marker = line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' };
            output.Append(marker).Append(line.Text).Append('\n');
            previous = index;
        }
        return output.ToString();
    }
}
