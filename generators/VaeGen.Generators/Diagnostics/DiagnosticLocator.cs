using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Diagnostics;

/// <summary>
/// Finds, for each diagnostic, the syntax tree its location lies in. The models keep locations as plain values (a tree would pin
/// the compilation's text inside the cache), but the compiler applies #pragma, [SuppressMessage] and .editorconfig severities
/// only to locations in a tree, so the tree is looked up by path at the last moment.
/// </summary>
internal static class DiagnosticLocator
{
    public static EquatableArray<LocatedDiagnostic> Locate(
        ImmutableArray<EquatableArray<DiagnosticInfo>> diagnostics, Compilation compilation, CancellationToken cancellationToken)
    {
        var paths = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var infos in diagnostics)
        {
            foreach (var info in infos)
            {
                if (info.Location is { } location) paths.Add(location.FilePath);
            }
        }
        // Nearly always empty: then the compilation's trees are not even walked.
        var trees = paths.Count == 0 ? null : TreesByPath(compilation, paths, cancellationToken);

        var located = new List<LocatedDiagnostic>();
        foreach (var infos in diagnostics)
        {
            foreach (var info in infos)
            {
                SyntaxTree? tree = null;
                if (info.Location is { } location) trees?.TryGetValue(location.FilePath, out tree);
                located.Add(new LocatedDiagnostic(info, tree));
            }
        }
        return located.ToEquatableArray();
    }

    /// <summary>The compilation's tree for each wanted path; a path two trees share maps to null, since neither can be told the right one.</summary>
    private static Dictionary<string, SyntaxTree?> TreesByPath(Compilation compilation, HashSet<string> paths, CancellationToken cancellationToken)
    {
        var trees = new Dictionary<string, SyntaxTree?>(System.StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!paths.Contains(tree.FilePath)) continue;
            trees[tree.FilePath] = trees.ContainsKey(tree.FilePath) ? null : tree;
        }
        return trees;
    }
}
