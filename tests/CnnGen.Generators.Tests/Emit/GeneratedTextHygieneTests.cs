using System.Reflection;
using System.Text.RegularExpressions;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// The generated text of the sample networks and of the name-collision networks (every layer
/// family, every width): no arithmetic with a neutral constant, one indentation style, a legend
/// that explains every helper name, and the attributes the .NET generators put.
/// </summary>
public class GeneratedTextHygieneTests
{
    public static TheoryData<string> Networks => new(AllSources().Keys);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Generated = new(() =>
    {
        var files = new Dictionary<string, string>();
        void Add(GeneratorRun run)
        {
            foreach (var (name, text) in run.Sources)
            {
                files[name] = text;
            }
        }

        foreach (var sample in SampleNetworks.All.Values.Append(SampleNetworks.Graph))
        {
            Add(GeneratorHarness.Run(sample));
        }

        Add(GeneratorHarness.Run(NameCollisionTests.AttributeNetworks));
        Add(GeneratorHarness.Run(NameCollisionTests.CnnCompanion, ("nets/digits.cnn", NameCollisionTests.CnnFile)));
        return files;
    });

    private static IReadOnlyDictionary<string, string> AllSources() => Generated.Value;

    /// <summary>"+ 0", "0 + ", "- 0", "* 1", "1 * " as whole numbers (not 0.5, 10, 1f).</summary>
    private static readonly Regex NeutralArithmetic = new(@"(\+|-) 0(?![\w.])|(?<![\w.)\]])0 \+ |\* 1(?![\w.])|(?<![\w.)\]])1 \* ", RegexOptions.CultureInvariant);

    [Theory]
    [MemberData(nameof(Networks))]
    public void NoArithmeticWithZeroOrOne(string file)
    {
        var offending = CodeLines(AllSources()[file]).Where(l => NeutralArithmetic.IsMatch(l.Text)).Take(20).ToList();
        Assert.True(offending.Count == 0, string.Join("\n", offending.Select(l => l.Number + ": " + l.Text.Trim())));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void IndentedWithTabsOnlyAndNoTrailingWhitespace(string file)
    {
        // Tabs, one per level (SourceWriter's choice: a third smaller than four spaces).
        var lines = AllSources()[file].Split('\n').Select((text, i) => (Number: i + 1, Text: text)).ToList();
        var problems = lines.Where(l => Regex.IsMatch(l.Text, @"^\t* |\S\t|[ \t]$|\r")).Take(20).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Select(l => l.Number + ": [" + l.Text.Replace("\t", "\\t") + "]")));

        // Each brace's line is indented one tab more than the block it opens.
        var depth = 0;
        foreach (var (number, text) in lines.Where(l => l.Text.Trim().Length > 0))
        {
            var trimmed = text.TrimStart('\t');
            var tabs = text.Length - trimmed.Length;
            if (trimmed.StartsWith('}'))
            {
                depth--;
            }

            if (!trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                Assert.True(tabs == depth || tabs == depth + 1, $"line {number}: {tabs} tabs at depth {depth}: {trimmed}");
            }

            if (trimmed == "{")
            {
                depth++;
            }
        }

        Assert.Equal(0, depth);
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheHeaderLegendExplainsEveryHelperName(string file)
    {
        var text = AllSources()[file];
        var header = string.Concat(text.Split('\n').TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).Select(l => l + "\n"));
        var helpers = Regex.Matches(text, @"private static void (\w+?)(V512|V256|V128)?_(\w+)\(").Select(m => m.Groups[3].Value).Distinct().ToList();
        foreach (var suffix in helpers)
        {
            var words = HelperNames.Read(suffix);
            Assert.True(words is not null, $"{file}: the helper suffix {suffix} is not made of legend words");
            foreach (var word in words!)
            {
                Assert.Contains("//   " + word.Example + ": " + word.Meaning + ".\n", header, StringComparison.Ordinal);
            }
        }

        if (helpers.Count > 0)
        {
            Assert.Contains("// Method names: <layer><kernel><width>[_<block>[_<vectors>]]", header, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheLegendNamesLeNet5sHelpers()
    {
        // A fixed point for the reader of docs/generated-code.md: the words LeNet-5's file explains.
        var text = AllSources()["Zoo.LeNet5.g.cs"];
        Assert.Equal(new[] { "Rows2x10", "Row8", "Rows4", "Samples4", "Sum", "Positions0_8", "Interleave", "Planar", "Taps_3", "Gather0_7", "Dots0_4", "16x2", "x2" },
            HelperNames.Used(text).Select(w => w.Example));
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void EveryGeneratedClassHasTheGeneratedCodeAttributeOfThisGenerator(string file)
    {
        var version = typeof(CnnGenerator).Assembly.GetName().Version!.ToString();
        var text = AllSources()[file];
        var classes = Regex.Matches(text, @"^\t*partial class \w+ : global::CnnGen\.INetwork$", RegexOptions.Multiline);
        var attributes = Regex.Matches(text, @"^\t*\[global::System\.CodeDom\.Compiler\.GeneratedCode\(""CnnGen"", """ + Regex.Escape(version) + @"""\)\]\n\t*partial class ",
            RegexOptions.Multiline);
        Assert.Single(classes);
        Assert.Single(attributes);
    }

    [Fact]
    public void TheLoadedNetworkCarriesTheGeneratedCodeAttribute()
    {
        var network = GeneratedNetwork.Load(GeneratorHarness.Run(SampleNetworks.LeNet5), "Zoo.LeNet5");
        var attribute = network.Type.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>();
        Assert.NotNull(attribute);
        Assert.Equal("CnnGen", attribute!.Tool);
        Assert.Equal(typeof(CnnGenerator).Assembly.GetName().Version!.ToString(), attribute.Version);
    }

    [Fact]
    public void NoUsingDirectivesButTheNamespaceAliases()
    {
        // Every framework name is global:: or Alias::, so nothing depends on what a using would bring in.
        var aliases = FrameworkNames.AliasDirectives.ToList();
        Assert.Equal(new[] { "using Simd = global::System.Runtime.Intrinsics;", "using Cs = global::System.Runtime.CompilerServices;", "using K = global::CnnGen.Kernels;" }, aliases);
        foreach (var (file, text) in AllSources())
        {
            var usings = Regex.Matches(text, @"^\s*(global )?using\b.*$", RegexOptions.Multiline).Select(m => m.Value.Trim()).ToList();
            Assert.True(aliases.SequenceEqual(usings), file + ":\n" + string.Join("\n", usings));
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void TheHeaderSaysWhatTheAliasesAre(string file)
    {
        var text = AllSources()[file];
        var header = text.Split('\n').TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)).ToList();
        Assert.Contains("// Aliases: Simd:: is System.Runtime.Intrinsics, Cs:: is System.Runtime.CompilerServices, K:: is CnnGen.Kernels (declared below; only aliases are looked up before ::).",
            header);
        Assert.DoesNotContain("global::System.Runtime.Intrinsics.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("global::System.Runtime.CompilerServices.", text, StringComparison.Ordinal);
    }

    /// <summary>Lines that are not comments.</summary>
    private static IEnumerable<(int Number, string Text)> CodeLines(string text) =>
        text.Split('\n').Select((t, i) => (Number: i + 1, Text: t)).Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal));
}
