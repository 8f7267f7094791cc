using System.Reflection;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;
using Xunit.Abstractions;

namespace CnnGen.Tests;

/// <summary>
/// One instance, several threads: with a workspace each, the results equal sequential ones bit
/// for bit; sharing one workspace (or the instance's own), a call that meets another gets an
/// InvalidOperationException naming the fix, never wrong numbers.
/// </summary>
public class ConcurrencyTests(ITestOutputHelper output)
{
    /// <summary>Successful calls per thread in the shared-instance tests (each refused call is retried).</summary>
    private const int Calls = 200;

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

    [Fact]
    public void ACallOnAWorkspaceInUseThrowsNamingTheFix()
    {
        var network = new DigitNet(seed: 1);
        var input = Numerics.Random(2 * DigitNet.InputSize, seed: 1);
        var expected = new float[20];
        network.Forward(input, expected, 2);

        // The workspace held as a call on another thread would hold it.
        var workspace = network.CreateWorkspace();
        workspace.Enter();
        var output = new float[20];
        var error = Assert.Throws<InvalidOperationException>(() => network.Forward(input, output, 2, workspace));
        Assert.Contains("Another Forward or Backward call of DigitNet is using this workspace right now", error.Message);
        Assert.Contains("network.CreateWorkspace()", error.Message);
        Assert.Contains("network.Forward(input, output, batchSize, workspace)", error.Message);
        Assert.Throws<InvalidOperationException>(() => network.Backward(new float[20], Span<float>.Empty, workspace, new float[DigitNet.ParameterCount]));
        Assert.All(output, v => Assert.Equal(0f, v));
        workspace.Exit();
        network.Forward(input, output, 2, workspace);
        Assert.Equal(expected, output);

        // The instance's own workspace (behind Forward(input, output)) is guarded the same way.
        var own = (Workspace)typeof(DigitNet).GetField("_workspace", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(network)!;
        own.Enter();
        Assert.Throws<InvalidOperationException>(() => network.Forward(input, output, 2));
        Assert.Throws<InvalidOperationException>(() => network.Backward(new float[20], Span<float>.Empty));
        own.Exit();
        network.Backward(new float[20], Span<float>.Empty);
    }

    [Fact]
    public void ACallThatThrowsReleasesTheWorkspace()
    {
        var network = new DigitNet(seed: 2);
        var workspace = network.CreateWorkspace();
        Assert.Throws<ArgumentException>(() => network.Forward(new float[63], new float[10], 1, workspace));
        Assert.Throws<InvalidOperationException>(() => network.Backward(new float[10], Span<float>.Empty, workspace, new float[DigitNet.ParameterCount]));
        network.Forward(new float[64], new float[10], 1, workspace);
        Assert.Throws<ArgumentException>(() => network.Backward(new float[9], Span<float>.Empty, workspace, new float[DigitNet.ParameterCount]));
        network.Backward(new float[10], Span<float>.Empty, workspace, new float[DigitNet.ParameterCount]);
    }

    [Fact]
    public void ThreadsSharingTheInstanceGetRightOutputsOrTheException()
    {
        // Without the guard, about one call in a thousand returned another thread's numbers.
        var network = new DigitNet(seed: 12);
        const int threads = 4;
        var inputs = Enumerable.Range(0, threads).Select(t => Numerics.Random(2 * DigitNet.InputSize, seed: 40 + t)).ToArray();
        var expected = inputs.Select(input =>
        {
            var result = new float[2 * DigitNet.OutputSize];
            new DigitNet(seed: 12).Forward(input, result, 2);
            return result;
        }).ToArray();

        int right = 0, refused = 0, wrong = 0;
        Run(threads, t =>
        {
            var result = new float[2 * DigitNet.OutputSize];
            for (var i = 0; i < Calls; i++)
            {
                try
                {
                    network.Forward(inputs[t], result, 2);
                }
                catch (InvalidOperationException)
                {
                    // Refused while another thread's call runs: try again, so that every thread's calls interleave.
                    Interlocked.Increment(ref refused);
                    Thread.Sleep(1);
                    i--;
                    continue;
                }

                Interlocked.Increment(ref result.AsSpan().SequenceEqual(expected[t]) ? ref right : ref wrong);
            }
        });
        output.WriteLine($"{right} right, {refused} refused, {wrong} wrong");
        Assert.Equal(0, wrong);
        Assert.Equal(threads * Calls, right);
    }

    [Fact]
    public void ThreadsSharingAWorkspaceGetRightGradientsOrTheException()
    {
        // Forward then Backward on one shared workspace, each thread with its own gradient buffers.
        // Every thread runs the same input, so whichever Forward a Backward follows, its numbers are known.
        var network = new DigitNet(seed: 13);
        var input = Numerics.Random(2 * DigitNet.InputSize, seed: 50);
        var outputGradient = Numerics.Random(2 * DigitNet.OutputSize, seed: 51);
        var reference = new DigitNet(seed: 13);
        reference.Forward(input, new float[2 * DigitNet.OutputSize], 2);
        var expectedInputGradient = new float[input.Length];
        reference.Backward(outputGradient, expectedInputGradient);
        var expectedGradients = reference.Gradients.ToArray();

        var workspace = network.CreateWorkspace();
        network.Forward(input, new float[2 * DigitNet.OutputSize], 2, workspace);
        int right = 0, refused = 0, wrong = 0;
        Run(4, t =>
        {
            var result = new float[2 * DigitNet.OutputSize];
            var inputGradient = new float[input.Length];
            var gradients = new float[DigitNet.ParameterCount];
            for (var i = 0; i < Calls; i++)
            {
                try
                {
                    if (i % 2 == 0)
                    {
                        network.Forward(input, result, 2, workspace);
                    }

                    network.Backward(outputGradient, inputGradient, workspace, gradients);
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref refused);
                    Thread.Sleep(1);
                    i--;
                    continue;
                }

                var same = inputGradient.AsSpan().SequenceEqual(expectedInputGradient) && gradients.AsSpan().SequenceEqual(expectedGradients);
                Interlocked.Increment(ref same ? ref right : ref wrong);
            }
        });
        output.WriteLine($"{right} right, {refused} refused, {wrong} wrong");
        Assert.Equal(0, wrong);
        Assert.Equal(4 * Calls, right);
    }

    /// <summary>Runs work(0..threads-1) on threads started together; an unexpected exception fails the test instead of the process.</summary>
    private static void Run(int threads, Action<int> work)
    {
        using var start = new Barrier(threads);
        Exception? failure = null;
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                work(t);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, exception, null);
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Null(failure);
    }
}
