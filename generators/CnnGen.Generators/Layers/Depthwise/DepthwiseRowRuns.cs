using System.Collections.Generic;
using System.Linq;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// How a depthwise layer of fewer channels than the narrowest vector (1 to 3, a blur or an
/// edge detector on an RGB or grey image) is vectorised: each output row, channels-last, is
/// one run of W x C floats whose element j belongs to channel j mod C, and tap (kh, kw) reads
/// the same run of input row kh shifted kw x C floats on (with a stride of 2 along the row, the
/// run is every position at stride 1, half of them thrown away or zero in the gradients). So
/// the kernels sweep vectors of a run, with each tap's weights tiled along the period of the
/// channels (<c>K::PeriodicRuns.Tile</c>, on the stack once a call): a vector starting at
/// element j takes the tile from j mod C. A run not a multiple of the vector ends with one
/// shifted back to the run's end. Layers with a stride above 2 along the row or a depth
/// multiplier other than 1 (or whose runs do not fit at some width) run as grouped convolutions
/// instead (<see cref="DepthwiseConvolutionFamily.GroupedConvolution"/>).
/// </summary>
internal sealed class DepthwiseRowRuns
{
    /// <summary>The most floats the tiled weights and the input gradient's padded row take on the stack.</summary>
    public const int MaxStackFloats = DotProductKernel.MaxTransposedFloats;

    /// <summary>Taps times accumulators per position of the kernel gradient unrolled; more loop over the taps one at a time.</summary>
    public const int KernelGradientBudget = 96;

    private DepthwiseRowRuns(LayerModel layer, VectorIsa isa, int lanes)
    {
        Channels = layer.Input.Channels;
        Lanes = lanes;
        Ops = VectorOps.ForWidth(lanes);
        Stride = layer.StrideWidth;
        Positions = layer.Output.Width;
        Run = ((layer.Output.Width - 1) * Stride + 1) * Channels;
        Shift = layer.DilationWidth * Channels;
        Pad = (layer.KernelWidth - 1) * Shift;
        Tile = lanes + Channels - 1;
        Taps = layer.KernelHeight * layer.KernelWidth;
        Period = Channels / Gcd(lanes, Channels);
        var wide = isa.ForWidth(lanes).Registers > 16;
        Block = Period == 3 ? (wide ? 12 : 9) : wide ? 16 : 12;
        var passes = (Taps * Period + isa.ForWidth(lanes).Accumulators - 1) / isa.ForWidth(lanes).Accumulators;
        TapsPerPass = Taps * Period > KernelGradientBudget ? 0 : (Taps + passes - 1) / passes;
    }

    /// <summary>Input (and output) channels: the period of a run.</summary>
    public int Channels { get; }

    /// <summary>Floats per vector: the widest of 16, 8 and 4 that the variant has and the run holds.</summary>
    public int Lanes { get; }

    public VectorOps Ops { get; }

    /// <summary>
    /// Floats of a row swept as a run: the output positions times the channels, or with a stride
    /// along the row every position from the first window to the last at stride 1 (the forward
    /// keeps every stride-th, the gradients spread the output gradient over it with zeros between).
    /// </summary>
    public int Run { get; }

    /// <summary>The stride along the row.</summary>
    public int Stride { get; }

    /// <summary>Output positions of a row.</summary>
    public int Positions { get; }

    /// <summary>Floats between the inputs of two neighbouring taps of a kernel row.</summary>
    public int Shift { get; }

    /// <summary>Floats from the first tap of a kernel row to the last: the input gradient's padding each side of a row of output gradients.</summary>
    public int Pad { get; }

    /// <summary>Floats of a tap's tiled weights: a vector from any phase of the period.</summary>
    public int Tile { get; }

    public int Taps { get; }

    /// <summary>Vectors after which the phases repeat (3 for 3 channels, else 1): a block is a whole number of periods, so each block starts at channel 0.</summary>
    public int Period { get; }

    /// <summary>Vectors of a block of the forward and the input gradient.</summary>
    public int Block { get; }

    /// <summary>Taps whose sums a pass of the kernel gradient keeps in registers (0: one tap at a time, in loops).</summary>
    public int TapsPerPass { get; }

    /// <summary>The runs of a depthwise layer at a width, or null where it has enough channels for vectors of channels, or runs as a grouped convolution.</summary>
    public static DepthwiseRowRuns? For(LayerModel layer, VectorIsa isa)
    {
        if (layer.Input.Channels >= 4 || DepthwiseConvolutionFamily.Multiplier(layer) != 1 || layer.StrideWidth > MaxStride)
        {
            return null;
        }

        var run = ((layer.Output.Width - 1) * layer.StrideWidth + 1) * layer.Input.Channels;
        var lanes = new[] { 16, 8, 4 }.FirstOrDefault(l => l <= isa.MaxWidth && l <= run);
        if (lanes == 0)
        {
            return null;
        }

        var runs = new DepthwiseRowRuns(layer, isa, lanes);
        var tiles = (long)runs.Taps * runs.Tile + 3L * runs.Tile;
        return tiles <= MaxStackFloats && runs.Run + 2L * runs.Pad <= MaxStackFloats ? runs : null;
    }

