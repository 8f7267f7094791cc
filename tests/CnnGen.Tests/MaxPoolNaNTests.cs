using CnnGen.Tests.Infrastructure;

namespace CnnGen.Tests;

/// <summary>Max pooling over 3 channels (4-float vectors), 16 (every width) and 1-D: a NaN in a window makes that window's output NaN, as in PyTorch.</summary>
[Network]
[Input(4, 6, 3)]
[MaxPool2D(2)]
public partial class NaNPoolNet;

[Network]
[Input(4, 6, 16)]
[MaxPool2D(2)]
public partial class NaNPoolWideNet;

[Network]
[Input(9, 16)]
[MaxPool1D(3)]
public partial class NaNPoolSignalNet;

[Trait("Category", "Numerics")]
public class MaxPoolNaNTests
{
    public static TheoryData<string> Networks => new() { nameof(NaNPoolNet), nameof(NaNPoolWideNet), nameof(NaNPoolSignalNet) };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ANaNInAWindowMakesItsOutputNaN(string name)
    {
        INetwork network = name switch
        {
            nameof(NaNPoolNet) => new NaNPoolNet(),
            nameof(NaNPoolWideNet) => new NaNPoolWideNet(),
            _ => new NaNPoolSignalNet(),
        };
        var clean = Numerics.Random(network.InputSize, seed: 4);
        var expected = new float[network.OutputSize];
        network.Forward(clean, expected);
        Assert.DoesNotContain(expected, float.IsNaN);

        // Every input in turn: the window holding it is NaN, every other output unchanged.
        for (var i = 0; i < network.InputSize; i++)
        {
            var input = (float[])clean.Clone();
            input[i] = float.NaN;
            var output = new float[network.OutputSize];
            network.Forward(input, output);
            var window = WindowOf(network, i);
            for (var o = 0; o < output.Length; o++)
            {
                if (o == window)
                {
                    Assert.True(float.IsNaN(output[o]), $"{name}: input {i} is NaN, output {o} is {output[o]}");
                }
                else
                {
                    Assert.Equal(expected[o], output[o]);
                }
            }
        }
    }

    /// <summary>The output that input <paramref name="i"/> falls in (channels last, windows equal to strides, no remainder dropped except where noted).</summary>
    private static int WindowOf(INetwork network, int i)
    {
        var inputShape = network.Architecture.InputShape;
        var outputShape = network.Architecture.OutputShape;
        var channels = inputShape[^1];
        var c = i % channels;
        var position = i / channels;
        if (inputShape.Count == 2)
        {
            return position / 3 * channels + c;
        }

        var (h, w) = (position / inputShape[1], position % inputShape[1]);
        return (h / 2 * outputShape[1] + w / 2) * channels + c;
    }
}
