namespace CnnGen.Generators.Tests.Dsl;

using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using CnnGen.Generators.Dsl;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;

/// <summary>
/// 100,000+ generated inputs through the parser and shape inference: random tokens, mutations
/// of valid files (a graph among them: mutations rename, drop and reorder what layers read, so
/// unknown names, later layers and cycles are attempted), deep nesting and 1 MB lines. None may throw, overflow the stack or take long.
/// Deterministic: the same seed gives the same inputs on every run.
/// </summary>
/// <remarks>
/// Time is the work done: an input over the bound in wall-clock time is run again and judged
/// by the processor time it takes, which other processes on a shared machine do not inflate
/// (the collection runs alone, so the process's time is the fuzz's). A quadratic path fails
/// either way.
/// </remarks>
[Collection(nameof(DslFuzzCollection))]
public class DslFuzzTests
{
    private const int Seed = 20_240_601;
    private const int RandomTokenInputs = 50_000;
    private const int MutatedInputs = 50_000;
    private static readonly TimeSpan MaxPerInput = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxTotal = TimeSpan.FromSeconds(60);

    private static readonly string[] ValidFiles =
    {
        DslGeneratorTests.DigitsCnn,
        """
        namespace Examples.Signals;
        network SignalNet(input: 64x2, format: channels_last, output: 4) {
            conv1d(8, 5, stride: 1, dilation: 2, padding: causal, activation: leaky_relu, name: causal_conv)
            max_pool1d(2, stride: 2, padding: same); conv1d(16, kernel: 3, use_bias: false, activation: elu)
            avg_pool1d(pool: 2), global_avg_pool() dense(4, activation: sigmoid)
            activation(tanh)
        }
        network Head(input: SignalNet) { dense(2, name: "head") }
        """,
        """
        # images, channels first
        network Images(input: 3x17x15, format: channels_first) {
            conv2d(6, 3x5, strides: 2x1, dilations: 1x2, padding: same, activation: silu)
            avg_pool2d(2x1, strides: 1x1)
            max_pool2d(2, padding: same)
            conv2d(4, kernel: 1, use_bias: false, name: pointwise)
            global_max_pool()
            activation(softmax)
        }
        namespace Other
        network Tail(input: Images) { dense(3) dense(1, activation: relu) }
        network Loop(input: Loop) { flatten() }
        """,
        """
        # a graph: skip connections, a gate, a fire module
        network Graph(input: 8x8x4) {
            conv2d(4, 3, padding: same, activation: relu, name: stem)
            conv2d(4, 3, padding: same)
            add(conv2d_2, stem, input, activation: relu)
            global_avg_pool()
            dense(4, activation: sigmoid)
            multiply(add_1, dense_1)
            conv2d(2, 1, from: multiply_1, name: e1)
            conv2d(2, 3, padding: same, from: "multiply_1")
            concatenate(e1, conv2d_4, add_1)
        }
        """,
    };

    private static readonly string[] Vocabulary =
    {
        "network", "namespace", "conv1d", "conv2d", "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "global_max_pool",
        "global_avg_pool", "flatten", "dense", "activation", "add", "multiply", "concatenate", "from", "from:", "inputs", "conv2d_1",
        "stem", "add_1", "filters", "units", "kernel", "pool", "stride", "strides", "dilation",
        "dilations", "padding", "use_bias", "name", "input", "format", "output", "valid", "same", "causal", "relu", "softmax",
        "leaky_relu", "channels_first", "channels_last", "true", "false", "Net", "Examples.Net", "class", "x", "_", "a.b.c",
        "(", ")", "{", "}", ",", ";", ":", ".", "-", "=", "0", "1", "3", "8", "3x3", "3x5", "28x28x1", "1x1x1x1", "-1",
        "2147483647", "2147483648", "99999999999999999999", "3a", "3x", "\"conv_a\"", "\"unterminated", "\"\"", "// note\n",
        "# note\n", "\n", "\r\n", "\r", " ", "\t", "@", "$", "é", "\u0000", "\uFEFF", "\u2028", "\uD800", "/",
    };

    private static readonly string Palette = "abcxyz019_(){},;:.-=\"#/ \n\r\t@é\u0000\u2029\uFFFF\uD83D";

    [Fact]
    public void ParsingAndCheckingNeverThrowsAndStaysFast()
    {
        // A small stack: any recursion that grows with the input would overflow it.
        (int Count, TimeSpan Worst, string WorstInput, TimeSpan Total) outcome = default;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                outcome = Run();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }, maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        failure?.Throw();

