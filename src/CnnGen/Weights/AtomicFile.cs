using System;
using System.Collections.Generic;
using System.IO;

namespace CnnGen;

/// <summary>
/// Replaces a file so that a reader sees either the old content or the complete new one:
/// the content goes to a temporary file in the same directory (the same file system, so the
/// rename is atomic), is flushed to the disk, and is then renamed over the target. On any
/// failure the temporary file is deleted and the target is left as it was; the exception names
/// the target, never the temporary file. A symbolic link is followed: the file it points to
/// is replaced (in its own directory) and the link stays a link. Used by every writer of a
/// file path (weight files, ONNX export, the ONNX importer's declaration and weights).
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
        // Every target resolved first: a directory in a target's place would fail the rename after
        // other files were replaced.
        var plans = new List<(string Path, string Target, string Directory, string Temporary, Action<Stream> Write)>();
        foreach (var (path, write) in files)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentNullException.ThrowIfNull(write);
            WeightPaths.ThrowIfDirectory(path, "saving needs the path of a file (in that directory, for example)");
            var target = FinalTarget(path);
            var directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(files));
            var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            plans.Add((path, target, directory, temporary, write));
        }

        var current = plans.Count > 0 ? plans[0] : default;
        try
        {
            foreach (var plan in plans)
            {
                current = plan;
                using var stream = new FileStream(plan.Temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                plan.Write(stream);
                stream.Flush(flushToDisk: true);
            }

            foreach (var plan in plans)
            {
                current = plan;
                File.Move(plan.Temporary, plan.Target, overwrite: true);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            DeleteTemporaries(plans);
            throw Named(exception, current.Path, current.Target, current.Directory, current.Temporary);
        }
        catch
        {
            DeleteTemporaries(plans);
            throw;
        }
    }

    private static void DeleteTemporaries(List<(string Path, string Target, string Directory, string Temporary, Action<Stream> Write)> plans)
    {
        foreach (var plan in plans)
        {
            TryDelete(plan.Temporary);
        }
    }

    /// <summary>The full path of the file to replace: <paramref name="path"/>, or the file a symbolic link there finally points to.</summary>
    private static string FinalTarget(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            var file = new FileInfo(fullPath);
            return file.LinkTarget is null ? fullPath : file.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? fullPath;
        }
        catch (IOException exception)
        {
            throw new IOException($"Cannot save '{path}': its symbolic link cannot be followed ({exception.Message}).", exception);
        }
    }

    /// <summary>The same kind of exception, about the target: the temporary file is an implementation detail.</summary>
    private static Exception Named(Exception exception, string path, string target, string directory, string temporary)
    {
        var where = target == Path.GetFullPath(path) ? $"'{path}'" : $"'{path}' (a link to '{target}')";
        return exception switch
        {
            DirectoryNotFoundException => new DirectoryNotFoundException($"Cannot save {where}: the directory '{directory}' does not exist.", exception),
            UnauthorizedAccessException => new UnauthorizedAccessException(
                $"Cannot save {where}: access denied. Saving writes a temporary file in '{directory}' and renames it over the file, so that directory must be writable.", exception),
            _ => new IOException($"Cannot save {where}: {exception.Message.Replace(temporary, target, StringComparison.Ordinal)}", exception),
        };
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