    /// <summary>
    /// The largest stride along the row swept as a run at stride 1 (the work of every position in
    /// between is thrown away: twice the multiply-adds at stride 2; measured faster than the grouped convolution's blocks of floats).
    /// </summary>
    public const int MaxStride = 2;

    /// <summary>Whether the row runs at stride 1 in a stack row, every stride-th position kept (forward) or spread (gradients).</summary>
    public bool Strided => Stride > 1;

    /// <summary>Copies between a row of output positions and its stride-1 run: every stride-th position's channels.</summary>
    public void EmitSpread(SourceWriter writer, string positions, string run, bool toRun)
    {
        var (from, to) = toRun ? (positions, run) : (run, positions);
        var (fromStep, toStep) = toRun ? (Channels, Stride * Channels) : (Stride * Channels, Channels);
        using (writer.Open("for (int p = 0; p < " + Positions + "; p++)"))
        using (writer.Open("for (int c = 0; c < " + Channels + "; c++)"))
        {
            writer.Line(VectorOps.Element(to, CompactLoops.Sum(("p", toStep), ("c", 1))) + " = " + VectorOps.Element(from, CompactLoops.Sum(("p", fromStep), ("c", 1))) + ";");
        }
    }

    public KernelPlan ForwardPlan(VectorIsa isa) => new("forward", isa.Suffix, KernelScheme.RowRuns, Lanes, Block, Period);

    public KernelPlan KernelGradientPlan(VectorIsa isa) => new("kernel gradient", isa.Suffix, KernelScheme.RowRuns, Lanes, System.Math.Max(1, TapsPerPass), Period);

    public KernelPlan InputGradientPlan(VectorIsa isa) => new("input gradient", isa.Suffix, KernelScheme.RowRuns, Lanes, Block, Period);

    /// <summary>The vectors of a run of <paramref name="length"/> floats after <paramref name="start"/>: whole vectors, then one shifted back to end at the run's end.</summary>
    public List<int> Vectors(int start, int length)
    {
        var offsets = new List<int>();
        var end = start;
        for (; end + Lanes <= length; end += Lanes)
        {
            offsets.Add(end);
        }

        if (end < length)
        {
            offsets.Add(length - Lanes);
        }

        return offsets;
    }

    /// <summary>Whole blocks of a run of <paramref name="length"/> floats: the floats they cover.</summary>
    public int BlocksEnd(int length) => length / (Block * Lanes) * Block * Lanes;

    /// <summary>The lanes of the last vector of a run not yet counted by the vectors before it (a vector shifted back).</summary>
    public IEnumerable<bool> NewLanes(int length)
    {
        var counted = length / Lanes * Lanes - (length - Lanes);
        return Enumerable.Range(0, Lanes).Select(l => l >= counted);
    }

    /// <summary>Whether a run of <paramref name="length"/> floats ends with a vector shifted back over the one before.</summary>
    public bool EndsShiftedBack(int length) => length % Lanes != 0;

    /// <summary>
    /// Tiles each tap's weights (and, with <paramref name="withBias"/>, the bias, the folded
    /// normalisation's scales and shifts) onto the stack; the tiles are wt and bt.
    /// </summary>
    public void EmitTiles(SourceWriter writer, LayerModel layer, bool withBias)
    {
        var sections = !withBias ? 0 : layer.FoldsNormalization ? 3 : layer.UseBias ? 1 : 0;
        writer.Comment("Each tap's weights (per channel) repeated along a run of " + Tile + " floats: a vector from element j of a row takes them from j mod " + Channels + ".");
        StackBuffers.Declare(writer, "tiles", "wt", (Taps + sections) * Tile);
        writer.Line(FrameworkNames.Kernels + "PeriodicRuns.Tile(ref w, ref wt, " + Taps + ", " + Channels + ", " + Tile + ");");
        if (sections > 0)
        {
            writer.Line("ref float bt = ref " + FrameworkNames.Unsafe + ".Add(ref wt, " + Taps * Tile + ");");
            writer.Line(FrameworkNames.Kernels + "PeriodicRuns.Tile(ref b, ref bt, " + sections + ", " + Channels + ", " + Tile + ");");
        }
    }

    public string Describe() =>
        "rows as runs of floats (channel j mod " + Channels + " at element j), vectors of " + Lanes + " floats, blocks of " + Block + " vectors";

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
