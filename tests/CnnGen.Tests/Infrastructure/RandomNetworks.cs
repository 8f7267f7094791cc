using System.Globalization;
using System.Text;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Random network declarations for sweeps: 1-D and 2-D, both data formats, channels 1..64,
/// kernels 1..7 (rectangular too), strides and dilations 1..3, every padding, groups (the
/// greatest common divisor of channels and filters, on a third of the convolutions), transposed
/// convolutions (on about a quarter of the others), pooling
/// after some convolutions, and a dense head on some. Only declarations whose shapes are valid by
/// the formulas of docs/shapes.md (computed here, independently of the generator) are produced.
/// </summary>
internal static class RandomNetworks
{
    public sealed record Declaration(string ClassName, string Source, bool ChannelsFirst);

    public static List<Declaration> Create(int count, int seed, string prefix)
    {
        var random = new SeededRandom(seed);
        var result = new List<Declaration>();
        while (result.Count < count)
        {
            if (TryCreate(random, prefix + result.Count.ToString(CultureInfo.InvariantCulture)) is { } declaration)
            {
                result.Add(declaration);
            }
        }

        return result;
    }

    private static Declaration? TryCreate(SeededRandom random, string name)
    {
        var rank = random.NextInt(2) + 1;
        var channelsFirst = random.NextInt(2) == 0;
        var height = rank == 2 ? random.NextInt(12) + 1 : 1;
        var width = random.NextInt(rank == 2 ? 12 : 40) + 1;
        var channels = Pick(random, 1, 2, 3, 4, 5, 8, 13, 16, 32, 64);
        var filters = Pick(random, 1, 2, 3, 4, 6, 7, 8, 10, 16, 17, 24, 32, 33, 64);
        var source = new StringBuilder();
        source.AppendLine(channelsFirst ? "[Network(DataFormat = DataFormat.ChannelsFirst)]" : "[Network]");
        var dims = rank == 2
            ? channelsFirst ? $"{channels}, {height}, {width}" : $"{height}, {width}, {channels}"
            : channelsFirst ? $"{channels}, {width}" : $"{width}, {channels}";
        source.AppendLine($"[Input({dims})]");

        // The convolution.
        var kh = rank == 2 ? random.NextInt(7) + 1 : 1;
        var kw = random.NextInt(7) + 1;
        var sh = rank == 2 ? random.NextInt(3) + 1 : 1;
        var sw = random.NextInt(3) + 1;
        var dh = rank == 2 ? random.NextInt(3) + 1 : 1;
        var dw = random.NextInt(3) + 1;
        var padding = rank == 1 ? Pick(random, "Valid", "Same", "Causal") : Pick(random, "Valid", "Same");
        var activation = Pick(random, "Linear", "Relu", "LeakyRelu", "Elu", "Sigmoid", "Tanh", "Softmax", "Softplus", "Silu", "Relu6", "HardSigmoid", "HardSwish", "Gelu");
        var useBias = random.NextInt(4) != 0;
        var outH = rank == 2 ? Output(height, kh, sh, dh, padding) : 1;
        var outW = Output(width, kw, sw, dw, padding);
        if (outH < 1 || outW < 1)
        {
            return null;
        }

        // Groups without a draw of their own, so that the other draws (and the sweeps' earlier networks) stay as they were.
        var groups = (filters + channels + kw) % 3 == 0 ? GreatestCommonDivisor(channels, filters) : 1;

        // A transposed convolution instead on some of the others (again no draw of its own): the same
        // kernel, strides, dilations and padding, its output (n - 1) * s + k' ('valid') or n * s ('same').
        var transposed = groups == 1 && padding != "Causal" && (filters + channels + kh + kw) % 4 == 0;
        if (transposed)
        {
            outH = rank == 2 ? TransposedOutput(height, kh, sh, dh, padding) : 1;
            outW = TransposedOutput(width, kw, sw, dw, padding);
        }

        var kindName = transposed ? "Transpose" : string.Empty;
        var options = $"Padding = Padding.{padding}, Activation = Activation.{activation}" + (useBias ? string.Empty : ", UseBias = false") +
            (groups > 1 ? $", Groups = {groups}" : string.Empty);
        if (rank == 2)
        {
            var kernel = kh == kw && random.NextInt(2) == 0 ? $"{kh}" : $"{kh}, {kw}";
            var strides = sh == sw ? $"Stride = {sh}" : $"Strides = new[] {{ {sh}, {sw} }}";
            var dilations = dh == dw ? $"Dilation = {dh}" : $"Dilations = new[] {{ {dh}, {dw} }}";
            source.AppendLine($"[Conv2D{kindName}({filters}, {kernel}, {strides}, {dilations}, {options})]");
        }
        else
        {
            source.AppendLine($"[Conv1D{kindName}({filters}, {kw}, Stride = {sw}, Dilation = {dw}, {options})]");
        }

        // Sometimes a pooling layer.
        if (random.NextInt(2) == 0)
        {
            var ph = rank == 2 ? random.NextInt(3) + 1 : 1;
            var pw = random.NextInt(3) + 1;
            var ps = random.NextInt(3) + 1;
            var poolPadding = Pick(random, "Valid", "Same");
            var kind = Pick(random, "Max", "Avg");
            var poolH = rank == 2 ? Output(outH, ph, ps, 1, poolPadding) : 1;
            var poolW = Output(outW, pw, ps, 1, poolPadding);
            if (poolH >= 1 && poolW >= 1)
            {
                var window = rank == 2 ? (ph == pw ? $"{ph}" : $"{ph}, {pw}") : $"{pw}";
                source.AppendLine($"[{kind}Pool{rank}D({window}, Stride = {ps}, Padding = Padding.{poolPadding})]");
            }
        }

        // Sometimes a head.
        switch (random.NextInt(4))
        {
            case 0:
                source.AppendLine("[Flatten]");
                source.AppendLine($"[Dense({Pick(random, 1, 3, 10, 16, 33)}, Activation = Activation.{Pick(random, "Linear", "Relu", "Softmax", "Tanh")})]");
                break;
            case 1:
                source.AppendLine(random.NextInt(2) == 0 ? "[GlobalAvgPool]" : "[GlobalMaxPool]");
                break;
            case 2:
                source.AppendLine("[Activation(Activation.Sigmoid)]");
                break;
        }

        source.AppendLine($"public partial class {name};");
        return new Declaration(name, source.ToString(), channelsFirst);
    }

    /// <summary>docs/shapes.md.</summary>
    public static int Output(int n, int k, int s, int d, string padding)
    {
        var effective = (k - 1) * d + 1;
        return padding switch
        {
            "Same" => (n + s - 1) / s,
            "Causal" => (n - 1) / s + 1,
            _ => n < effective ? 0 : (n - effective) / s + 1,
        };
    }

    /// <summary>docs/shapes.md, transposed convolutions.</summary>
    public static int TransposedOutput(int n, int k, int s, int d, string padding) =>
        padding == "Same" ? n * s : (n - 1) * s + (k - 1) * d + 1;

    private static T Pick<T>(SeededRandom random, params T[] values) => values[random.NextInt(values.Length)];

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);
}
