using System.IO;
using System.Runtime.CompilerServices;

namespace VaeGen.Tests.Data;

/// <summary>Paths in the source tree, found from this file's compile-time location so they work from any bin folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the nearest ancestor of this source file that holds VaeGen.sln.</summary>
    public static string Root => FindRoot();

    /// <summary>The Fashion-MNIST subset committed with the sample.</summary>
    public static string FashionMnistSubset => Path.Combine(Root, "samples", "FashionMnist", "data");

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        var directory = Path.GetDirectoryName(thisFile);
        while (directory is not null && !File.Exists(Path.Combine(directory, "VaeGen.sln")))
            directory = Path.GetDirectoryName(directory);
        return directory ?? throw new DirectoryNotFoundException($"No ancestor of '{thisFile}' holds VaeGen.sln.");
    }
}
