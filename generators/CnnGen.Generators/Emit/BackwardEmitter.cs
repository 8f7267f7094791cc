using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>The public Backward methods and the per-layer backward kernels of a network.</summary>
internal static class BackwardEmitter
{
    public static void Emit(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient) => throw new global::System.NotSupportedException();");
        writer.Line("public void Backward(global::System.ReadOnlySpan<float> outputGradient, global::System.Span<float> inputGradient, " + NetworkEmitter.Runtime + "Workspace workspace, global::System.Span<float> parameterGradients) => throw new global::System.NotSupportedException();");
    }
}
