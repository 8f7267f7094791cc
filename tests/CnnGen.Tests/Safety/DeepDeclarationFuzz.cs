using System.Globalization;
using System.Text;

namespace CnnGen.Tests.Safety;

/// <summary>
/// Deep layers on small maps, the shapes of a ResNet's or a VGG's last stages: kernels of
/// hundreds of KB to a few MB, which the generator runs in input-channel slices, packs for
/// every filter group at once, or splits into blocks of rows, paths the small declarations of
/// the main fuzz never reach; then dense layers with long inputs and odd unit counts. Each run
/// network is also checked against central differences (a few gradients per layer), and its
/// outputs by the third accuracy rule (docs/testing.md), the one for real models.
/// </summary>
public partial class DeclarationFuzzTests
{
    [Fact]
    [Trait("Category", "Numerics")]
    public void EveryDeepDeclarationRunsSafelyAndMatchesTheReference() =>
        Fuzz(int.TryParse(Environment.GetEnvironmentVariable("CNNGEN_FUZZ_SEED"), out var chosen) ? chosen : 20261205, DeepDeclaration,
            Declarations / 100, Runs / 8, deepLayers: true);

    private static readonly int[] DeepChannels = { 33, 64, 96, 130, 256, 300, 512 };

    private static readonly int[] DeepFilters = { 17, 64, 100, 128, 250, 256, 512 };

    private static string DeepDeclaration(Random random, string name)
    {
        var rank = random.Next(2) + 1;
        var channelsFirst = random.Next(4) == 0;
        var height = random.Next(6) + 1;
        var length = random.Next(rank == 2 ? 7 : 12) + 1;
        var channels = DeepChannels[random.Next(DeepChannels.Length)];
        var input = rank == 2
            ? channelsFirst ? channels + "x" + height + "x" + length : height + "x" + length + "x" + channels
            : channelsFirst ? channels + "x" + length : length + "x" + channels;
        var prefix = rank == 2 ? "2d" : "1d";
        string Pair(int value, int other) => rank == 2 && random.Next(3) == 0 ? value + "x" + other : value.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder("network " + name + "(input: " + input + (channelsFirst ? ", format: channels_first" : string.Empty) + ") {\n");
        for (var i = random.Next(3); i >= 0; i--)
        {
            var filters = DeepFilters[random.Next(DeepFilters.Length)];
            var kernel = random.Next(3) + 1;
            var padding = new[] { "valid", "same", "same", rank == 1 ? "causal" : "same" }[random.Next(4)];
            var activation = Activations[random.Next(Activations.Length)];
            switch (random.Next(8))
            {
                case 0:
                    // A transposed convolution: its input gradient is a deep forward convolution.
                    text.Append("    conv" + prefix + "_transpose(" + filters + ", " + Pair(kernel, random.Next(3) + 1) + ", " + (rank == 2 ? "strides: " : "stride: ") +
                        Pair(random.Next(2) + 1, random.Next(2) + 1) + ", padding: " + (padding == "causal" ? "same" : padding) + ", activation: " + activation + ")\n");
                    break;
                case 1:
                    var multiplier = random.Next(2) + 1;
                    text.Append("    depthwise_conv" + prefix + "(" + Pair(kernel, random.Next(3) + 1) + ", depth_multiplier: " + multiplier +
                        ", padding: " + padding + ", activation: " + activation + ")\n");
                    filters = channels * multiplier;
                    break;
                default:
                    var shared = Enumerable.Range(1, Math.Min(channels, filters)).Where(d => channels % d == 0 && filters % d == 0).ToArray();
                    var groups = random.Next(5) == 0 ? shared[random.Next(shared.Length)] : 1;
                    text.Append("    conv" + prefix + "(" + filters + ", " + Pair(kernel, random.Next(3) + 1) + ", " + (rank == 2 ? "strides: " : "stride: ") +
                        Pair(random.Next(2) + 1, random.Next(2) + 1) + ", " + (rank == 2 ? "dilations: " : "dilation: ") + Pair(random.Next(4) == 0 ? 2 : 1, 1) +
                        ", padding: " + padding + ", activation: " + activation + (groups > 1 ? ", groups: " + groups : string.Empty) +
                        (random.Next(4) == 0 ? ", use_bias: false" : string.Empty) + Pads(random, rank, padding) + ")\n");
                    if (random.Next(3) == 0)
                    {
                        // Folded into the convolution's store in inference when the convolution is linear.
                        text.Append("    batch_norm()\n");
                    }

                    break;
            }

            channels = filters;
        }

        if (random.Next(2) == 0)
        {
            text.Append(random.Next(2) == 0 ? "    flatten()\n" : "    global_avg_pool()\n");
            text.Append("    dense(" + new[] { 10, 37, 129, 1000, 2050 }[random.Next(5)] + ", activation: " + new[] { "linear", "relu", "tanh" }[random.Next(3)] + ")\n");
        }

        return text.Append("}\n").ToString();
    }
}
