using System.Runtime.CompilerServices;
using System.Text;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// Golden files: generated text is compared with the committed Snapshots/NAME.verified.cs.
/// A mismatch writes NAME.received.cs beside it and fails with a diff; UPDATE_SNAPSHOTS=1
/// rewrites the verified file instead. Review every diff before committing it.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots");
        VerifyIn(directory, name, actual);
    }

    public static void VerifyIn(string directory, string name, string actual)
    {
        Directory.CreateDirectory(directory);
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No snapshot {verified}; wrote {received}. Review it and run with UPDATE_SNAPSHOTS=1 to accept."
            : $"Snapshot {name} differs; wrote {received}.\n{Diff(expected, actual)}\nRun with UPDATE_SNAPSHOTS=1 to accept a deliberate change.";
        Assert.Fail(message);
    }

    /// <summary>A small unified-style diff: the changed lines with two lines of context.</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var text = new StringBuilder();
        var start = 0;
        while (start < a.Length && start < b.Length && a[start] == b[start])
        {
            start++;
        }

        var endA = a.Length - 1;
        var endB = b.Length - 1;
        while (endA >= start && endB >= start && a[endA] == b[endB])
        {
            endA--;
            endB--;
        }

        text.AppendLine($"@@ line {start + 1} @@");
        for (var i = Math.Max(0, start - 2); i < start; i++)
        {
            text.AppendLine("  " + a[i]);
        }

        for (var i = start; i <= endA && i < start + 40; i++)
        {
            text.AppendLine("- " + a[i]);
        }

        for (var i = start; i <= endB && i < start + 40; i++)
        {
            text.AppendLine("+ " + b[i]);
        }

        return text.ToString();
    }
}
