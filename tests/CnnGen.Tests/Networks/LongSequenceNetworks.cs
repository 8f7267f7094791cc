using CnnGen;

namespace CnnGen.Tests.Networks;

/// <summary>
/// A long one-channel sequence (audio): the first convolution is vectorised over positions, and
/// its 1,203-position rows are loops over whole position vectors, not one call per vector (the
/// generated code once grew with the length and was refused past about 300,000 samples).
/// </summary>
[Network]
[Input(1203, 1)]
[Conv1D(4, 5, Padding = Padding.Same, Activation = Activation.Relu)]
[Conv1D(3, 3, Stride = 4)]
[GlobalAvgPool]
[Dense(2)]
public partial class LongSequenceNet;
