using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CnnGen.Generators.Emit;

/// <summary>
/// Writes once, as a method generic over the vector width, each 256-bit method whose 128-bit
/// twin is the same code but for the width: the vector type, the helper class (K::V256,
/// K::V128) and integer constants that count vectors. The 256-bit and 128-bit paths plan with
/// the same register file (16 registers, 12 accumulators), so most kernels of layers with 8 or
/// more channels are such twins; a ResNet-18 at 224x224 had 185 KB of them.
/// <para>
/// The test is exact: after the width's names are mapped to <c>V</c> (the operations, a
/// <c>CnnGen.Kernels.IVectorOps</c>) and <c>T</c> (the vector type), the two methods must have
/// the same tokens, and each integer that differs must be <c>p + q * lanes</c> at both widths
/// (q &gt; 0, p &gt;= 0), written so (<c>256 + V.Count</c>). Each instantiation therefore
/// computes exactly what its method did. Methods with anything else that depends on the width
/// (a framework call, another width's helper, a float constant in an operator, a constant
/// where C# needs one) stay as they are. Passes repeat, so a driver whose kernels became
/// generic can become generic too.
/// </para>
/// </summary>
internal static class WidthGenericKernels
{
    /// <summary>The width tag of generic method names: Conv2d2ForwardVx_Row5_x2.</summary>
    public const string Tag = "Vx";

    private const string Operations = "V";
    private const string VectorType = "T";
    private const string Constraints = "where V : struct, " + FrameworkNames.Kernels + "IVectorOps<T> where T : struct";

    /// <summary>The members of <c>CnnGen.Kernels.IVectorOps</c>: the only helper calls a generic method may make.</summary>
    private static readonly HashSet<string> InterfaceMembers = new(StringComparer.Ordinal)
    {
        "Zero", "Load", "Store", "AddTo", "Splat", "Add", "Fma", "Max", "MaxNative", "Unordered", "Or", "Relu", "Relu6",
    };

    /// <summary>Classes of the runtime's kernels whose methods take no vectors, the same at every width (K::Prefetch.IntoL2(ref float)).</summary>
    private static readonly HashSet<string> WidthIndependentClasses = new(StringComparer.Ordinal) { "Prefetch" };

    private sealed class Width
    {
        public Width(int bits, int lanes)
        {
            Bits = bits;
            Lanes = lanes;
            Tag = "V" + bits.ToString(CultureInfo.InvariantCulture);
            Vector = "Vector" + bits.ToString(CultureInfo.InvariantCulture);
            Temp = "t" + lanes.ToString(CultureInfo.InvariantCulture);
            TypeArguments = "<" + FrameworkNames.Kernels + Tag + ", " + FrameworkNames.Intrinsics + Vector + "<float>>";
        }

        public int Bits { get; }

        public int Lanes { get; }

        public string Tag { get; }

        public string Vector { get; }

        /// <summary>The broadcast temporary of BlockedKernel.</summary>
        public string Temp { get; }

        public string TypeArguments { get; }
    }

    private static readonly Width Wide = new(256, 8);
    private static readonly Width Narrow = new(128, 4);

    /// <summary>512-bit members take part only in the merging of equal text.</summary>
    private static readonly Width Widest = new(512, 16);

    private static bool Tagged(string name, Width width) =>
        name.Contains(width.Tag + "_") || name.EndsWith(width.Tag, StringComparison.Ordinal);

    /// <summary><paramref name="code"/> (the generated class) with every pair of twins written once.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    public static string Share(string code)
    {
        var file = Parse(code);
        var analyses = new Dictionary<string, Analysis>(StringComparer.Ordinal);
        for (var pass = 0; pass < 4 && SharePass(file, analyses); pass++)
        {
        }

        var builder = new StringBuilder(code.Length);
        var any = false;
        foreach (var chunk in file.Chunks)
        {
            if (chunk is null)
            {
                continue;
            }

            if (any)
            {
                builder.Append('\n');
            }

            builder.Append(chunk);
            any = true;
        }

        return builder.ToString();
    }

    /// <summary>
    /// The class as chunks of lines: each member with a width tag (its comment and attribute lines
    /// above, and the blank line after) is a chunk of its own, the text between them others. A
    /// pass replaces or removes member chunks and renames calls in all of them, so the text is
    /// split once and a member that did not change is not read again.
    /// </summary>
    private sealed class MemberFile
    {
        public List<string?> Chunks { get; } = new();

        public List<Member> Members { get; } = new();

