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
        "Zero", "Load", "Store", "AddTo", "Splat", "Add", "Fma", "Max", "Relu", "Relu6",
    };

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
    public static string Share(string code)
    {
        for (var pass = 0; pass < 4; pass++)
        {
            var next = SharePass(code);
            if (next is null)
            {
                break;
            }

            code = next;
        }

        return code;
    }

    private sealed class Member
    {
        public int First;
        public int Declaration;
        public int End;
        public string Name = "";
        public Width Width = Wide;
        public List<Token> Tokens = new();
        public string Key = "";

        /// <summary>The text of the tokens, the member's own name aside.</summary>
        public string ExactKey = "";
        public bool Paired;

        /// <summary>False when it applies an operator to vectors other than in <c>a += b;</c> (T has none).</summary>
        public bool CanBeGeneric = true;

        /// <summary>The tokens of <c>a += b;</c> statements on vectors: the +=, then the ;.</summary>
        public List<(int Add, int End)> VectorAdds = new();
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

    /// <summary>One pass; null when it found no twins.</summary>
    private static string? SharePass(string code)
    {
        var lines = code.Split('\n');
        var members = new List<Member>();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var overloaded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.StartsWith("\tprivate static void ", StringComparison.Ordinal) && !declared.Add(NameOf(line)))
            {
                overloaded.Add(NameOf(line));
            }
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("\tprivate static void ", StringComparison.Ordinal))
            {
                continue;
            }

            // An overloaded name (a kernel and its one-sample form) is renamed nowhere: calls could not tell them apart.
            var name = NameOf(lines[i]);
            if (overloaded.Contains(name))
            {
                continue;
            }

            var width = Tagged(name, Wide) ? Wide : Tagged(name, Narrow) ? Narrow : Tagged(name, Widest) ? Widest : null;
            var end = i + 1;
            while (end < lines.Length && lines[end] != "\t}")
            {
                end++;
            }

            if (width is null || end == lines.Length)
            {
                i = end;
                continue;
            }

            var first = i;
            while (first > 0 && (lines[first - 1].StartsWith("\t//", StringComparison.Ordinal) || lines[first - 1].StartsWith("\t[", StringComparison.Ordinal)))
            {
                first--;
            }

            var member = new Member { First = first, Declaration = i, End = end, Name = name, Width = width };
            if (Tokenize(lines, member))
            {
                members.Add(member);
            }

            i = end;
        }

        // Members of any two widths with the same text (drivers whose kernels became one generic
        // method): the narrowest one's serves all; the others are left out and renamed to it.
        var replaced = new Dictionary<int, (int End, string Text)>();
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
            replaced[drop.First] = (SkipEnd(drop, lines), string.Empty);
            renames[drop.Name] = keep.Name;
        }

        var wide = new Dictionary<string, List<Member>>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (member.Width == Wide && !member.Paired)
            {
                if (!wide.TryGetValue(member.Key, out var list))
                {
                    wide.Add(member.Key, list = new List<Member>());
                }

                list.Add(member);
            }
        }

        var pairs = new List<(Member Wide, Member Narrow)>();
        foreach (var member in members)
        {
            if (member.Width != Narrow || member.Paired || !wide.TryGetValue(member.Key, out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                if (!candidate.Paired && Twins(candidate, member, lines) && (candidate.CanBeGeneric && member.CanBeGeneric || !DependsOnWidth(candidate, member)))
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
            return null;
        }

        // Each wide member is replaced by the generic text, each narrow one left out; then calls are renamed.
        foreach (var (wideMember, narrowMember) in pairs)
        {
            if (!DependsOnWidth(wideMember, narrowMember))
            {
                // The same text (a driver of kernels both widths share): the narrow one serves both.
                replaced[wideMember.First] = (SkipEnd(wideMember, lines), string.Empty);
                renames[wideMember.Name] = narrowMember.Name;
                continue;
            }

            var name = GenericName(wideMember.Name, declared);
            declared.Add(name);
            replaced[wideMember.First] = (wideMember.End, GenericText(wideMember, narrowMember, lines, name));
            replaced[narrowMember.First] = (SkipEnd(narrowMember, lines), string.Empty);
            renames[wideMember.Name] = name + Wide.TypeArguments;
            renames[narrowMember.Name] = name + Narrow.TypeArguments;
        }

        var builder = new StringBuilder(code.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (replaced.TryGetValue(i, out var replacement))
            {
                if (replacement.Text.Length > 0)
                {
                    builder.Append(replacement.Text).Append('\n');
                }

                i = replacement.End;
                continue;
            }

            builder.Append(lines[i]);
            if (i < lines.Length - 1)
            {
                builder.Append('\n');
            }
        }

        return new GeneratedIdentifiers(renames.Keys).Replace(builder.ToString(), identifier => renames.TryGetValue(identifier, out var name) ? Resolve(renames, name) : null);
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

    /// <summary>The last line to leave out with a member: its closing brace, or the blank line after it.</summary>
    private static int SkipEnd(Member member, string[] lines) =>
        member.End + 1 < lines.Length && lines[member.End + 1].Length == 0 ? member.End + 1 : member.End;

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

    /// <summary>
    /// Reads the member's tokens (comment and attribute lines aside) into <see cref="Member.Tokens"/>
    /// and its key; false when it has something a generic method cannot say.
    /// </summary>
    private static bool Tokenize(string[] lines, Member member)
    {
        var width = member.Width;
        var key = new StringBuilder();
        var exact = new StringBuilder();
        var raw = new List<(int Line, int Start, int Length, string Text, bool IsInteger, bool IsNumber)>();
        for (var l = member.Declaration; l <= member.End; l++)
        {
            var line = lines[l];
            var trimmed = line.TrimStart('\t', ' ');
            if (trimmed.StartsWith("//", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal) && l < member.Declaration)
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

                    raw.Add((l, start, i - start, line.Substring(start, i - start), false, false));
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

                    raw.Add((l, start, i - start, line.Substring(start, i - start), isInteger, true));
                }
                else
                {
                    var two = i + 1 < line.Length ? line.Substring(i, 2) : string.Empty;
                    i += two is "::" or "+=" or "-=" or "*=" or "/=" or "==" or "!=" or "<=" or ">=" or "&&" or "||" or "++" or "--" or "=>" or "??" ? 2 : 1;
                    raw.Add((l, start, i - start, line.Substring(start, i - start), false, false));
                }
            }
        }

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
            exact.Append(canonical == "\u0001" ? canonical : text).Append(' ');
        }

        member.Key = key.ToString();
        member.ExactKey = exact.ToString();
        FindVectorOperators(member);
        return true;
    }

    /// <summary>
    /// Sets <see cref="Member.CanBeGeneric"/> and <see cref="Member.VectorAdds"/>: the vector
    /// variables are those declared with the vector type or as <c>var x = </c> a helper call, and
    /// an operator with one beside it, or after a helper call, works on vectors.
    /// </summary>
    private static void FindVectorOperators(Member member)
    {
        var tokens = member.Tokens;
        var vectors = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; t + 2 < tokens.Count; t++)
        {
            if (tokens[t].Text == "K" && tokens[t + 1].Text == "::" && tokens[t + 2].Canonical != "\u0002")
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
    private static bool Twins(Member wide, Member narrow, string[] lines)
    {
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
            var line = lines[a.Line];
            if (line.Contains("stackalloc") || line.Contains("case ") || line.Contains("const "))
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

    /// <summary>Conv2d2ForwardV256_Row5_8x2 -> Conv2d2ForwardVx_Row5_x2, unique among <paramref name="declared"/>.</summary>
    private static string GenericName(string wideName, HashSet<string> declared)
    {
        var at = wideName.IndexOf(Wide.Tag + "_", StringComparison.Ordinal);
        if (at < 0)
        {
            at = wideName.Length - Wide.Tag.Length;
        }

        var suffix = wideName.Substring(at + Wide.Tag.Length);
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
        for (var n = 2; declared.Contains(unique); n++)
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
    private static string GenericText(Member wide, Member narrow, string[] lines, string name)
    {
        var usesPlainTemp = false;
        foreach (var token in wide.Tokens)
        {
            usesPlainTemp |= token.Text == "t";
        }

        // Replacements by line: (start, length, text).
        var edits = new Dictionary<int, List<(int Start, int Length, string Text)>>();
        void Edit(int line, int start, int length, string text)
        {
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
            if (lines[l].StartsWith("\t//", StringComparison.Ordinal))
            {
                narrowComments.Add(lines[l]);
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

            var (numberA, restA) = LeadingNumber(a[i]);
            var (numberB, restB) = LeadingNumber(b[i]);
            if (numberA.Length == 0 || numberB.Length == 0 || restA != restB)
            {
                return wide;
            }

            a[i] = numberA + " or " + numberB + restA;
        }

        return string.Join(" ", a);
    }

    private static (string Number, string Remainder) LeadingNumber(string word)
    {
        var end = 0;
        while (end < word.Length && char.IsDigit(word[end]))
        {
            end++;
        }

        return (word.Substring(0, end), word.Substring(end));
    }
}
