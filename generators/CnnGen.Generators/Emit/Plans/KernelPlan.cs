namespace CnnGen.Generators.Emit.Plans;

/// <summary>How a kernel lays its work out in registers.</summary>
internal enum KernelScheme
{
    /// <summary>Blocks of output positions (or samples) times vectors of output channels; an input broadcast per row and tap.</summary>
    ChannelVectors,

    /// <summary>As <see cref="ChannelVectors"/>, a block spanning several whole output rows (rows shorter than the registers).</summary>
    MultiRowBlocks,

    /// <summary>As <see cref="ChannelVectors"/>, the whole reduction unrolled, one call per output row (a small layer).</summary>
    WholeRows,

    /// <summary>Vectors of consecutive output positions times filters (one input channel, fewer filters than lanes).</summary>
    PositionVectors,

    /// <summary>
    /// Dot products: each accumulator a vector of consecutive inputs of one output (a layer of 1 to 3
    /// outputs on many inputs), the lanes summed at the end; <see cref="KernelPlan.Vectors"/> counts
    /// the outputs and <see cref="KernelPlan.TapsPerStep"/> the accumulators each output's sum is split into.
    /// </summary>
    DotProducts,

    /// <summary>
    /// Kernel gradients of 1 to 3 filters: vectors of consecutive inputs times each output gradient
    /// broadcast; <see cref="KernelPlan.Rows"/> counts the vectors of a block and <see cref="KernelPlan.Vectors"/> the filters.
    /// </summary>
    InputVectors,

    /// <summary>
    /// Input gradients of one vector of (padded) input channels: the sums of a segment of an input
    /// row's positions in registers over every filter and every tap of a kernel row, each output
    /// gradient broadcast once for the kernel row; <see cref="KernelPlan.Rows"/> counts the sums of
    /// the longest segment and <see cref="KernelPlan.TapsPerStep"/> the kernel row's taps.
    /// </summary>
    RowGather,

    /// <summary>
    /// Input gradients of 4 to 15 input channels from filters in whole vectors: each input
    /// position's sum for a channel a dot product over vectors of the filters, gathered over every
    /// kernel row and tap that reaches it, the lanes summed at the end; <see cref="KernelPlan.Rows"/>
    /// counts the positions of a block, <see cref="KernelPlan.Vectors"/> the sums of a position
    /// (its channels) and <see cref="KernelPlan.TapsPerStep"/> a kernel row's taps.
    /// </summary>
    GatheredDots,

    /// <summary>Sums of outer products: rows of inputs broadcast times vectors of output gradients (kernel and bias gradients).</summary>
    OuterProducts,

    /// <summary>As <see cref="OuterProducts"/>, one sample at a time so that each stays in the cache (large layers).</summary>
    OuterProductsPerSample,

    /// <summary>Vectors of channels, one window or position at a time (pooling, memory-bound).</summary>
    ChannelSweep,

    /// <summary>
    /// Depthwise layers of fewer channels than a vector: each row of positions times channels
    /// swept as one run of floats, the weights tiled along the channels' period;
    /// <see cref="KernelPlan.Rows"/> counts the vectors of a block (the taps of a kernel-gradient
    /// pass) and <see cref="KernelPlan.Vectors"/> the vectors after which the phases repeat.
    /// </summary>
    RowRuns,
}

/// <summary>
/// The decisions behind one kernel of one layer at one vector width, made before any text is
/// written: the scheme and how many accumulators it keeps in registers. Plan tests read it;
/// the emitters print from it. Immutable and equatable.
/// </summary>
/// <param name="Kernel">Which kernel: "forward", "kernel gradient", "input gradient", "bias gradient", "backward".</param>
/// <param name="Width">The variant: V512, V256 or V128.</param>
/// <param name="Scheme">How the work is laid out.</param>
/// <param name="Lanes">Floats per vector of the accumulators (the variant's width, or narrower for few channels).</param>
/// <param name="Rows">Accumulator rows: output positions, samples or input rows of a block.</param>
/// <param name="Vectors">Accumulator vectors per row: channel vectors, or filters for <see cref="KernelScheme.PositionVectors"/>.</param>
/// <param name="TapsPerStep">Taps unrolled per step of the reduction (0 where the scheme has none).</param>
/// <param name="ChannelSlices">
/// Slices of the input channels the reduction runs in, one after the other over every output
/// position, the partial sums kept in the output: 1 unless a filter group's weights are too
/// large for the L2 cache.
/// </param>
/// <param name="PacksEveryGroup">
/// With slices: each slice's weights are packed for every filter group at once, reading the
/// kernel row by row, and every group then runs on the slice (slices outside the groups);
/// otherwise each group packs its own weights for each slice (groups outside the slices).
/// </param>
/// <param name="StreamsSingleSamples">
/// Samples outside the blocks (a batch of 1) read the kernel row by row, in memory order, into
/// sums on the stack, instead of running the register-blocked kernel one group of output
/// channels at a time (dense kernels over 1 MB).
/// </param>
/// <param name="ChunkRows">
/// <see cref="KernelScheme.OuterProductsPerSample"/>: output rows each pass over the tap blocks
/// covers (0: the whole sample in one pass), so that a chunk's input and gradient stay in the L2
/// cache while every tap block streams them.
/// </param>
internal sealed record KernelPlan(string Kernel, string Width, KernelScheme Scheme, int Lanes, int Rows, int Vectors, int TapsPerStep = 0, int ChannelSlices = 1,
    bool PacksEveryGroup = false, bool StreamsSingleSamples = false, int ChunkRows = 0)
{
    /// <summary>Vector accumulators a block keeps in registers.</summary>
    public int Accumulators => Rows * Vectors;

    public override string ToString() =>
        Kernel + " " + Width + ": " + Scheme + ", " + Rows + " x " + Vectors + " vectors of " + Lanes + (TapsPerStep > 0 ? ", " + TapsPerStep + " taps per step" : string.Empty) +
        (ChannelSlices > 1 ? ", " + ChannelSlices + " input-channel slices" : string.Empty) + (PacksEveryGroup ? ", every group packed at once" : string.Empty) +
        (StreamsSingleSamples ? ", single samples stream the kernel's rows" : string.Empty) +
        (ChunkRows > 0 ? ", chunks of " + ChunkRows + " output rows" : string.Empty);
}
