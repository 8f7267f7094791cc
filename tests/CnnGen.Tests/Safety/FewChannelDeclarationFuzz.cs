using System.Globalization;
using System.Text;

namespace CnnGen.Tests.Safety;

/// <summary>
/// Layers of 1 to 3 channels, whose kernels sweep each row as one run of floats (depthwise
/// convolutions) or take dot products over each input position's channels (transposed
/// convolutions to them from more, and the input gradients of convolutions from them to more): random sizes, strides, dilations, paddings, multipliers and
/// activations, chained. Each run network is also checked against central differences, its
/// outputs by the first accuracy rule, every buffer between canaries.
/// </summary>
public partial class DeclarationFuzzTests
{
    [Fact]
    [Trait("Category", "Numerics")]
    public void EveryFewChannelDeclarationRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261206, FewChannelDeclaration,
            Declarations / 50, Runs / 4, gradients: true);

    private static string FewChannelDeclaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var height = random.Next(6) + 1;
        var length = random.Next(rank == 2 ? 24 : 60) + 2;
        var channels = random.Next(3) + 1;
        var input = rank == 2
            ? channelsFirst ? channels + "x" + height + "x" + length : height + "x" + length + "x" + channels
            : channelsFirst ? channels + "x" + length : length + "x" + channels;
        var prefix = rank == 2 ? "2d" : "1d";
        string Pair(int value, int other) => rank == 2 ? other + "x" + value : value.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        for (var i = random.Next(3); i >= 0; i--)
        {
            var activation = Activations[random.Next(Activations.Length)];
            var bias = random.Next(4) == 0 ? ", use_bias: false" : string.Empty;
            if (random.Next(3) == 0)
            {
                // A convolution from 1 to 3 channels to 4 to 40 (its input gradient takes dot products over
                // each position's filters), then a transposed convolution back to 1 to 3 channels.
                var wide = new[] { 4, 5, 8, 13, 16, 24, 33, 40 }[random.Next(8)];
                text.Append("    conv" + prefix + "(" + wide + ", " + Pair(random.Next(5) + 1, random.Next(3) + 1) +
                    (random.Next(3) == 0 ? ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(random.Next(2) + 1, random.Next(2) + 1) : string.Empty) +
                    (random.Next(4) == 0 ? ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(random.Next(2) + 1, random.Next(2) + 1) : string.Empty) +
                    ", padding: " + (random.Next(3) == 0 ? "valid" : "same") + ")\n");
                channels = random.Next(3) + 1;
                var stride = random.Next(3) + 1;
                var outputPadding = random.Next(3) == 0 ? ", output_padding: " + random.Next(stride) : string.Empty;
                text.Append("    conv" + prefix + "_transpose(" + channels + ", " + Pair(random.Next(5) + 1, random.Next(4) + 1) + ", " +
                    (rank == 2 ? "strides: " : "stride: ") + Pair(stride, random.Next(3) + 1) +
                    (random.Next(4) == 0 ? ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(random.Next(3) + 1, random.Next(2) + 1) : string.Empty) +
                    ", padding: " + (random.Next(2) == 0 ? "same" : "valid") + ", activation: " + activation + bias + outputPadding + ")\n");
                continue;
            }

            // A depthwise convolution: a stride of 1 along the row mostly (a run), else 2; a multiplier of 1 mostly.
            var padding = new[] { "valid", "same", rank == 1 ? "causal" : "same" }[random.Next(3)];
            var multiplier = random.Next(5) == 0 ? random.Next(2) + 2 : 1;
            text.Append("    depthwise_conv" + prefix + "(" + Pair(random.Next(7) + 1, random.Next(5) + 1) +
                ", " + (rank == 2 ? "strides: " : "stride: ") + Pair(random.Next(6) == 0 ? 2 : 1, random.Next(3) + 1) +
                (random.Next(3) == 0 ? ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(random.Next(3) + 1, random.Next(3) + 1) : string.Empty) +
                ", depth_multiplier: " + multiplier + ", padding: " + padding + ", activation: " + activation + bias + ")\n");
            channels *= multiplier;
        }

        return text.Append("}\n").ToString();
    }
}
