using System;
using System.IO;

namespace CnnGen;

/// <summary>
/// Opening the paths users give for weight files, with messages that say what is wrong:
/// .NET reports a directory opened as a file as "Access to the path is denied".
/// </summary>
internal static class WeightPaths
{
    /// <summary>Opens <paramref name="path"/> for reading; <paramref name="what"/> ("A weight file") starts the message if it is a directory.</summary>
    /// <exception cref="IOException">The path is a directory (or the file cannot be opened: FileNotFoundException and the like).</exception>
    public static FileStream OpenRead(string path, string what, int bufferSize = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ThrowIfDirectory(path, what + " is read from a file: give the path of the file itself");
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
    }

    /// <summary>Throws an <see cref="IOException"/> naming <paramref name="path"/> when it is a directory (or a link to one); <paramref name="fix"/> ends the message.</summary>
    public static void ThrowIfDirectory(string path, string fix)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a directory; {fix}.");
        }
    }
}
