using CnnGen.Examples.Tests.Infrastructure;

namespace CnnGen.Examples.Tests;

[Collection(ExampleCollection.Name)]
public class Signal1DExampleTests
{
    [Fact]
    public void QuickModeWritesItsPlotsAndPrintsAnAccuracy()
    {
        using var folder = new TemporaryFolder();
        var run = Example.Run("Signal1D", "--quick", "--output", folder.Path);

        run.TestAccuracy();
        Assert.Contains("Network: SignalNet", run.Output);
        Png.AssertValid(folder.File("signals.png"));
        Png.AssertValid(folder.File("first-layer-filters.png"));
    }
}
