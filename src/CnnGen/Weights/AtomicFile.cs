using System;
using System.IO;

namespace CnnGen;

/// <summary>
/// Replaces a file so that a reader sees either the old content or the complete new one:
/// the content goes to a temporary file in the same directory (the same file system, so the
/// rename is atomic), is flushed to the disk, and is then renamed over the target. On any
/// failure the temporary file is deleted and the target is left as it was; the exception names
/// the target, never the temporary file. A symbolic link is followed: the file it points to
/// is replaced (in its own directory) and the link stays a link. Used by every writer of a
/// file path (weight files, ONNX export).
/// </summary>
internal static class AtomicFile
{
    public static void Replace(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        WeightPaths.ThrowIfDirectory(path, "saving needs the path of a file (in that directory, for example)");
        var target = FinalTarget(path);
        var directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no directory.", nameof(path));
        var temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw Named(exception, path, target, directory, temporary);
        }
        catch
        {
            TryDelete(temporary);
            throw;
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