        /// <summary>Every method name declared, the generic ones as they are made.</summary>
        public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);
    }

    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static MemberFile Parse(string code)
    {
        var lines = code.Split('\n');
        var file = new MemberFile();
        var overloaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.StartsWith("\tprivate static void ", StringComparison.Ordinal) && !file.Declared.Add(NameOf(line)))
            {
                overloaded.Add(NameOf(line));
            }
        }

        var otherStart = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("\tprivate static void ", StringComparison.Ordinal))
            {
                continue;
            }

            // An overloaded name is renamed nowhere: calls could not tell the overloads apart.
            var name = NameOf(lines[i]);
            var width = Tagged(name, Wide) ? Wide : Tagged(name, Narrow) ? Narrow : Tagged(name, Widest) ? Widest : null;
            var end = i + 1;
            while (end < lines.Length && lines[end] != "\t}")
            {
                end++;
            }

            if (width is null || overloaded.Contains(name) || end == lines.Length)
            {
                i = end;
                continue;
            }

            var first = i;
            while (first > otherStart && (lines[first - 1].StartsWith("\t//", StringComparison.Ordinal) || lines[first - 1].StartsWith("\t[", StringComparison.Ordinal)))
            {
                first--;
            }

            if (first > otherStart)
            {
                file.Chunks.Add(string.Join("\n", lines, otherStart, first - otherStart));
            }

            var blank = end + 1 < lines.Length && lines[end + 1].Length == 0;
            var member = new Member { Chunk = file.Chunks.Count, Name = name, Width = width, HasBlankLine = blank };
            member.SetLines(string.Join("\n", lines, first, end - first + 1));
            file.Chunks.Add(member.Text + (blank ? "\n" : string.Empty));
            file.Members.Add(member);
            otherStart = blank ? end + 2 : end + 1;
            i = otherStart - 1;
        }

        if (otherStart < lines.Length)
        {
            file.Chunks.Add(string.Join("\n", lines, otherStart, lines.Length - otherStart));
        }

        return file;
    }

    /// <summary>What is read from a member's text; the same text in a later pass is not read again.</summary>
    private sealed class Analysis
    {
        public string Key = "";
        public string ExactKey = "";
        public string ShapeKey = "";
        public bool? Tokenized;
        public List<Token> Tokens = new();
        public bool CanBeGeneric = true;
        public List<(int Add, int End)> VectorAdds = new();

        /// <summary>The digit runs outside identifiers, in order: the integers the shape key leaves out.</summary>
        public List<string> Integers = new();
    }

    private sealed class Member
    {
        /// <summary>Its chunk in <see cref="MemberFile.Chunks"/>.</summary>
        public int Chunk;
        public bool HasBlankLine;
        public bool Removed;

        /// <summary>Its lines: comments and attributes from 0, the declaration at <see cref="Declaration"/>, the closing brace at <see cref="End"/>.</summary>
        public string[] Lines = Array.Empty<string>();
        public string Text = "";
        public int First;
        public int Declaration;
        public int End;
        public string Name = "";
        public Width Width = Wide;
        public bool Paired;
        public Analysis? Analysis;

        public void SetLines(string text)
        {
            Text = text;
            Lines = text.Split('\n');
            First = 0;
            End = Lines.Length - 1;
            Declaration = 0;
            while (Declaration < End && !Lines[Declaration].StartsWith("\tprivate static void ", StringComparison.Ordinal))
            {
                Declaration++;
            }
        }

        /// <summary>The tokens (comment and attribute lines aside); their lines count from the declaration.</summary>
        public List<Token> Tokens => Analysis!.Tokens;

        /// <summary>The tokens' canonical text.</summary>
        public string Key { get => Analysis!.Key; set => Analysis!.Key = value; }

        /// <summary>The text, comment lines and the member's own name aside.</summary>
        public string ExactKey { get => Analysis!.ExactKey; set => Analysis!.ExactKey = value; }

        /// <summary>The exact key with the width's names mapped and every integer a '#': equal for twins.</summary>
        public string ShapeKey { get => Analysis!.ShapeKey; set => Analysis!.ShapeKey = value; }

        /// <summary>Null until read token by token; then whether that succeeded.</summary>
        public bool? Tokenized { get => Analysis!.Tokenized; set => Analysis!.Tokenized = value; }

        /// <summary>False when it applies an operator to vectors other than in <c>a += b;</c> (T has none).</summary>
        public bool CanBeGeneric { get => Analysis!.CanBeGeneric; set => Analysis!.CanBeGeneric = value; }

        /// <summary>The tokens of <c>a += b;</c> statements on vectors: the +=, then the ;.</summary>
        public List<(int Add, int End)> VectorAdds => Analysis!.VectorAdds;
    }

    private readonly struct Token
    {
        public Token(int line, int start, int length, string text, string canonical, bool isInteger)
        {
            Line = line;
            Start = start;
            Length = length;
            Text = text;
            Canonical = canonical;
            IsInteger = isInteger;
        }

        public int Line { get; }

        public int Start { get; }

        public int Length { get; }

        public string Text { get; }

        /// <summary>The text with the width's names mapped; "#" for an integer.</summary>
        public string Canonical { get; }

        public bool IsInteger { get; }
    }

    /// <summary>One pass; false when it found nothing to share.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static bool SharePass(MemberFile file, Dictionary<string, Analysis> analyses)
    {
        var members = new List<Member>();
        foreach (var member in file.Members)
        {
            if (member.Removed)
            {
                continue;
            }

            member.Paired = false;
            if (member.Analysis is null)
            {
                // The text names the member, and so its width.
                var key = member.Text;
                if (!analyses.TryGetValue(key, out var analysis))
                {
                    member.Analysis = analysis = new Analysis();
                    TextKeys(member);
                    analyses.Add(key, analysis);
                }

                member.Analysis = analysis;
            }

            members.Add(member);
        }

        // Members of any two widths with the same text (drivers whose kernels became one generic
        // method): the narrowest one's serves all; the others are left out and renamed to it.
        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        var byText = new Dictionary<string, Member>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!byText.TryGetValue(member.ExactKey, out var kept))
            {
                byText.Add(member.ExactKey, member);
                continue;
            }

            var (keep, drop) = member.Width.Bits < kept.Width.Bits ? (member, kept) : (kept, member);
            byText[member.ExactKey] = keep;
            drop.Paired = true;
            Remove(file, drop);
            renames[drop.Name] = keep.Name;
        }

        // Candidates by the shape of their text (integers aside); only they are read token by token.
        var wide = new Dictionary<string, List<Member>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (member.Width == Wide && !member.Paired)
            {
                if (!wide.TryGetValue(member.ShapeKey, out var list))
                {
                    wide.Add(member.ShapeKey, list = new List<Member>());
                }

                list.Add(member);
            }
        }

        var pairs = new List<(Member Wide, Member Narrow)>();
        foreach (var member in members)
        {
            if (member.Width != Narrow || member.Paired || !wide.TryGetValue(member.ShapeKey, out var candidates))
            {
                continue;
            }

            // The wide method of the same name first (another one of the same structure would do, but
            // then the two drivers that call them would not be twins).
            var stem = GenericName(member.Name, Narrow, declared: null);
            var ordered = new List<Member>(candidates.Count);
            ordered.AddRange(candidates.FindAll(c => GenericName(c.Name, Wide, null) == stem));
            ordered.AddRange(candidates.FindAll(c => GenericName(c.Name, Wide, null) != stem));
            foreach (var candidate in ordered)
            {
                // The integers first: reading tokens is for the few pairs that pass.
                if (!candidate.Paired && IntegersCountVectors(candidate, member) && Tokens(member) && Tokens(candidate) && candidate.Key == member.Key && Twins(candidate, member) &&
                    (candidate.CanBeGeneric && member.CanBeGeneric || !DependsOnWidth(candidate, member)))
                {
                    candidate.Paired = true;
                    member.Paired = true;
                    pairs.Add((candidate, member));
                    break;
                }
            }
        }

        if (pairs.Count == 0 && renames.Count == 0)
        {
            return false;
        }

        // Each wide member is replaced by the generic text (no longer a member), each narrow one left out.
        foreach (var (wideMember, narrowMember) in pairs)
        {
            if (!DependsOnWidth(wideMember, narrowMember))
            {
                // The same text (a driver of kernels both widths share): the narrow one serves both.
                Remove(file, wideMember);
                renames[wideMember.Name] = narrowMember.Name;
                continue;
            }

            var name = GenericName(wideMember.Name, Wide, file.Declared);
            file.Declared.Add(name);
            file.Chunks[wideMember.Chunk] = GenericText(wideMember, narrowMember, name) + (wideMember.HasBlankLine ? "\n" : string.Empty);
            wideMember.Removed = true;
            Remove(file, narrowMember);
            renames[wideMember.Name] = name + Wide.TypeArguments;
            renames[narrowMember.Name] = name + Narrow.TypeArguments;
        }

        // Calls renamed in every chunk; a member whose text changed is read again next pass.
        var identifiers = new GeneratedIdentifiers(renames.Keys);
        var changed = new HashSet<int>();
        for (var c = 0; c < file.Chunks.Count; c++)
        {
            if (file.Chunks[c] is { } chunk)
            {
                var renamed = identifiers.Replace(chunk, identifier => renames.TryGetValue(identifier, out var name) ? Resolve(renames, name) : null);
                if (!ReferenceEquals(renamed, chunk))
                {
                    file.Chunks[c] = renamed;
                    changed.Add(c);
                }
            }
        }

        foreach (var member in members)
        {
            if (!member.Removed && changed.Contains(member.Chunk) && file.Chunks[member.Chunk] is { } chunk)
            {
                member.SetLines(member.HasBlankLine ? chunk.Substring(0, chunk.Length - 1) : chunk);
                member.Analysis = null;
            }
        }

        return true;
    }

    private static void Remove(MemberFile file, Member member)
    {
        file.Chunks[member.Chunk] = null;
        member.Removed = true;
    }

    /// <summary>The end of a chain of renames (a member renamed to one that was itself left out).</summary>
    private static string Resolve(Dictionary<string, string> renames, string name)
    {
        for (var steps = 0; steps < renames.Count && renames.TryGetValue(name, out var next); steps++)
        {
            name = next;
        }

        return name;
    }

    /// <summary>True when the wide member names its width or has an integer the narrow one does not.</summary>
    private static bool DependsOnWidth(Member wide, Member narrow)
    {
        for (var t = 0; t < wide.Tokens.Count; t++)
        {
            if (wide.Tokens[t].Canonical is "\u0002" or "\u0003" or "\u0004" || wide.Tokens[t].Text != narrow.Tokens[t].Text && wide.Tokens[t].Canonical != "\u0001")
            {
                return true;
            }
        }

        return false;
    }

    private static string NameOf(string declaration)
    {
        var start = "\tprivate static void ".Length;
        var end = start;
        while (end < declaration.Length && (char.IsLetterOrDigit(declaration[end]) || declaration[end] == '_'))
        {
            end++;
        }

        return declaration.Substring(start, end - start);
    }

    /// <summary>The member read token by token, once (see <see cref="Tokenize"/>).</summary>
    private static bool Tokens(Member member)
    {
        member.Tokenized ??= Tokenize(member.Lines, member);
        return member.Tokenized.Value;
    }

    /// <summary>
    /// <see cref="Member.ExactKey"/> and, for the two widths that pair, <see cref="Member.ShapeKey"/>:
    /// one scan of the text, no tokens kept (most members are never candidates).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static void TextKeys(Member member)
    {
        var lines = member.Lines;
        var exact = new StringBuilder();
        var shape = member.Width == Widest ? null : new StringBuilder();
        for (var l = member.Declaration; l <= member.End; l++)
        {
            var line = l == member.Declaration ? lines[l].Replace(member.Name + "(", "\u0001(").Replace(member.Name + "<", "\u0001<") : lines[l];
            if (line.TrimStart('\t', ' ').StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            exact.Append(line).Append('\n');
            if (shape is null)
            {
                continue;
            }

            var i = 0;
            while (i < line.Length)
            {
                var c = line[i];
                if (char.IsLetter(c) || c == '_')
                {
                    var start = i;
                    while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '_'))
                    {
                        i++;
                    }

                    // Compared in place: most words are neither (no string made for them).
                    if (Is(line, start, i, member.Width.Tag) || Is(line, start, i, member.Width.Vector))
                    {
                        shape.Append('W');
                    }
                    else if (Is(line, start, i, member.Width.Temp))
                    {
                        shape.Append("tW");
                    }
                    else
                    {
                        shape.Append(line, start, i - start);
                    }
                }
                else if (char.IsDigit(c))
                {
                    var start = i;
                    while (i < line.Length && char.IsDigit(line[i]))
                    {
                        i++;
                    }

                    shape.Append('#');
                    member.Analysis!.Integers.Add(line.Substring(start, i - start));
                }
                else
                {
                    shape.Append(c);
                    i++;
                }
            }

            shape.Append('\n');
        }

        member.ExactKey = exact.ToString();
        member.ShapeKey = shape?.ToString() ?? string.Empty;
    }

    private static readonly string[] Characters = CreateCharacters();

    private static string[] CreateCharacters()
    {
        var characters = new string[128];
        for (var c = 0; c < characters.Length; c++)
        {
            characters[c] = ((char)c).ToString();
        }

        return characters;
    }

    /// <summary>A one-character token as a shared string (punctuation repeats thousands of times).</summary>
    private static string OneCharacter(char c) => c < 128 ? Characters[c] : c.ToString();

    /// <summary>The two-character operator starting with <paramref name="a"/>, <paramref name="b"/>, or null.</summary>
    private static string? TwoCharacterOperator(char a, char b) => (a, b) switch
    {
        (':', ':') => "::",
        ('+', '=') => "+=",
        ('-', '=') => "-=",
        ('*', '=') => "*=",
        ('/', '=') => "/=",
        ('=', '=') => "==",
        ('!', '=') => "!=",
        ('<', '=') => "<=",
        ('>', '=') => ">=",
        ('&', '&') => "&&",
        ('|', '|') => "||",
        ('+', '+') => "++",
        ('-', '-') => "--",
        ('=', '>') => "=>",
        ('?', '?') => "??",
        _ => null,
    };

    /// <summary>True when <paramref name="line"/> from <paramref name="start"/> to <paramref name="end"/> is <paramref name="word"/>.</summary>
    private static bool Is(string line, int start, int end, string word) =>
        end - start == word.Length && string.CompareOrdinal(line, start, word, 0, word.Length) == 0;

    /// <summary>
    /// Reads the member's tokens (comment and attribute lines aside) into <see cref="Member.Tokens"/>
    /// and its key; false when it has something a generic method cannot say.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static bool Tokenize(string[] lines, Member member)
    {
        var width = member.Width;
        var key = new StringBuilder();
        // About one token per 3 characters of a kernel's text: sized once, not grown (growing took a sixth of this pass).
        var raw = new List<(int Line, int Start, int Length, string Text, bool IsInteger, bool IsNumber)>(member.Text.Length / 3);
        for (var l = member.Declaration; l <= member.End; l++)
        {
            var line = lines[l];
            var indent = 0;
            while (indent < line.Length && line[indent] is '\t' or ' ')
            {
                indent++;
            }

            if (indent + 1 < line.Length && line[indent] == '/' && line[indent + 1] == '/')
            {
                continue;
            }

            var i = 0;
            while (i < line.Length)
            {
                var c = line[i];
                if (c == ' ' || c == '\t')
                {
                    i++;
                    continue;
                }

                if (c == '"' || c == '\'' || c == '/' && i + 1 < line.Length && line[i + 1] == '/')
                {
                    return false;
                }

                var start = i;
                if (char.IsLetter(c) || c == '_')
                {
                    while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '_'))
                    {
                        i++;
                    }

                    raw.Add((l - member.Declaration, start, i - start, line.Substring(start, i - start), false, false));
                }
                else if (char.IsDigit(c))
                {
                    while (i < line.Length && char.IsDigit(line[i]))
                    {
                        i++;
                    }

                    var isInteger = i == line.Length || !(char.IsLetterOrDigit(line[i]) || line[i] == '.' || line[i] == '_');
                    while (i < line.Length && (char.IsLetterOrDigit(line[i]) || line[i] == '.' ||
                        (line[i] == '-' || line[i] == '+') && (line[i - 1] == 'e' || line[i - 1] == 'E')))
                    {
                        i++;
                    }

                    raw.Add((l - member.Declaration, start, i - start, line.Substring(start, i - start), isInteger, true));
                }
                else
                {
                    var two = i + 1 < line.Length ? TwoCharacterOperator(line[i], line[i + 1]) : null;
                    i += two is null ? 1 : 2;
                    raw.Add((l - member.Declaration, start, i - start, two ?? OneCharacter(c), false, false));
                }
            }
        }

        member.Tokens.Capacity = raw.Count;
        for (var t = 0; t < raw.Count; t++)
        {
            var (line, start, length, text, isInteger, isNumber) = raw[t];
            string canonical;
            if (text == member.Name)
            {
                canonical = "\u0001";
            }
            else if (text == width.Tag && t >= 2 && raw[t - 1].Text == "::" && raw[t - 2].Text == "K")
            {
                // K::V256.Load: only the interface's members; or the type argument of a generic method (<K::V256, ...>).
                var typeArgument = t >= 3 && raw[t - 3].Text == "<" && t + 1 < raw.Count && raw[t + 1].Text == ",";
                if (!typeArgument && (t + 2 >= raw.Count || raw[t + 1].Text != "." || !InterfaceMembers.Contains(raw[t + 2].Text)))
                {
                    return false;
                }

                canonical = "\u0002";
            }
            else if (text == width.Vector && t >= 2 && raw[t - 1].Text == "::" && raw[t - 2].Text == "Simd")
            {
                // Simd::Vector256<float>, the type; never the static class's methods.
                if (t + 3 >= raw.Count || raw[t + 1].Text != "<" || raw[t + 2].Text != "float" || raw[t + 3].Text != ">")
                {
                    return false;
                }

                canonical = "\u0003";
            }
            else if (text == width.Temp)
            {
                canonical = "\u0004";
            }
            else if (isInteger)
            {
                canonical = "#";
            }
            else
            {
                if (isNumber && t > 0 && raw[t - 1].Text is "*" or "/" or "+" or "-" or "*=" or "/=" or "+=" or "-=")
                {
                    // A float constant in an operator: a vector times a float has no generic form.
                    return false;
                }

                canonical = text;
            }

            member.Tokens.Add(new Token(line, start, length, text, canonical, isInteger));
            key.Append(canonical).Append(' ');
        }

        member.Key = key.ToString();
        FindVectorOperators(member);
        return true;
    }

    /// <summary>
    /// Sets <see cref="Member.CanBeGeneric"/> and <see cref="Member.VectorAdds"/>: the vector
    /// variables are those declared with the vector type or as <c>var x = </c> a helper call, and
    /// an operator with one beside it, or after a helper call, works on vectors.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static void FindVectorOperators(Member member)
    {
        var tokens = member.Tokens;
        var vectors = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t + 2 < tokens.Count; t++)
        {
            if (tokens[t].Text == "K" && tokens[t + 1].Text == "::" && tokens[t + 2].Canonical != "\u0002" && !WidthIndependentClasses.Contains(tokens[t + 2].Text))
            {
                // Another class of the runtime's kernels (K::InferenceActivations.HardSwish): one overload per vector type.
                member.CanBeGeneric = false;
                return;
            }
        }

        for (var t = 0; t < tokens.Count; t++)
        {
            if (tokens[t].Canonical == "\u0003" && t + 4 < tokens.Count && t >= 3 && tokens[t - 3].Text is "(" or ",")
            {
                // A parameter: (ref float y, Simd::Vector256<float> f0, ...).
                vectors.Add(tokens[t + 4].Text);
            }
            else if (tokens[t].Canonical == "\u0003" && t + 4 < tokens.Count && (t < 3 || tokens[t - 3].Text is ";" or "{" or "}"))
            {
                // Simd::Vector256<float> a, b = c, d;
                var depth = 0;
                var expectName = true;
                for (var u = t + 4; u < tokens.Count && !(depth == 0 && tokens[u].Text == ";"); u++)
                {
                    var text = tokens[u].Text;
                    depth += text is "(" ? 1 : text is ")" ? -1 : 0;
                    if (expectName && depth == 0)
                    {
                        vectors.Add(text);
                        expectName = false;
                    }
                    else if (depth == 0 && text == ",")
                    {
                        expectName = true;
                    }
                }
            }
            else if (tokens[t].Text == "var" && t + 2 < tokens.Count && tokens[t + 2].Text == "=")
            {
                for (var u = t + 3; u < tokens.Count && tokens[u].Text != ";"; u++)
                {
                    if (tokens[u].Canonical == "\u0002")
                    {
                        vectors.Add(tokens[t + 1].Text);
                        break;
                    }
                }
            }
        }

        for (var t = 1; t + 1 < tokens.Count; t++)
        {
            var op = tokens[t].Text;
            // (No vector type has < or >; those are the generic brackets of Simd::Vector256<float>.)
            if (op is not ("+" or "-" or "*" or "/" or "+=" or "-=" or "*=" or "/=" or "==" or "!="))
            {
                continue;
            }

            var before = tokens[t - 1];
            var after = tokens[t + 1];
            var onVectors = vectors.Contains(before.Text) || vectors.Contains(after.Text) || after.Text == "K" && t + 3 < tokens.Count && tokens[t + 3].Canonical == "\u0002" ||
                before.Text == ")" && ClosesHelperCall(tokens, t - 1);
            if (!onVectors)
            {
                continue;
            }

            // a += b; alone on its line: written a = V.Add(a, b);.
            var end = t + 1;
            while (end < tokens.Count && tokens[end].Line == tokens[t].Line && tokens[end].Text != ";")
            {
                end++;
            }

            var statement = op == "+=" && vectors.Contains(before.Text) && (t < 2 || tokens[t - 2].Line != tokens[t].Line) &&
                end < tokens.Count && tokens[end].Text == ";" && (end + 1 == tokens.Count || tokens[end + 1].Line != tokens[t].Line);
            if (!statement)
            {
                member.CanBeGeneric = false;
                return;
            }

            member.VectorAdds.Add((t, end));
        }
    }

    /// <summary>True when the ) at <paramref name="close"/> ends a call of the width's helpers (K::V256.Load(...)).</summary>
    private static bool ClosesHelperCall(List<Token> tokens, int close)
    {
        var depth = 0;
        for (var t = close; t >= 0; t--)
        {
            depth += tokens[t].Text is ")" ? 1 : tokens[t].Text is "(" ? -1 : 0;
            if (depth == 0)
            {
                return t >= 3 && tokens[t - 2].Text == "." && tokens[t - 3].Canonical == "\u0002";
            }
        }

        return false;
    }

    /// <summary>True when every integer of the two members that differs counts vectors (see the class summary).</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static bool Twins(Member wide, Member narrow)
    {
        var lines = wide.Lines;
        for (var t = 0; t < wide.Tokens.Count; t++)
        {
            var a = wide.Tokens[t];
            var b = narrow.Tokens[t];
            if (!a.IsInteger || a.Text == b.Text)
            {
                continue;
            }

            if (Affine(a.Text, b.Text) is null)
            {
                return false;
            }

            // Where C# needs a constant.
            var line = lines[wide.Declaration + a.Line];
            if (line.Contains("stackalloc") || line.Contains("case ") || line.Contains("const "))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when each integer of the two members' texts is the same or counts vectors (<see cref="Affine"/>).</summary>
    private static bool IntegersCountVectors(Member wide, Member narrow)
    {
        var a = wide.Analysis!.Integers;
        var b = narrow.Analysis!.Integers;
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i] && Affine(a[i], b[i]) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>(p, q) with wide = p + q * 8 and narrow = p + q * 4, q &gt; 0 and p &gt;= 0; null when there is none.</summary>
    private static (long P, long Q)? Affine(string wideText, string narrowText)
    {
        if (!long.TryParse(wideText, NumberStyles.None, CultureInfo.InvariantCulture, out var a) ||
            !long.TryParse(narrowText, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
        {
            return null;
        }

        var difference = a - b;
        var step = Wide.Lanes - Narrow.Lanes;
        if (difference <= 0 || difference % step != 0)
        {
            return null;
        }

        var q = difference / step;
        var p = a - q * Wide.Lanes;
        return p < 0 ? null : (p, q);
    }

    /// <summary>Conv2d2ForwardV256_Row5_8x2 -> Conv2d2ForwardVx_Row5_x2, unique among <paramref name="declared"/> (when given).</summary>
    private static string GenericName(string wideName, Width width, HashSet<string>? declared)
    {
        var at = wideName.IndexOf(width.Tag + "_", StringComparison.Ordinal);
        if (at < 0)
        {
            at = wideName.Length - width.Tag.Length;
        }

        var suffix = wideName.Substring(at + width.Tag.Length);
        var parts = suffix.Split('_');
        for (var i = 0; i < parts.Length; i++)
        {
            // The channel vectors: "8x2" (two vectors of 8 floats) is "x2" (two vectors of the width).
            var x = parts[i].IndexOf('x');
            if (x > 0 && i == parts.Length - 1 && IsDigits(parts[i].Substring(0, x)) && IsDigits(parts[i].Substring(x + 1)))
            {
                parts[i] = parts[i].Substring(x);
            }
        }

        var name = wideName.Substring(0, at) + Tag + string.Join("_", parts);
        var unique = name;
        for (var n = 2; declared is not null && declared.Contains(unique); n++)
        {
            unique = name + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return unique;
    }

    private static bool IsDigits(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The wide member rewritten: generic name and constraints, V and T, vector-counting integers.</summary>
    [System.Runtime.CompilerServices.MethodImpl(GeneratorJit.Optimized)]
    private static string GenericText(Member wide, Member narrow, string name)
    {
        var lines = wide.Lines;
        var usesPlainTemp = false;
        foreach (var token in wide.Tokens)
        {
            usesPlainTemp |= token.Text == "t";
        }

        // Replacements by line: (start, length, text).
        var edits = new Dictionary<int, List<(int Start, int Length, string Text)>>();
        void Edit(int line, int start, int length, string text)
        {
            line += wide.Declaration;
            if (!edits.TryGetValue(line, out var list))
            {
                edits.Add(line, list = new List<(int, int, string)>());
            }

            list.Add((start, length, text));
        }

        for (var t = 0; t < wide.Tokens.Count; t++)
        {
            var token = wide.Tokens[t];
            switch (token.Canonical)
            {
                case "\u0001":
                    Edit(token.Line, token.Start, token.Length, name + "<" + Operations + ", " + VectorType + ">");
                    break;
                case "\u0002":
                    // K::V256 -> V: the K and :: before it go too.
                    var k = wide.Tokens[t - 2];
                    Edit(k.Line, k.Start, token.Start + token.Length - k.Start, Operations);
                    break;
                case "\u0003":
                    // Simd::Vector256<float> -> T.
                    var simd = wide.Tokens[t - 2];
                    var close = wide.Tokens[t + 3];
                    Edit(simd.Line, simd.Start, close.Start + close.Length - simd.Start, VectorType);
                    break;
                case "\u0004":
                    if (!usesPlainTemp)
                    {
                        Edit(token.Line, token.Start, token.Length, "t");
                    }

                    break;
                case "#":
                    var other = narrow.Tokens[t].Text;
                    if (other != token.Text)
                    {
                        var (p, q) = Affine(token.Text, other)!.Value;
                        var previous = t > 0 ? wide.Tokens[t - 1].Text : string.Empty;
                        var next = t + 1 < wide.Tokens.Count ? wide.Tokens[t + 1].Text : string.Empty;
                        Edit(token.Line, token.Start, token.Length, Expression(p, q, previous, next));
                    }

                    break;
            }
        }

        foreach (var (add, end) in wide.VectorAdds)
        {
            // a += b; -> a = V.Add(a, b);
            var plus = wide.Tokens[add];
            Edit(plus.Line, plus.Start, plus.Length, "= " + Operations + ".Add(" + wide.Tokens[add - 1].Text + ",");
            var semicolon = wide.Tokens[end];
            Edit(semicolon.Line, semicolon.Start, semicolon.Length, ");");
        }

        var builder = new StringBuilder();
        var narrowComments = new List<string>();
        for (var l = narrow.First; l < narrow.Declaration; l++)
        {
            if (narrow.Lines[l].StartsWith("\t//", StringComparison.Ordinal))
            {
                narrowComments.Add(narrow.Lines[l]);
            }
        }

        var comment = 0;
        for (var l = wide.First; l <= wide.End; l++)
        {
            var line = lines[l];
            if (l < wide.Declaration && line.StartsWith("\t//", StringComparison.Ordinal))
            {
                line = MergedComment(line, comment < narrowComments.Count ? narrowComments[comment] : null);
                comment++;
            }
            else if (l > wide.Declaration && line.TrimStart('\t').StartsWith("//", StringComparison.Ordinal))
            {
                // A comment in the body: the narrow one's is on the same line after the declaration.
                var other = narrow.Declaration + (l - wide.Declaration);
                line = MergedComment(line, narrow.End - narrow.Declaration == wide.End - wide.Declaration ? narrow.Lines[other] : null);
            }
            else if (edits.TryGetValue(l, out var list))
            {
                list.Sort((x, y) => y.Start.CompareTo(x.Start));
                foreach (var (start, length, text) in list)
                {
                    line = line.Substring(0, start) + text + line.Substring(start + length);
                }
            }

            builder.Append(line);
            if (l == wide.Declaration)
            {
                builder.Append('\n').Append("\t\t").Append(Constraints);
            }

            if (l < wide.End)
            {
                builder.Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>p + q * V.Count, in parentheses unless its neighbours bind no tighter than +.</summary>
    private static string Expression(long p, long q, string previous, string next)
    {
        var count = Operations + ".Count";
        var product = q == 1 ? count : q.ToString(CultureInfo.InvariantCulture) + " * " + count;
        if (p == 0)
        {
            return q == 1 || !(previous is "/" or "%" || next is "/" or "%") ? product : "(" + product + ")";
        }

        var sum = p.ToString(CultureInfo.InvariantCulture) + " + " + product;
        var loose = previous is "(" or "," or "=" or "+=" or "+" or "<" or "<=" or ">" or ">=" or "==" or "!=" or "return" or "?" or ":" or "[";
        var looseAfter = next is ")" or "," or ";" or "+" or "-" or "<" or ">" or "<=" or ">=" or "]" or "?" or ":";
        return loose && looseAfter ? sum : "(" + sum + ")";
    }

    /// <summary>
    /// The wide comment, its numbers that differ from the narrow one's written "8 or 4" (the
    /// 256-bit value, then the 128-bit one); the wide comment alone when the two differ in words.
    /// </summary>
    private static string MergedComment(string wide, string? narrow)
    {
        if (narrow is null || narrow == wide)
        {
            return wide;
        }

        var a = wide.Split(' ');
        var b = narrow.Split(' ');
        if (a.Length != b.Length)
        {
            return wide;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            var (prefixA, numberA, restA) = LeadingNumber(a[i]);
            var (prefixB, numberB, restB) = LeadingNumber(b[i]);
            if (numberA.Length == 0 || numberB.Length == 0 || prefixA != prefixB || restA != restB)
            {
                return wide;
            }

            a[i] = prefixA + numberA + " or " + numberB + restA;
        }

        return string.Join(" ", a);
    }

    /// <summary>A word as what comes before its first number ("channel][" of "channel][16"), the number, and the rest.</summary>
    private static (string Prefix, string Number, string Remainder) LeadingNumber(string word)
    {
        var start = 0;
        while (start < word.Length && !char.IsDigit(word[start]))
        {
            start++;
        }

        var end = start;
        while (end < word.Length && char.IsDigit(word[end]))
        {
            end++;
        }

        return (word.Substring(0, start), word.Substring(start, end - start), word.Substring(end));
    }
}
