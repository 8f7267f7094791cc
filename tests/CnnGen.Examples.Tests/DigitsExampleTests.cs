using CnnGen.Examples.Tests.Infrastructure;

namespace CnnGen.Examples.Tests;

[Collection(ExampleCollection.Name)]
public class DigitsExampleTests
{
    [Fact]
    public void QuickModeWritesItsPicturesAndWeightsAndPrintsAnAccuracy()
    {
        using var folder = new TemporaryFolder();
        var run = Example.Run("Digits", "--quick", "--output", folder.Path);

        run.TestAccuracy();
        Assert.Contains("Confusion matrix", run.Output);
        Png.AssertValid(folder.File("training-curves.png"));
        Png.AssertValid(folder.File("first-layer-kernels.png"));
        Assert.True(new FileInfo(folder.File("digits.cnnw")).Length > DigitsNetParameters * sizeof(float));
        Assert.Contains("outputs identical bit for bit", run.Output);
    }

    /// <summary>What a newcomer's first command does: `dotnet run --project examples/Digits` with no options.</summary>
    [Fact]
    public void DefaultsReachAtLeast97PercentTestAccuracy()
    {
        using var folder = new TemporaryFolder();
        var run = Example.Run("Digits", "--output", folder.Path);

        var accuracy = run.TestAccuracy();
        Assert.True(accuracy >= 97, $"Test accuracy {accuracy}% with the default options:\n{run.Output}");
        Assert.Contains("epoch 15/15", run.Output);
    }

    [Fact]
    public void RedirectedOutputGetsOnePlainLinePerEpochWithoutControlCodes()
    {
        using var folder = new TemporaryFolder();
        var run = Example.Run("Digits", "--epochs", "2", "--batch-size", "64", "--output", folder.Path);

        Assert.Contains("epoch 1/2", run.Output);
        Assert.Contains("epoch 2/2", run.Output);
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public void RejectsAZeroBatchSize()
    {
        var run = Example.Start("Digits", "--batch-size", "0");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--batch-size must be at least 1", run.Error + run.Output);
    }

    private const int DigitsNetParameters = 25_866;
}
