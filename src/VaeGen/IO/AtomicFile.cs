using System;
using System.IO;

namespace VaeGen.IO;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a partial file.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> to a temporary file beside <paramref name="path"/>, then moves it over the target.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="content">Its new content.</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        var bytes = content.ToArray();
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary file beside <paramref name="path"/>, flushes it to disk, then moves it
    /// over the target; on failure the target is untouched and the temporary file removed.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the new content; it must not close the stream.</param>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = CheckedFullPath(path);
        // Same folder, so the final move is a rename within one file system rather than a copy.
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        WriteThrough(fullPath, temporary, FileMode.CreateNew, write);
    }

    /// <summary>
    /// As <see cref="Write(string, Action{Stream})"/>, through a temporary file of a fixed name: one that a killed writer
    /// left behind is replaced by the next write instead of piling up beside the target. For a file rewritten again and
    /// again by one writer, such as a checkpoint.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="write">Writes the new content; it must not close the stream.</param>
    /// <param name="temporaryPath">The temporary file, in the folder of <paramref name="path"/>.</param>
    public static void Write(string path, Action<Stream> write, string temporaryPath)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(temporaryPath);
        WriteThrough(CheckedFullPath(path), Path.GetFullPath(temporaryPath), FileMode.Create, write);
    }

    private static void WriteThrough(string fullPath, string temporary, FileMode mode, Action<Stream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        try
        {
            using (var stream = new FileStream(temporary, mode, FileAccess.Write, FileShare.None))
            {
                write(stream);
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
