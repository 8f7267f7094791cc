using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>One instance, several threads, a workspace each: the results equal sequential ones bit for bit.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void ThreadsWithTheirOwnWorkspacesShareOneInstance()
    {
        var network = new LeNet5(seed: 11);
        const int threads = 4;
        const int batch = 3;
        var inputs = Enumerable.Range(0, threads).Select(t => Numerics.Random(batch * LeNet5.InputSize, seed: t)).ToArray();
        var expected = inputs.Select(input =>
        {
            var output = new float[batch * LeNet5.OutputSize];
            network.Forward(input, output, batch);
            return output;
        }).ToArray();

        var failures = 0;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var workspace = network.CreateWorkspace();
            var output = new float[batch * LeNet5.OutputSize];
            for (var i = 0; i < 200; i++)
            {
                network.Forward(inputs[t], output, batch, workspace);
                if (!output.AsSpan().SequenceEqual(expected[t]))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Equal(0, failures);
    }
}
