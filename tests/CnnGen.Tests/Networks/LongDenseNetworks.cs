using CnnGen;

namespace CnnGen.Tests.Networks;

/// <summary>
/// A dense layer over 3,528 inputs (a 21x7x24 tensor flattened), which the generated code sums
/// in 7 slices of 504 (DenseForwardEmitter.SliceLength), and one over 4,099, a prime, which it
/// sums in 8 slices of 512 and a last one of 3.
/// </summary>
[Network]
[Input(21, 7, 24)]
[Flatten]
[Dense(33, Activation = Activation.Tanh)]
public partial class LongDenseNet;

/// <summary>4,099 inputs, a prime: slices of 512 and a shorter last one.</summary>
[Network]
[Input(4099)]
[Dense(17, UseBias = false)]
public partial class PrimeDenseNet;

/// <summary>
/// A 2.1 MB kernel, which a single sample reads row by row (DenseRowStreamEmitter): 4,099
/// inputs in slices of 512 and a last one of 3, 130 units (a last vector that overlaps the one
/// before at every width), bias and a fused relu.
/// </summary>
[Network]
[Input(4099)]
[Dense(130, Activation = Activation.Relu)]
public partial class StreamedDenseNet;

/// <summary>
/// A 1.1 MB kernel summed whole (900 inputs) into 301 units without bias, with a batch norm
/// folded into the streamed stores and a leaky relu after it.
/// </summary>
[Network]
[Input(900)]
[Dense(301, UseBias = false)]
[BatchNormalization]
[Activation(Activation.LeakyRelu)]
public partial class StreamedFoldedDenseNet;

/// <summary>
/// Two equal dense layers of 1.4 MB kernels, which run one layer's generated code (shared
/// kernels), each streamed for a single sample: PackWeights keeps each kernel at its own place.
/// </summary>
[Network]
[Input(600)]
[Dense(600, Activation = Activation.Tanh)]
[Dense(600, Activation = Activation.Tanh)]
[Dense(3)]
public partial class SharedStreamedDenseNet;
