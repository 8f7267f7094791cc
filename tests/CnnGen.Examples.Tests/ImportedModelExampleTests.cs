using System.Globalization;
using CnnGen.Examples.Tests.Infrastructure;

namespace CnnGen.Examples.Tests;

[Collection(ExampleCollection.Name)]
public class ImportedModelExampleTests
{
    [Fact]
    public void TheImportedNetworkAgreesWithOnnxRuntimeOnTheTestDigits()
    {
        using var folder = new TemporaryFolder();
        var run = Example.Run("ImportedModel", "--quick", "--output", folder.Path);

        // The PyTorch model is 99.4% right on all 360 test digits; the first 60 are all right but one at most.
        Assert.InRange(run.TestAccuracy(), 98.0, 100.0);
        Assert.Contains("CnnGen and ONNX Runtime agree on 60 of 60 predictions", run.Output);
        Assert.Contains("Network: DigitsResNet (channels_first)", run.Output);
        var lines = File.ReadAllLines(folder.File("predictions.csv"));
        Assert.Equal("label,cnngen,onnxruntime,largest_score_difference", lines[0]);
        Assert.Equal(61, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.InRange(float.Parse(line.Split(',')[3], CultureInfo.InvariantCulture), 0f, 1e-4f));
    }
}
