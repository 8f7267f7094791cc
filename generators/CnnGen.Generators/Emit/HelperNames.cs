using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace CnnGen.Generators.Emit;

/// <summary>
/// The words of kernel and helper method names (Conv2d1ForwardV512_Rows2x10_16x1) and the
/// legend that explains them in the header of every generated file. Each word is built here,
/// beside the sentence that explains it, so the legend cannot drift from the names; the header
/// lists the words its file uses.
/// </summary>
internal static class HelperNames
{
    /// <summary>One word of a helper name: how to recognise it and what it means.</summary>
    internal sealed record Word(string Example, string Pattern, string Meaning);

    private static readonly Word AllWord = new("All", "All", "every output position of a sample in one block");
    private static readonly Word OutputRowsWord = new("Rows2x10", @"Rows\d+x\d+", "a block of 2 output rows of 10 positions each");
    private static readonly Word RowWord = new("Row8", @"Row\d+", "a block of 8 consecutive positions of one row");
    private static readonly Word KernelRowsWord = new("Rows4", @"Rows\d+", "4 rows of a kernel gradient (input channels at one tap, or inputs of a dense layer)");
    private static readonly Word SamplesWord = new("Samples4", @"Samples\d+", "4 samples at once");
    private static readonly Word SumWord = new("Sum", "Sum", "a bias gradient: the output gradient summed over samples and positions");
    private static readonly Word SampleWord = new("Sample", "Sample", "the kernel gradient of one sample");
    private static readonly Word PositionsWord = new("Positions0_8", @"Positions\d+(_\d+)*", "vectors of output positions starting at positions 0 and 8 of the block (layers of fewer filters than a vector)");
    private static readonly Word InterleaveWord = new("Interleave", "Interleave", "position vectors transposed into channels-last outputs");
    private static readonly Word PlanarWord = new("Planar", "Planar", "the output gradient of a row rearranged into position vectors");
    private static readonly Word TapsWord = new("Taps_3", @"Taps(_\d+)?", "every kernel tap (of 3 filters)");
    private static readonly Word BlockWord = new("Block4", @"Block\d+", "a block of 4 output positions");
    private static readonly Word ScatterWord = new("Scatter4x8", @"Scatter\d+x\d+", "4 positions x 8 input channels of an input gradient");
    private static readonly Word SliceWord = new("Slice64", @"Slice\d+", "64 input channels at a time, the partial sums kept in the output between slices");
    private static readonly Word GatherWord = new("Gather0_7", @"Gather\d+(_\d+)?", "input positions 0 to 6 of a row of an input gradient (Gather5: 5 positions inside the row, anywhere), each summed over a kernel row's taps");
    private static readonly Word DotsWord = new("Dots0_4", @"Dots\d+(_\d+)?", "input positions 0 to 3 of a row of an input gradient (Dots4: 4 positions inside the row, anywhere), each channel's sum a dot product over vectors of the filters");
    private static readonly Word DotWord = new("Dot16x3", @"Dot\d+x\d+", "dot products of 3 filters (or units) over vectors of 16 inputs, the lanes summed at the end");
    private static readonly Word InputsWord = new("Inputs40", @"Inputs\d*", "consecutive inputs of a kernel gradient (40; whole vectors when no number) in vectors, each output gradient broadcast (layers of 1 to 3 filters or 1 to 7 units)");
    private static readonly Word VectorsWord = new("16x2", @"\d+x\d+|\d+(_\d+)+", "the channel vectors in registers: 2 vectors of 16 floats; 8_4 is one of 8 then one of 4");
    private static readonly Word GenericVectorsWord = new("x2", @"x\d+", "the channel vectors of a generic kernel: 2 vectors of the width");

    /// <summary>Every word, in the order of the legend (the first match wins when reading a name).</summary>
    public static readonly IReadOnlyList<Word> Words = new[]
    {
        AllWord, OutputRowsWord, RowWord, KernelRowsWord, SamplesWord, SumWord, SampleWord, PositionsWord, InterleaveWord, PlanarWord,
        TapsWord, BlockWord, ScatterWord, GatherWord, SliceWord, DotsWord, DotWord, InputsWord, VectorsWord, GenericVectorsWord,
    };

    /// <summary>Each word of <see cref="Words"/> at the start of a suffix, up to a '_' or the end.</summary>
    private static readonly Regex[] WordStarts = Words.Select(w => new Regex("^(" + w.Pattern + ")(?=_|$)", RegexOptions.CultureInvariant)).ToArray();

    public static string All => AllWord.Example;

    /// <summary><paramref name="rows"/> output rows of <paramref name="width"/> positions.</summary>
    public static string OutputRows(int rows, int width) => "Rows" + Number(rows) + "x" + Number(width);

    /// <summary><paramref name="positions"/> consecutive positions of one row.</summary>
    public static string Row(int positions) => "Row" + Number(positions);

    /// <summary><paramref name="rows"/> rows of a kernel gradient.</summary>
    public static string KernelRows(int rows) => "Rows" + Number(rows);

    public static string Samples(int samples) => "Samples" + Number(samples);

    public static string Sum => SumWord.Example;

