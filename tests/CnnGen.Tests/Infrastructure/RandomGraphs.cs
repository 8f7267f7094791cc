using System.Text;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Random network declarations with skip connections, branches and merges for sweeps: a stem,
/// two branches from it (a convolution with random kernel, stride, dilation and 'same' padding,
/// and a shortcut that is the stem itself or a strided 1x1 convolution), merged by Add,
/// Multiply or Concatenate; sometimes a squeeze-and-excitation gate (a broadcast channel
/// vector); sometimes pooling that reads an earlier layer than the one before it (another frame:
/// a copy); a head. 1-D and 2-D, both data formats. Shapes are computed here, so every
/// declaration is valid. Deep graphs have the channels of a ResNet's last stages (64 to 300) on
/// maps of a few positions: kernels of hundreds of KB to a few MB, which the generator slices and
/// packs, inside graphs whose inference workspace shares one scratch between layers.
/// </summary>
internal static class RandomGraphs
{
    public static List<RandomNetworks.Declaration> Create(int count, int seed, string prefix, bool deep = false)
    {
        var random = new SeededRandom(seed);
        var result = new List<RandomNetworks.Declaration>();
        for (var i = 0; i < count; i++)
        {
            result.Add(CreateOne(random, prefix + i, deep));
        }

        return result;
    }

    private static RandomNetworks.Declaration CreateOne(SeededRandom random, string name, bool deep)
    {
        var rank = random.NextInt(2) + 1;
        var channelsFirst = random.NextInt(2) == 0;
        var height = rank == 2 ? random.NextInt(deep ? 4 : 7) + 2 : 1;
        var width = random.NextInt(rank == 2 ? deep ? 5 : 7 : 14) + 2;
        var channels = deep ? Pick(random, 64, 130, 256) : Pick(random, 1, 2, 3, 5, 8);
        var filters = deep ? Pick(random, 64, 128, 256, 300) : Pick(random, 1, 2, 4, 6, 9, 16);
        var conv = rank == 2 ? "Conv2D" : "Conv1D";
        var source = new StringBuilder();
        source.AppendLine(channelsFirst ? "[Network(DataFormat = DataFormat.ChannelsFirst)]" : "[Network]");
        source.AppendLine(rank == 2
            ? $"[Input({(channelsFirst ? $"{channels}, {height}, {width}" : $"{height}, {width}, {channels}")})]"
            : $"[Input({(channelsFirst ? $"{channels}, {width}" : $"{width}, {channels}")})]");

        // The stem, read by both branches ('same', so its shape is the input's with the filters).
        var activations = new[] { "Relu", "Tanh", "Linear", "Sigmoid", "LeakyRelu", "Silu" };
        source.AppendLine($"[{conv}({filters}, {Pick(random, 1, 2, 3)}, Padding = Padding.Same, Activation = Activation.{Pick(random, activations)}, Name = \"stem\")]");

        // Branch a: a 'same' convolution of stride s; branch b: the stem itself (stride 1) or a strided 1x1 shortcut.
        var stride = random.NextInt(2) + 1;
        var dilation = stride == 1 ? random.NextInt(2) + 1 : 1;
        var branchFilters = random.NextInt(3) == 0 ? deep ? Pick(random, 32, 96, 256) : Pick(random, 1, 3, 5) : filters;
        source.AppendLine($"[{conv}({branchFilters}, {Pick(random, 1, 2, 3)}, Stride = {stride}, Dilation = {dilation}, Padding = Padding.Same, Name = \"a\")]");
        var shortcut = stride == 1 && branchFilters == filters && random.NextInt(2) == 0 ? "stem" : "b";
        if (shortcut == "b")
        {
            source.AppendLine($"[{conv}({branchFilters}, 1, Stride = {stride}, From = \"stem\", Name = \"b\")]");
        }

        var merge = Pick(random, "Add", "Multiply", "Concatenate", "Add");
        var inputs = random.NextInt(3) == 0 ? $"\"a\", \"{shortcut}\", \"a\"" : random.NextInt(2) == 0 ? $"\"a\", \"{shortcut}\"" : $"\"{shortcut}\", \"a\"";
        var activation = merge == "Add" ? $", Activation = Activation.{Pick(random, activations)}" : string.Empty;
        source.AppendLine($"[{merge}({inputs}{activation}, Name = \"merged\")]");
        var mergedChannels = merge == "Concatenate" ? branchFilters * (inputs.Split(',').Length) : branchFilters;
        var last = "merged";

        // Sometimes a gate: a channel vector multiplying every position.
        if (random.NextInt(2) == 0)
        {
            source.AppendLine(random.NextInt(2) == 0 ? "[GlobalAvgPool(Name = \"squeeze\")]" : "[GlobalMaxPool(Name = \"squeeze\")]");
            source.AppendLine($"[Dense({mergedChannels}, Activation = Activation.Sigmoid, Name = \"gate\")]");
            source.AppendLine($"[Multiply(\"{last}\", \"gate\", Name = \"gated\")]");
            last = "gated";
        }

        // Sometimes pooling, which may read the stem instead (another frame), summed with a convolution of it.
        if (random.NextInt(2) == 0)
        {
            var pool = Pick(random, "Max", "Avg");
            source.AppendLine($"[{pool}Pool{rank}D(3, Stride = 1, Padding = Padding.Same, From = \"{last}\", Name = \"pooled\")]");
            source.AppendLine($"[{conv}({mergedChannels}, 3, Padding = Padding.Same, From = \"{last}\", Name = \"side\")]");
            source.AppendLine("[Add(\"pooled\", \"side\", Name = \"joined\")]");
        }

        switch (random.NextInt(3))
        {
            case 0:
                source.AppendLine("[Flatten]");
                source.AppendLine($"[Dense({Pick(random, 1, 3, 7)}, Activation = Activation.{Pick(random, "Linear", "Tanh", "Softmax")})]");
                break;
            case 1:
                source.AppendLine("[GlobalAvgPool]");
                break;
        }

        source.AppendLine($"public partial class {name};");
        return new RandomNetworks.Declaration(name, source.ToString(), channelsFirst);
    }

    private static T Pick<T>(SeededRandom random, params T[] values) => values[random.NextInt(values.Length)];
}