        Assert.True(outcome.Count >= 100_000, $"only {outcome.Count} inputs");
        Assert.True(outcome.Worst < MaxPerInput, $"{outcome.WorstInput} took {outcome.Worst.TotalMilliseconds:F0} ms");
        Assert.True(outcome.Total < MaxTotal, $"the fuzz took {outcome.Total.TotalSeconds:F1} s");
    }

    private static (int, TimeSpan, string, TimeSpan) Run()
    {
        var random = new Random(Seed);
        var count = 0;
        var worst = TimeSpan.Zero;
        var worstInput = string.Empty;
        var total = ProcessorTime();
        foreach (var (label, text) in Inputs(random))
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                Check(text, checkDeterminism: count % 50 == 0);
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException($"Input #{count} ({label}) failed: {Show(text)}", exception);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > MaxPerInput)
            {
                var before = ProcessorTime();
                Check(text, checkDeterminism: false);
                elapsed = ProcessorTime() - before;
            }
            if (elapsed > worst)
            {
                worst = elapsed;
                worstInput = $"#{count} ({label})";
            }

            count++;
        }

        return (count, worst, worstInput, ProcessorTime() - total);
    }

    private static TimeSpan ProcessorTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Parses and checks one input, and asserts what must hold for every input.</summary>
    private static void Check(string text, bool checkDeterminism)
    {
        const string path = "fuzz.cnn";
        var file = DslFile.Parse(path, text);
        var analyses = NetworkCompiler.AnalyzeAll(NetworkCatalog.Create(ImmutableArray<NetworkSpec>.Empty, ImmutableArray.Create(file.Networks)));
        foreach (var diagnostic in file.Diagnostics.Concat(analyses.SelectMany(a => a.Diagnostics)))
        {
            var location = diagnostic.Location ?? throw new InvalidOperationException(diagnostic.Descriptor.Id + " has no location");
            if (location.FilePath != path || location.TextSpan.Start < 0 || location.TextSpan.End > text.Length)
            {
                throw new InvalidOperationException($"{diagnostic.Descriptor.Id} lies outside the text: {location.TextSpan}");
            }

            if (diagnostic.Message.Length == 0)
            {
                throw new InvalidOperationException(diagnostic.Descriptor.Id + " has no message");
            }
        }

        for (var i = 0; i < file.Networks.Count; i++)
        {
            if (!file.Networks[i].ParseDiagnostics.IsEmpty && analyses[i].Model.IsValid)
            {
                throw new InvalidOperationException($"'{file.Networks[i].ClassName}' has syntax errors but was generated");
            }
        }

        if (checkDeterminism && !DslFile.Parse(path, text).Equals(file))
        {
            throw new InvalidOperationException("Parsing the same text twice gave different results");
        }
    }

    private static IEnumerable<(string Label, string Text)> Inputs(Random random)
    {
        for (var i = 0; i < RandomTokenInputs; i++)
        {
            yield return ("random tokens", RandomTokens(random));
        }

        for (var i = 0; i < MutatedInputs; i++)
        {
            var text = ValidFiles[random.Next(ValidFiles.Length)];
            var operations = random.Next(1, 5);
            var label = new StringBuilder("mutated:");
            for (var j = 0; j < operations; j++)
            {
                (var name, text) = Mutate(random, text);
                label.Append(' ').Append(name);
            }

            yield return (label.ToString(), text);
        }

        // Last, so that they time the compiled code rather than the JIT's first pass.
        foreach (var special in Extremes())
        {
            yield return special;
        }
    }

    private static string RandomTokens(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(1, 80);
        for (var i = 0; i < length; i++)
        {
            text.Append(Vocabulary[random.Next(Vocabulary.Length)]);
            text.Append(random.Next(4) switch { 0 => string.Empty, 1 => "\n", _ => " " });
        }

        return text.ToString();
    }

    private static (string, string) Mutate(Random random, string text)
    {
        if (text.Length == 0)
        {
            return ("grow", Vocabulary[random.Next(Vocabulary.Length)]);
        }

        int Position() => random.Next(text.Length + 1);
        (int Start, int Length) Range()
        {
            var start = random.Next(text.Length);
            return (start, random.Next(Math.Min(text.Length - start, 80) + 1));
        }

        switch (random.Next(8))
        {
            case 0:
                return ("cut", text.Substring(0, Position()));
            case 1:
            {
                var (start, length) = Range();
                return ("delete", text.Remove(start, length));
            }

            case 2:
            {
                var (start, length) = Range();
                return ("duplicate", text.Insert(Position(), text.Substring(start, length)));
            }

            case 3:
            {
                var a = Range();
                var b = Range();
                if (a.Start > b.Start)
                {
                    (a, b) = (b, a);
                }

                if (a.Start + a.Length > b.Start)
                {
                    return ("swap (overlap)", text);
                }

                return ("swap", text.Substring(0, a.Start) + text.Substring(b.Start, b.Length) +
                    text.Substring(a.Start + a.Length, b.Start - a.Start - a.Length) + text.Substring(a.Start, a.Length) +
                    text.Substring(b.Start + b.Length));
            }

            case 4:
            {
                var chars = text.ToCharArray();
                var flips = random.Next(1, 6);
                for (var i = 0; i < flips; i++)
                {
                    chars[random.Next(chars.Length)] = Palette[random.Next(Palette.Length)];
                }

                return ("flip", new string(chars));
            }

            case 5:
                return ("insert", text.Insert(Position(), Vocabulary[random.Next(Vocabulary.Length)]));

            case 6:
            {
                // A number becomes huge, zero or negative.
                var digits = Enumerable.Range(0, text.Length).Where(i => char.IsAsciiDigit(text[i])).ToList();
                if (digits.Count == 0)
                {
                    return ("number (none)", text);
                }

                var at = digits[random.Next(digits.Count)];
                var replacement = random.Next(5) switch
                {
                    0 => "99999999999999999999999",
                    1 => "2147483647",
                    2 => "0",
                    3 => "-7",
                    _ => "65536x65536",
                };
                return ("number", text.Substring(0, at) + replacement + text.Substring(at + 1));
            }

            default:
            {
                // Repeat a piece many times: long lines and many declarations.
                var (start, length) = Range();
                var piece = text.Substring(start, Math.Max(length, 1));
                return ("repeat", text.Insert(Position(), string.Concat(Enumerable.Repeat(piece, random.Next(2, 200)))));
            }
        }
    }

    /// <summary>Deep nesting and 1 MB lines: the inputs a recursive or quadratic parser would not survive.</summary>
    private static IEnumerable<(string, string)> Extremes()
    {
        const int Deep = 100_000;
        const int Megabyte = 1 << 20;
        string Repeat(string piece, int times) => string.Concat(Enumerable.Repeat(piece, times));

        yield return ("100k '('", new string('(', Deep));
        yield return ("100k '(' in a layer", "network N(input: 4) { dense(" + new string('(', Deep) + " }");
        yield return ("100k ')' in a layer", "network N(input: 4) { dense(" + new string(')', Deep) + " }");
        yield return ("100k '{'", "network N(input: 4) " + new string('{', Deep));
        yield return ("100k '}'", new string('}', Deep));
        yield return ("100k unclosed layers", "network N(input: 4) { " + Repeat("conv2d(", Deep));
        yield return ("100k minus signs", "network N(input: 4) { dense(" + new string('-', Deep) + "1) }");
        yield return ("1 MB name", "network " + new string('a', Megabyte) + "(input: 4) { dense(2) }");
        yield return ("1 MB layer name", "network N(input: 4) { " + new string('x', Megabyte) + "(1) }");
        yield return ("1 MB number", "network N(input: " + new string('9', Megabyte) + ") { dense(2) }");
        yield return ("1 MB shape", "network N(input: " + string.Join("x", Enumerable.Repeat("1", Megabyte / 2)) + ") { dense(2) }");
        yield return ("1 MB kernel", "network N(input: 4x4x1) { conv2d(1, " + string.Join("x", Enumerable.Repeat("2", Megabyte / 2)) + ") }");
        yield return ("1 MB string", "network N(input: 4) { dense(2, name: \"" + new string('a', Megabyte) + "\") }");
        yield return ("1 MB open string", "network N(input: 4) { dense(2, name: \"" + new string('a', Megabyte));
        yield return ("1 MB comment", "# " + new string('a', Megabyte) + "\nnetwork N(input: 4) { dense(2) }");
        yield return ("1 MB of one bad character", new string('@', Megabyte));
        yield return ("1 MB of bad characters", Repeat("@ ", Megabyte / 2));
        yield return ("1 MB of non-ASCII letters", new string('é', Megabyte));
        yield return ("1 MB dotted name", "network N(input: " + string.Join(".", Enumerable.Repeat("a", Megabyte / 2)) + ") { dense(1) }");
        yield return ("1 MB of newlines", new string('\n', Megabyte) + "network N(input: 4) { dense(2) }");
        yield return ("100k layers on a line", "network N(input: 4) { " + Repeat("dense(4) ", Deep) + "}");
        yield return ("30k networks on a line", Repeat("network a(input: 4) { dense(2) } ", 30_000));
        yield return ("20k chained networks", "network n0(input: 4) { dense(1) }" +
            string.Concat(Enumerable.Range(1, 20_000).Select(i => $" network n{i}(input: n{i - 1}) {{ dense(1) }}")));
        yield return ("1 MB of options", "network N(input: 4) { dense(2" + Repeat(", name: a", Megabyte / 9) + ") }");
        yield return ("1 MB of errors", "network N(input: 4) {" + Repeat(" foo()", Megabyte / 6) + " }");
    }

    private static string Show(string text) => text.Length <= 300 ? "\"" + text + "\"" : "\"" + text.Substring(0, 300) + "...\" (" + text.Length + " chars)";
}

/// <summary>Runs the fuzz alone, after the tests that run in parallel.</summary>
[CollectionDefinition(nameof(DslFuzzCollection), DisableParallelization = true)]
public class DslFuzzCollection
{
}
