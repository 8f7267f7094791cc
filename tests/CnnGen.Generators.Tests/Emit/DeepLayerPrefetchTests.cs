using System.Text.RegularExpressions;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests.Emit;

/// <summary>
/// A deep layer packs its weights in blocks per input-channel slice and filter group; once
/// PackWeights has packed them, the first rows' calls on a block prefetch the next block into the
/// L2 cache. These tests read the generated driver and kernel and work out, loop by loop, which
/// cache lines the calls prefetch and which the kernel loads: the prefetches must cover exactly
/// the lines the next block's calls will load, each once. (A prefetch changes no number, so the
/// numeric tests cannot see a wrong one.)
/// </summary>
public class DeepLayerPrefetchTests
{
    private static string Generate(string layers, string input) => GeneratorHarness.NetSource(layers, input);

    [Theory]
    // 3x3x256x256 floats (2.4 MB) on a 7x7 map: slices of 16 input channels, groups of 64 filters at 512 bits,
    // a step reads 4 lines: rows 0-3 prefetch a quarter each, a line per tap.
    [InlineData("7, 7, 256", "[Conv2D(256, 3, Padding = Padding.Same)]\n", "Row6", 4)]
    // The stride-2 layer of a ResNet's last stage: 14x14x256 to 7x7x512.
    [InlineData("14, 14, 256", "[Conv2D(512, 3, Stride = 2, Padding = Padding.Same)]\n", "Row6", 4)]
    // A 3x3 map, a row a call: rows 0 and 1 prefetch half each, 2 lines per tap.
    [InlineData("3, 3, 512", "[Conv2D(512, 3, Padding = Padding.Same)]\n", "Rows1x3", 2)]
    // A 2x2 map (ResNet-18's last stage at 64x64) in one block: its one call prefetches the whole next block, 4 lines per tap.
    [InlineData("2, 2, 512", "[Conv2D(512, 3, Padding = Padding.Same)]\n", "All", 1)]
    public void TheFirstCallsPrefetchEveryLineTheNextBlockLoadsOnce(string input, string layer, string tag, int parts)
    {
        var source = Generate(layer + "[Flatten]\n[Dense(2)]\n", input);
        var driver = Method(source, "Conv2d1ForwardV512");

        var next = Regex.Match(driver, @"ref float next = ref \(prepacked && \(.*\) \? ref Cs::Unsafe\.Add\(ref p, (\d+)\) : ref p\);");
        Assert.True(next.Success, "the driver names the next block");
        var kernelName = Regex.Match(driver, @"(Conv2d1ForwardV512_" + tag + @"_Slice\d+_16x4)\(").Groups[1].Value;
        var argument = Regex.Match(driver, Regex.Escape(kernelName) + @"\(.*, first, last, (.*)\);").Groups[1].Value;
        var (calls, part) = argument == "ref next" ? (1, 0)
            : Regex.Match(argument, @"^ref \(oh < (\d+) \? ref Cs::Unsafe\.Add\(ref next, oh \* (\d+)\) : ref p\)$") is { Success: true } split
                ? (int.Parse(split.Groups[1].Value), int.Parse(split.Groups[2].Value))
                : throw new Xunit.Sdk.XunitException("unexpected prefetch argument: " + argument);
        Assert.Equal(parts, calls);

        var kernel = Method(source, kernelName);
        var loaded = Offsets(kernel, "w", @"K::V512\.Load\(ref (w\w*)(?:, (\d+))?\)").Select(o => o / 16).ToHashSet();
        var prefetched = new List<int>();
        var own = Offsets(kernel, "pf", @"K::Prefetch\.IntoL2\(ref (?:Cs::Unsafe\.Add\(ref )?(pf\w*)(?:, (\d+)\))?\)");
        for (var r = 0; r < calls; r++)
        {
            prefetched.AddRange(own.Select(o => (r * part + o) / 16));
        }

        Assert.Equal(prefetched.Count, prefetched.Distinct().Count());
        Assert.Equal(loaded.OrderBy(l => l), prefetched.OrderBy(l => l));
        Assert.True(int.Parse(next.Groups[1].Value) >= loaded.Count * 16, "the next block starts after this one's weights");
    }

    [Fact]
    public void TheKernelsOf256And128BitsStayOneGenericMethod()
    {
        var source = Generate("[Conv2D(256, 3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2)]\n", "7, 7, 256");
        var kernel = Method(source, "Conv2d1ForwardVx_Row6_Slice32_x2<V, T>");
        Assert.Contains("K::Prefetch.IntoL2(", kernel, StringComparison.Ordinal);
        Assert.DoesNotContain("ForwardV256_Row6", source, StringComparison.Ordinal);
        Assert.DoesNotContain("ForwardV128_Row6", source, StringComparison.Ordinal);
    }

    [Fact]
    public void ALayerWhoseGroupsPackTheirOwnSlicesDoesNotPrefetch()
    {
        // 3x3x128x128 floats on a 28x28 map: each group packs its slice on the stack, used by many rows.
        var source = Generate("[Conv2D(128, 3, Padding = Padding.Same)]\n[Flatten]\n[Dense(2)]\n", "28, 28, 128");
        Assert.Contains("_Slice16_16x4(", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Prefetch", source, StringComparison.Ordinal);
    }

    /// <summary>The text of a generated method, from its declaration to its closing brace.</summary>
    private static string Method(string source, string name)
    {
        var start = source.IndexOf("private static void " + name + "(", StringComparison.Ordinal);
        Assert.True(start >= 0, name + " is generated");
        var end = source.IndexOf("\n\t}\n", start, StringComparison.Ordinal);
        return source.Substring(start, end - start);
    }

    /// <summary>
    /// Every float offset, from the method's <paramref name="root"/> ref, that the statements
    /// matching <paramref name="use"/> (group 1 a ref, group 2 an optional constant) reach over all
    /// iterations of the loops around them: refs are moved as <c>ref float r2 = ref
    /// Cs::Unsafe.Add(ref r1, v * m);</c> inside <c>for (int v = 0; v &lt; n; v++)</c>.
    /// </summary>
    private static List<int> Offsets(string method, string root, string use)
    {
        var counts = new Dictionary<string, int>();
        var refs = new Dictionary<string, List<(string Variable, int Multiple)>> { [root] = new() };
        var offsets = new List<int>();
        foreach (var line in method.Split('\n'))
        {
            if (Regex.Match(line, @"for \(int (\w+) = 0; \1 < (\d+); \1\+\+\)") is { Success: true } loop)
            {
                counts[loop.Groups[1].Value] = int.Parse(loop.Groups[2].Value);
            }
            else if (Regex.Match(line, @"ref float (\w+) = ref Cs::Unsafe\.Add\(ref (\w+), (\w+) \* (\d+)\);") is { Success: true } moved &&
                refs.TryGetValue(moved.Groups[2].Value, out var from))
            {
                refs[moved.Groups[1].Value] = from.Append((moved.Groups[3].Value, int.Parse(moved.Groups[4].Value))).ToList();
            }

            foreach (Match match in Regex.Matches(line, use))
            {
                var terms = refs[match.Groups[1].Value];
                var constant = match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0;
                IEnumerable<int> reached = new[] { constant };
                foreach (var (variable, multiple) in terms)
                {
                    reached = reached.SelectMany(o => Enumerable.Range(0, counts[variable]).Select(v => o + v * multiple)).ToList();
                }

                offsets.AddRange(reached);
            }
        }

        return offsets;
    }
}
