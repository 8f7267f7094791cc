using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// How the calls on a packed block of weights prefetch the next block (see
/// <see cref="BlockedKernel.PrefetchDivisor"/>): the first <paramref name="Parts"/> calls (rows,
/// or blocks of <paramref name="RowsPerCall"/> rows) each prefetch <paramref name="PartFloats"/>
/// floats of it, <paramref name="LinesPerTap"/> lines per tap of the kernel.
/// </summary>
internal readonly record struct SlicePrefetch(int Parts, int LinesPerTap, int PartFloats, int RowsPerCall)
{
    /// <summary>
    /// The prefetch of a layer that packs every filter group's slice at once, whose blocks hold
    /// <paramref name="blockFloats"/> floats of <paramref name="packedFilters"/> filters a tap. A tap
    /// reads <see cref="BlockedKernel.PrefetchLines"/> lines; as many calls as there are lines
    /// share the next block, one line a tap each, when the block has that many row calls; fewer
    /// calls (a short map in one block of rows) take more lines a tap each, so the next block is
    /// always prefetched whole.
    /// </summary>
    public static SlicePrefetch For(LayerModel layer, KernelPlan plan, int packedFilters, int blockFloats)
    {
        var lines = BlockedKernel.PrefetchLines(packedFilters);
        var rowsPerCall = plan.Scheme == KernelScheme.MultiRowBlocks ? plan.Rows / layer.Output.Width : 1;
        var calls = System.Math.Max(1, layer.Output.Height / rowsPerCall);
        var parts = lines;
        while (parts > 1 && (parts > calls || lines % parts != 0))
        {
            parts--;
        }

        return new SlicePrefetch(parts, lines / parts, blockFloats / parts, rowsPerCall);
    }
}
