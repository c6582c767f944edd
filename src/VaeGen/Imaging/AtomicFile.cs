using System;
using System.IO;

namespace VaeGen.Imaging;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a partial file.</summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>, then moves it over the target.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var fullPath = CheckedFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);

        // Same folder, so the final move is a rename within one file system rather than a copy.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static string CheckedFullPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("The output path is empty.", nameof(path));
        var fullPath = Path.GetFullPath(path);
        if (string.IsNullOrEmpty(Path.GetFileName(fullPath)))
            throw new ArgumentException($"The output path '{path}' names a folder, not a file.", nameof(path));
        if (Directory.Exists(fullPath))
            throw new ArgumentException($"The output path '{path}' is an existing folder.", nameof(path));
        return fullPath;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
