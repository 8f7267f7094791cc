using System;
using System.ComponentModel;

namespace CnnGen.Kernels;

/// <summary>Argument checks of the generated entry points, with messages that give expected and actual sizes.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Guard
{
    /// <summary>Checks a batch size and the lengths of an input and an output span.</summary>
    public static void Spans(int inputLength, int outputLength, int batchSize, int inputSize, int outputSize, string inputShape, string outputShape,
        string inputName, string outputName)
    {
        if (batchSize < 1)
        {
            throw new ArgumentException($"The batch size must be at least 1, but it is {batchSize}.", nameof(batchSize));
        }

        var expectedInput = (long)batchSize * inputSize;
        if (inputLength != expectedInput)
        {
            throw new ArgumentException(
                $"{inputName} has {inputLength} floats, but a batch of {batchSize} needs {expectedInput} ({batchSize} x {inputShape} = {batchSize} x {inputSize}).",
                inputName);
        }

        var expectedOutput = (long)batchSize * outputSize;
        if (outputLength != expectedOutput && !(outputLength == 0 && outputName == "inputGradient"))
        {
            throw new ArgumentException(
                $"{outputName} has {outputLength} floats, but a batch of {batchSize} needs {expectedOutput} ({batchSize} x {outputShape} = {batchSize} x {outputSize}).",
                outputName);
        }
    }

    /// <summary>Checks that a workspace exists and belongs to the network.</summary>
    public static void Workspace(CnnGen.Workspace? workspace, Type network)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        workspace.CheckOwner(network);
    }

    /// <summary>Checks the length of a parameter-gradient span.</summary>
    public static void Gradients(int length, int parameterCount)
    {
        if (length != parameterCount)
        {
            throw new ArgumentException($"parameterGradients has {length} floats, but the network has {parameterCount} parameters.", "parameterGradients");
        }
    }

    /// <summary>Throws when Backward comes before any Forward on the workspace.</summary>
    public static void ForwardDone(CnnGen.Workspace workspace)
    {
        if (workspace.IsInferenceOnly)
        {
            throw new InvalidOperationException(
                $"This workspace of {workspace.Network.Name} was made for inference only (CreateInferenceWorkspace): its Forward keeps only the tensors later layers read, " +
                "and Backward needs them all. Run Forward and Backward on a workspace from CreateWorkspace().");
        }

        if (workspace.BatchSize < 1)
        {
            throw new InvalidOperationException("Backward needs the activations of a Forward call; call Forward on this workspace first.");
        }
    }
}
