using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Generators.Tests;

public class ScratchTests
{
    [Fact]
    public void Scratch()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;
            namespace Examples.Digits;
            [Network]
            [Input(8, 8, 1)]
            [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
            [MaxPool2D(2)]
            [Conv2D(16, 3, Activation = Activation.Relu)]
            [Flatten]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class DigitNet;
            """);
        var source = Assert.Single(run.Sources).Value;
        File.WriteAllText("/tmp/gen/DigitNet.g.cs", source);
        Assert.Empty(run.BuildErrors);
    }

    [Fact]
    public void ScratchLeNet()
    {
        var run = GeneratorHarness.Run("""
            using CnnGen;
            namespace Examples;
            [Network]
            [Input(28, 28, 1)]
            [Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
            [MaxPool2D(2)]
            [Conv2D(16, 5, Activation = Activation.Relu)]
            [MaxPool2D(2)]
            [Flatten]
            [Dense(120, Activation = Activation.Relu)]
            [Dense(84, Activation = Activation.Relu)]
            [Dense(10, Activation = Activation.Softmax)]
            public partial class LeNet5;
            """);
        var source = Assert.Single(run.Sources).Value;
        File.WriteAllText("/tmp/gen/LeNet5.g.cs", source);
        Assert.Empty(run.BuildErrors);
    }
}
