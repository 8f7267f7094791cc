using System;
using System.Collections.Generic;
using System.IO;

namespace CnnGen;

/// <summary>
/// Replaces a file so that a reader sees either the old content or the complete new one:
/// the content goes to a temporary file in the same directory (the same file system, so the
/// rename is atomic), is flushed to the disk, and is then renamed over the target. On any
/// failure the temporary file is deleted and the target is left as it was.
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string path, Action<Stream> write) => ReplaceAll([(path, write)]);

    /// <summary>
    /// Replaces several files together: every content is written and flushed to its temporary
    /// file before the first rename, so a failure while writing leaves every target as it was.
    /// </summary>
    public static void ReplaceAll(IReadOnlyList<(string Path, Action<Stream> Write)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        // A directory in a target's place would fail the rename after other files were replaced: refuse it first.
        foreach (var (path, _) in files)
        {
            if (Directory.Exists(path))
            {
                throw new IOException($"Cannot write '{path}': it is a directory.");
            }
        }

        var targets = new List<(string Temporary, string Target)>();
        try
        {
            foreach (var (path, write) in files)
            {
                ArgumentException.ThrowIfNullOrEmpty(path);
                ArgumentNullException.ThrowIfNull(write);
                var fullPath = Path.GetFullPath(path);
                var directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(files));
                var temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
                targets.Add((temporary, fullPath));
                using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            foreach (var (temporary, target) in targets)
            {
                File.Move(temporary, target, overwrite: true);
            }
        }
        catch
        {
            foreach (var (temporary, _) in targets)
            {
                TryDelete(temporary);
            }

            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
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
