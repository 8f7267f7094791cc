using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CnnGen.Kernels;
using CnnGen.Tests.Infrastructure;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests;

/// <summary>
/// The workspace and the packed weights are read from a 64-byte boundary, so that vectors do not
/// straddle cache lines; since that start depends on the address, the memory must never move:
/// data Forward wrote at one aligned start must be where Backward (or the next Forward) looks.
/// </summary>
[Collection(nameof(AllocationTests))]
public class AlignedMemoryTests
{
    private static long Address(ref float value) => (long)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref value);

    [Fact]
    public void StartIsTheFirstCacheLineBoundaryWithinTheSlack()
    {
        var array = new float[64];
        for (var skip = 0; skip < 32; skip++)
        {
            ref var first = ref array[skip];
            ref var start = ref AlignedMemory.Start(ref first);
            var moved = Address(ref start) - Address(ref first);
            Assert.Equal(0, Address(ref start) % AlignedMemory.Bytes);
            Assert.InRange(moved, 0, (AlignedMemory.SlackFloats - 1) * sizeof(float));
        }
    }

    [Fact]
    public void OriginPutsTheGivenIndexOnACacheLineWithinTheSlack()
    {
        var array = AlignedMemory.Allocate(100);
        for (var index = 0; index < 40; index++)
        {
            var origin = AlignedMemory.Origin(array, index);
            Assert.InRange(origin, 0, AlignedMemory.SlackFloats - 1);
            Assert.Equal(0, Address(ref array[origin + index]) % AlignedMemory.Bytes);
        }
    }

    [Fact]
    public void TheLargestKernelStartsOnACacheLineAndTheViewsShareTheParameters()
    {
        // LeNet-5's largest kernel is dense_1's (400 x 120 floats, parameter 2572 on). Its rows are
        // read in place, a vector at a time, so the network keeps its parameters where that kernel
        // starts on a line; Parameters and the layer views must still be one and the same memory.
        var network = new LeNet5(seed: 1);
        Assert.Equal(LeNet5.ParameterCount, network.Parameters.Length);
        Assert.Equal(2572, network.Dense1.Offset);
        Assert.Equal(0, Address(ref network.Parameters[network.Dense1.Offset]) % AlignedMemory.Bytes);
        Assert.Equal(Address(ref network.Parameters[network.Dense1.Offset]), Address(ref network.Dense1.Kernel[0]));
        Assert.Equal(Address(ref network.Parameters[network.Dense1.Offset + 48000]), Address(ref network.Dense1.Bias[0]));
        Assert.Equal(Address(ref network.Parameters[0]), Address(ref network.Conv2d1.Kernel[0]));
        network.Dense3.Bias[9] = 0.5f;
        Assert.Equal(0.5f, network.Parameters[LeNet5.ParameterCount - 1]);
        Churn();
        Assert.Equal(0, Address(ref network.Parameters[network.Dense1.Offset]) % AlignedMemory.Bytes);
    }

    [Fact]
    public void AllocatedArraysHaveTheSlackAndNeverMove()
    {
        var before = AlignedMemory.Allocate(1000);
        Assert.Equal(1000 + AlignedMemory.SlackFloats, before.Length);
        Assert.All(before, value => Assert.Equal(0f, value));
        var address = Address(ref MemoryMarshal.GetArrayDataReference(before));
        Churn();
        Assert.Equal(address, Address(ref MemoryMarshal.GetArrayDataReference(before)));
        Assert.Equal(0, Address(ref AlignedMemory.Start(before)) % AlignedMemory.Bytes);
    }

    [Fact]
    public void AWorkspaceStaysPutBetweenForwardAndBackward()
    {
        // A small network's workspace (under 85 KB) lives where the collector compacts: allocated
        // behind garbage, an ordinary array would move at the next compacting collection, and
        // Backward would read the tensors Forward wrote from a differently aligned start.
        INetwork network = new DigitNet(seed: 3);
        var input = Numerics.Random(2 * network.InputSize, seed: 4);
        var outputGradient = Numerics.Random(2 * network.OutputSize, seed: 5);
        var expected = Gradients(new DigitNet(seed: 3), input, outputGradient, collectBetween: false);

        var garbage = new object[2000];
        for (var i = 0; i < garbage.Length; i++)
        {
            garbage[i] = new float[8];
        }

        var workspace = network.CreateWorkspace();
        var output = new float[2 * network.OutputSize];
        network.Forward(input, output, 2, workspace);
        var address = Address(ref MemoryMarshal.GetArrayDataReference(workspace.Buffer));
        garbage = null;
        Churn();
        Assert.Equal(address, Address(ref MemoryMarshal.GetArrayDataReference(workspace.Buffer)));
        Assert.Equal(0, Address(ref AlignedMemory.Start(workspace.Buffer)) % AlignedMemory.Bytes);
        GC.KeepAlive(garbage);

        var inputGradient = new float[input.Length];
        var parameterGradients = new float[network.ParameterCount];
        network.Backward(outputGradient, inputGradient, workspace, parameterGradients);
        Assert.Equal(expected.Input, inputGradient);
        Assert.Equal(expected.Parameters, parameterGradients);
    }

    private static (float[] Input, float[] Parameters) Gradients(INetwork network, float[] input, float[] outputGradient, bool collectBetween)
    {
        var output = new float[outputGradient.Length];
        var workspace = network.CreateWorkspace();
        network.Forward(input, output, 2, workspace);
        if (collectBetween)
        {
            Churn();
        }

        var inputGradient = new float[input.Length];
        var parameterGradients = new float[network.ParameterCount];
        network.Backward(outputGradient, inputGradient, workspace, parameterGradients);
        return (inputGradient, parameterGradients);
    }

    private static void Churn()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
