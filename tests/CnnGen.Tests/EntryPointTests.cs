using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>Bad arguments throw ArgumentException naming the sizes, and nothing is written on error.</summary>
public class EntryPointTests
{
    [Fact]
    public void WrongInputLengthNamesExpectedAndActualSizesAndLeavesTheOutputAlone()
    {
        var network = new DigitNet(seed: 1);
        var output = Enumerable.Repeat(42f, 20).ToArray();
        var error = Assert.Throws<ArgumentException>(() => network.Forward(new float[127], output, 2));
        Assert.Equal("input", error.ParamName);
        Assert.Contains("127", error.Message);
        Assert.Contains("128", error.Message);
        Assert.Contains("8x8x1", error.Message);
        Assert.All(output, v => Assert.Equal(42f, v));
    }

    [Fact]
    public void WrongOutputLengthNamesExpectedAndActualSizes()
    {
        var network = new LeNet5(seed: 1);
        var output = Enumerable.Repeat(42f, 9).ToArray();
        var error = Assert.Throws<ArgumentException>(() => network.Forward(new float[784], output));
        Assert.Equal("output", error.ParamName);
        Assert.Contains("9 floats", error.Message);
        Assert.Contains("needs 10", error.Message);
        Assert.All(output, v => Assert.Equal(42f, v));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void BatchSizeBelowOneThrows(int batch)
    {
        var network = new DigitNet(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => network.Forward(Array.Empty<float>(), Array.Empty<float>(), batch));
        Assert.Equal("batchSize", error.ParamName);
        Assert.Contains(batch.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
    }

    [Fact]
    public void AWorkspaceOfAnotherNetworkIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new DigitNet(1).Forward(new float[64], new float[10], 1, new LeNet5(1).CreateWorkspace()));
        Assert.Contains("LeNet5", error.Message);
    }

    [Fact]
    public void BackwardBeforeForwardExplainsWhatIsMissing()
    {
        var network = new DigitNet(seed: 1);
        var error = Assert.Throws<InvalidOperationException>(() => network.Backward(new float[10], new float[64]));
        Assert.Contains("Forward", error.Message);
    }

    [Fact]
    public void BackwardChecksItsSpansAgainstTheLastBatch()
    {
        var network = new DigitNet(seed: 1);
        network.Forward(new float[3 * 64], new float[30], 3);
        var error = Assert.Throws<ArgumentException>(() => network.Backward(new float[10], new float[3 * 64]));
        Assert.Equal("outputGradient", error.ParamName);
        Assert.Contains("batch of 3 needs 30", error.Message);
        var workspace = network.CreateWorkspace();
        network.Forward(new float[3 * 64], new float[30], 3, workspace);
        var gradients = Assert.Throws<ArgumentException>(() => network.Backward(new float[30], Span<float>.Empty, workspace, new float[5]));
        Assert.Equal("parameterGradients", gradients.ParamName);
        Assert.Contains("5 floats", gradients.Message);
        Assert.Contains(DigitNet.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture), gradients.Message);
    }

    [Fact]
    public void AnEmptyInputGradientSkipsThatWorkButStillComputesParameterGradients()
    {
        var network = new LeNet5(seed: 3);
        var input = Numerics.Random(784, seed: 2);
        var outputGradient = Numerics.Random(10, seed: 5);
        network.Forward(input, new float[10]);
        network.Backward(outputGradient, new float[784]);
        var expected = network.Gradients.ToArray();
        network.Backward(outputGradient, Span<float>.Empty);
        Assert.Equal(expected, network.Gradients.ToArray());
    }
}
