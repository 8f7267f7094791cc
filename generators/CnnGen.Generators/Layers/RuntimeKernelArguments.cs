using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;

namespace CnnGen.Generators.Layers;

/// <summary>Arguments of the runtime kernels that some families call (batch normalisation, dropout), printed the same way.</summary>
internal static class RuntimeKernelArguments
{
    /// <summary>"new TensorRows(sample stride, offset, rows, row stride)" of a tensor: where its rows sit in the workspace.</summary>
    public static string Rows(TensorLayout layout) =>
        "new " + Emit.FrameworkNames.Kernels + "TensorRows(" + NetworkEmitter.Numbers(layout.StoredSize, layout.InteriorOffset, layout.Height, layout.RowStride) + ")";
}