    public static string Sample => SampleWord.Example;

    /// <summary>Position vectors starting at <paramref name="starts"/>, relative to the block.</summary>
    public static string Positions(IEnumerable<int> starts) => "Positions" + string.Join("_", starts.Select(Number));

    public static string Interleave => InterleaveWord.Example;

    public static string Planar => PlanarWord.Example;

    public static string Taps => "Taps";

    /// <summary>The taps of <paramref name="filters"/> filters.</summary>
    public static string TapsOf(int filters) => "Taps_" + Number(filters);

    public static string Block(int positions) => "Block" + Number(positions);

    public static string Scatter(int positions, int channels) => "Scatter" + Number(positions) + "x" + Number(channels);

    /// <summary><paramref name="count"/> input positions of a row from <paramref name="first"/>: Gather0_7.</summary>
    public static string Gather(int first, int count) => "Gather" + Number(first) + "_" + Number(count);

    /// <summary><paramref name="count"/> input positions of a row from <paramref name="first"/>, as dot products over the filters: Dots0_4.</summary>
    public static string Dots(int first, int count) => "Dots" + Number(first) + "_" + Number(count);

    /// <summary><paramref name="count"/> input positions inside a row, as dot products over the filters (the same code wherever they are): Dots4.</summary>
    public static string Dots(int count) => "Dots" + Number(count);

    /// <summary><paramref name="count"/> input positions inside a row (the same code wherever they are): Gather5.</summary>
    public static string Gather(int count) => "Gather" + Number(count);

    /// <summary>A slice of <paramref name="channels"/> input channels.</summary>
    public static string Slice(int channels) => "Slice" + Number(channels);

    /// <summary>Dot products of <paramref name="filters"/> outputs over vectors of <paramref name="lanes"/> inputs: Dot16x3.</summary>
    public static string Dot(int lanes, int filters) => "Dot" + Number(lanes) + "x" + Number(filters);

    /// <summary>Consecutive inputs of a kernel gradient: Inputs40, or Inputs for whole vectors (null).</summary>
    public static string Inputs(int? inputs) => "Inputs" + (inputs is { } count ? Number(count) : string.Empty);

    /// <summary>The vectors of a group: "16x4" (four of 16 floats), "8_4" (widths in order).</summary>
    public static string Vectors(IReadOnlyList<Chunk> chunks) => Chunks.Signature(chunks);

    /// <summary>A block word and the group's vectors: Rows2x10_16x1.</summary>
    public static string WithVectors(string block, IReadOnlyList<Chunk> chunks) => block + "_" + Vectors(chunks);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static readonly Regex HelperDeclaration = new(@"private static void (\w+?)(V512|V256|V128|Vx)?_(\w+?)(?:<V, T>)?\(", RegexOptions.CultureInvariant);

    /// <summary>
    /// The words that the helpers declared in <paramref name="source"/> use, in legend order:
    /// each name's parts after the first '_' read left to right, the longest word first.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public static IReadOnlyList<Word> Used(string source)
    {
        var used = new HashSet<Word>();
        var read = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (Match match in HelperDeclaration.Matches(source))
        {
            // Thousands of helpers share a few hundred suffixes: each is read once.
            var suffix = match.Groups[3].Value;
            if (!read.Add(suffix))
            {
                continue;
            }

            foreach (var word in Read(suffix) ?? new List<Word>())
            {
                used.Add(word);
            }
        }

        return Words.Where(used.Contains).ToList();
    }

    /// <summary>The words of a helper name's suffix (after the width), or null when a part is not a word of the legend.</summary>
    public static List<Word>? Read(string suffix)
    {
        var words = new List<Word>();
        var rest = suffix;
        while (rest.Length > 0)
        {
            var next = Words.Zip(WordStarts, (w, start) => (Word: w, Match: start.Match(rest)))
                .Where(m => m.Match.Success)
                .OrderByDescending(m => m.Match.Length)
                .FirstOrDefault();
            if (next.Word is null)
            {
                return null;
            }

            words.Add(next.Word);
            rest = rest.Substring(next.Match.Length).TrimStart('_');
        }

        return words;
    }

    /// <summary>The header's legend for <paramref name="source"/>; empty when it declares no helpers.</summary>
    public static string Legend(string source)
    {
        var used = Used(source);
        if (used.Count == 0)
        {
            return string.Empty;
        }

        var lines = new List<string>
        {
            "Method names: <layer><kernel><width>[_<block>[_<vectors>]], e.g. Conv2d1ForwardV512_Rows2x10_16x1.",
            "  width: V512, V256, V128 (vector bits of the variant) or Scalar; a helper without one serves several widths.",
        };
        if (source.Contains(WidthGenericKernels.Tag + "<") || source.Contains(WidthGenericKernels.Tag + "_"))
        {
            lines.Add("  " + WidthGenericKernels.Tag + ": generic over the width, the same code for V256 and V128: V is K::V256 or K::V128, T its vector type, V.Count its floats.");
        }

        lines.AddRange(used.Select(w => "  " + w.Example + ": " + w.Meaning + "."));
        return string.Join("\n", lines);
    }
}
