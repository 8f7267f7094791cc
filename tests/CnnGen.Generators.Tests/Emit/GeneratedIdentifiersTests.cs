using System.Text.RegularExpressions;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// GeneratedIdentifiers, SharedLayerCode's and WidthGenericKernels' scan for identifiers,
/// finds exactly what the regular expression it replaced finds (<c>\b[A-Za-z_][A-Za-z0-9_]*</c>): on generated files
/// and on text that tests the edges (digits before letters, non-ASCII letters and marks
/// beside ASCII ones, the placeholder character, underscores).
/// </summary>
public class GeneratedIdentifiersTests
{
    private static readonly Regex Identifier = new(@"\b[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant);

    public static TheoryData<string> Texts()
    {
        var texts = new TheoryData<string>
        {
            "a0_0 = K::V256.Fma(t8, w0, a0_0); 3072u 0x1F _x __ x_ 1abc abc1",
            "Layer30Conv1ForwardV256_Rows3x2_Slice64_8x2(ref x, 16u)",
            "caf\u00e9 \u00e9t\u00e9 abc\u00e9def \u00e9abc a\u0301b Ab\u0001Cd x\u200Dy z\u00b2 \u00d7w \u2014v",
            "",
            "x",
            "9",
            "\u00e9",
        };
        foreach (var source in GeneratorHarness.Run(SampleNetworks.LeNet5).Sources.Values)
        {
            texts.Add(source);
        }

        return texts;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void ReplacesWhatTheRegexReplaces(string text)
    {
        var all = Identifier.Matches(text).Select(m => m.Value).Distinct().ToList();

        // Every other identifier found, so that both replacing and keeping happen, at every length.
        var chosen = all.Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
        var expected = Identifier.Replace(text, m => chosen.Contains(m.Value) ? "<" + m.Value + ">" : m.Value);

        var actual = new GeneratedIdentifiers(all).Replace(text, id => chosen.Contains(id) ? "<" + id + ">" : null);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void FindsEveryIdentifierTheRegexFindsAndNoOther(string text)
    {
        // Every identifier the regex finds is a name of interest, so the scan reports each of
        // them, in order, and nothing else: not "abc" inside "1abc", though "abc" is a name.
        var expected = Identifier.Matches(text).Select(m => m.Value).ToList();
        var found = new List<string>();

        new GeneratedIdentifiers(expected.Distinct()).Any(text, id =>
        {
            found.Add(id);
            return false;
        });

        Assert.Equal(expected, found);
    }

    [Fact]
    public void LooksOnlyAtIdentifiersOfTheNamesLengthsAndFirstAndLastCharacters()
    {
        // A filter, not a match: "abzd" has the shape of "abcd", so the caller still compares names.
        var seen = new List<string>();

        new GeneratedIdentifiers(new[] { "abcd" }).Any("ab abcd abcde wxyz abzd abce bbcd", id =>
        {
            seen.Add(id);
            return false;
        });

        Assert.Equal(new[] { "abcd", "abzd" }, seen);
    }
}
