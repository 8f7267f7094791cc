namespace CnnGen.Tests.Networks;

// Shapes the ONNX exporter maps differently from the others (see OnnxExportTests).

/// <summary>A vector input: no feature map anywhere, so no Transpose; an Activation layer of its own; a Dense without bias.</summary>
[Network]
[Input(6)]
[Dense(5, Activation = Activation.Elu)]
[Activation(Activation.Softmax)]
[Dense(3, UseBias = false, Activation = Activation.LeakyRelu)]
public partial class VectorNet;

/// <summary>A channels-last feature map as output: softmax over the channels inside the graph, then a Transpose back to (h, w, c).</summary>
[Network]
[Input(5, 6, 3)]
[Conv2D(4, 2, 3, Strides = new[] { 2, 1 }, Padding = Padding.Same, Activation = Activation.Softmax)]
[AvgPool2D(2, Padding = Padding.Same)]
public partial class FeatureMapNet;
