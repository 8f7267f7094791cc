using System;
using System.Collections.Generic;

namespace CnnGen.Generators.Dsl;

/// <summary>Suggestions for misspelled names: the closest word of the vocabulary, if any is close.</summary>
internal static class DidYouMean
{
    /// <summary>Names users bring from Keras and PyTorch, mapped to ours (for suggestions only).</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["kernelsize"] = "kernel",
        ["poolsize"] = "pool",
        ["dilationrate"] = "dilation",
        ["outchannels"] = "filters",
        ["outfeatures"] = "units",
        ["bias"] = "use_bias",
        ["dataformat"] = "format",
        ["inputshape"] = "input",
        ["shape"] = "input",
        ["linear"] = "dense",
        ["fullyconnected"] = "dense",
        ["globalaveragepooling1d"] = "global_avg_pool",
        ["globalaveragepooling2d"] = "global_avg_pool",
        ["globalmaxpooling1d"] = "global_max_pool",
        ["globalmaxpooling2d"] = "global_max_pool",
        ["adaptiveavgpool2d"] = "global_avg_pool",
        ["adaptivemaxpool2d"] = "global_max_pool",
        ["leakyrelu"] = "leaky_relu",
        ["swish"] = "silu",
        ["none"] = "linear",
        ["identity"] = "linear",
    };

    /// <summary>" Did you mean 'conv2d'?" or an empty string.</summary>
    public static string Sentence(string written, IEnumerable<string> candidates) =>
        Closest(written, candidates) is { } match ? SentenceStart + match + SentenceEnd : string.Empty;

    /// <summary>The name a <see cref="Sentence"/> suggests, or null for the empty sentence (read back by the code fixes).</summary>
    public static string? Suggested(string sentence) =>
        sentence.StartsWith(SentenceStart, System.StringComparison.Ordinal) && sentence.EndsWith(SentenceEnd, System.StringComparison.Ordinal)
            ? sentence.Substring(SentenceStart.Length, sentence.Length - SentenceStart.Length - SentenceEnd.Length)
            : null;

    private const string SentenceStart = " Did you mean '";
    private const string SentenceEnd = "'?";

    /// <summary>
    /// The candidate closest to <paramref name="written"/>, ignoring case and underscores, or
    /// null when none is within about a third of its length.
    /// </summary>
    public static string? Closest(string written, IEnumerable<string> candidates)
    {
        if (written.Length == 0 || written.Length > 64)
        {
            return null;
        }

        var key = Normalize(written);
        var list = new List<string>(candidates);
        if (Synonyms.TryGetValue(key, out var synonym) && list.Contains(synonym))
        {
            return synonym;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in list)
        {
            var distance = Distance(key, Normalize(candidate));
            if (distance < bestDistance && distance <= Math.Max(1, candidate.Length / 3))
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static string Normalize(string text) => text.Replace("_", string.Empty).ToLowerInvariant();

    /// <summary>Edit distance counting a swap of neighbours as one edit (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
