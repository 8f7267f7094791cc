using System.Reflection;
using CnnGen.Generators.Model;
using CnnGen.Generators.Shapes;
using CnnGen.Onnx;
using Google.Protobuf;
using Onnx;

namespace CnnGen.Tests.OnnxImport;

/// <summary>Mappings checked on the imported weights and names, without compiling: variants of the committed models.</summary>
public class OnnxImportMappingTests
{
    private static ModelProto Load(string file) => ModelProto.Parser.ParseFrom(File.ReadAllBytes(ImportedModels.DataPath(file)));

    private static ImportedNetwork Import(ModelProto model, string file, string name) =>
        OnnxImporter.Import(model.ToByteArray(), file, new OnnxImportOptions { Name = name, Namespace = ImportedModels.Namespace });

    [Fact]
    public void IdentityAndDropoutNodesAreDropped()
    {
        // An Identity passing a shared weight, an Identity and an inference-mode Dropout between layers.
        var model = Load("lenet.onnx");
        var nodes = model.Graph.Node;
        var conv = nodes.Single(n => n.Name == "/conv1/Conv");
        nodes.Insert(0, new NodeProto { Name = "/shared/Identity", OpType = "Identity", Input = { "conv1.weight" }, Output = { "shared_weight" } });
        conv.Input[1] = "shared_weight";
        var relu = nodes.Single(n => n.Name == "/Relu_2");
        var fc2 = nodes.Single(n => n.Name == "/fc2/Gemm");
        model.Graph.Initializer.Add(new TensorProto { Name = "ratio", DataType = (int)TensorProto.Types.DataType.Float, FloatData = { 0.5f } });
        model.Graph.Initializer.Add(new TensorProto { Name = "training", DataType = (int)TensorProto.Types.DataType.Bool, Int32Data = { 0 } });
        nodes.Insert(nodes.IndexOf(fc2), new NodeProto { Name = "/drop/Dropout", OpType = "Dropout", Input = { relu.Output[0], "ratio", "training" }, Output = { "dropped", "mask" } });
        nodes.Insert(nodes.IndexOf(fc2), new NodeProto { Name = "/same/Identity", OpType = "Identity", Input = { "dropped" }, Output = { "same" } });
        fc2.Input[0] = "same";

        var original = ImportedModels.Import("lenet.onnx", name: "LeNet");
        var imported = Import(model, "lenet.onnx", "LeNet");
        Assert.Equal(original.ToCnn(), imported.ToCnn());
        Assert.Equal(original.Parameters.ToArray(), imported.Parameters.ToArray());
        Assert.Equal(["/fc1/Gemm", "/Relu_2"], imported.Layers.Single(l => l.Name == "fc1").OnnxNodes);

        // In training mode a dropout is not the identity.
        model.Graph.Initializer.Single(i => i.Name == "training").Int32Data[0] = 1;
        var error = Assert.Throws<OnnxImportException>(() => Import(model, "lenet.onnx", "LeNet"));
        Assert.StartsWith("lenet.onnx: node '/drop/Dropout' (Dropout) is in training mode (training_mode true); export the model in eval mode (model.eval()); that needs dropout in training mode", error.Message);
    }

    [Fact]
    public void AGlobalPoolingAsTheOutputIsTheChannelVector()
    {
        // global_max.onnx cut after its GlobalMaxPool: ONNX's N x 6 x 1 x 1 is the network's 6 values.
        var model = Load("global_max.onnx");
        var output = model.Graph.Output[0];
        output.Name = "/gmp/GlobalMaxPool_output_0";
        output.Type.TensorType.Shape.Dim.Clear();
        output.Type.TensorType.Shape.Dim.Add([new() { DimParam = "batch" }, new() { DimValue = 6 }, new() { DimValue = 1 }, new() { DimValue = 1 }]);
        var imported = Import(model, "global_max.onnx", "Pooled");
        Assert.Equal(LayerKind.GlobalMaxPool, imported.Layers[^1].Kind);
        Assert.Equal([6], imported.OutputShape);
        Assert.EndsWith("    global_max_pool(name: gmp)\n}\n", imported.ToCnn());
    }

    [Fact]
    public void GemmAlphaBetaAndTransBBecomeTheDenseKernelAndBias()
    {
        // hidden: Gemm(x, W, b, transB = 1). As Gemm(x, W^T, b, alpha = 2, beta = 0.5, transB = 0) the layer's weights scale.
        var model = Load("vector_mlp.onnx");
        var gemm = model.Graph.Node.Single(n => n.Name == "/hidden/Gemm");
        var weight = model.Graph.Initializer.Single(i => i.Name == gemm.Input[1]);
        var (units, inputs) = ((int)weight.Dims[0], (int)weight.Dims[1]);
        var values = MemoryMarshalFloats(weight);
        var transposed = new float[values.Length];
        for (var u = 0; u < units; u++)
        {
            for (var i = 0; i < inputs; i++)
            {
                transposed[i * units + u] = values[u * inputs + i];
            }
        }

        weight.RawData = ByteString.CopyFrom(transposed.SelectMany(BitConverter.GetBytes).ToArray());
        weight.Dims[0] = inputs;
        weight.Dims[1] = units;
        gemm.Attribute.Single(a => a.Name == "transB").I = 0;
        gemm.Attribute.Single(a => a.Name == "alpha").F = 2f;
        gemm.Attribute.Single(a => a.Name == "beta").F = 0.5f;

        var original = ImportedModels.Import("vector_mlp.onnx", name: "VectorMlp").Layers.Single(l => l.Name == "hidden");
        var scaled = Import(model, "vector_mlp.onnx", "VectorMlp").Layers.Single(l => l.Name == "hidden");
        Assert.Equal(original.Kernel.ToArray().Select(w => 2 * w), scaled.Kernel.ToArray());
        Assert.Equal(original.Bias.ToArray().Select(b => 0.5f * b), scaled.Bias.ToArray());
        Assert.Equal([inputs, units], scaled.Info.KernelShape);
    }

    [Fact]
    public void ConvolutionKernelsAreInKerasLayout()
    {
        // conv1 of LeNet: ONNX (out 6, in 1, 5, 5) -> Keras (5, 5, in 1, out 6).
        var onnx = MemoryMarshalFloats(Load("lenet.onnx").Graph.Initializer.Single(i => i.Name == "conv1.weight"));
        var layer = ImportedModels.Import("lenet.onnx").Layers[0];
        Assert.Equal([5, 5, 1, 6], layer.Info.KernelShape);
        var keras = layer.Kernel.ToArray();
        for (var o = 0; o < 6; o++)
        {
            for (var y = 0; y < 5; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    Assert.Equal(onnx[(o * 5 + y) * 5 + x], keras[(y * 5 + x) * 6 + o]);
                }
            }
        }
    }

    [Fact]
    public void TransposedConvolutionKernelsAreInKerasLayout()
    {
        // ONNX (in 2, filters 3, k 2) -> Keras (k 2, filters 3, in 2); the bias as it is.
        var initializers = Load("conv_transpose1d_short.onnx").Graph.Initializer;
        var onnx = MemoryMarshalFloats(initializers.Single(i => i.Name == "gaps.weight"));
        var layer = ImportedModels.Import("conv_transpose1d_short.onnx").Layers.Single();
        Assert.Equal(LayerKind.Conv1DTranspose, layer.Info.Kind);
        Assert.Equal([2, 3, 2], layer.Info.KernelShape);
        var keras = layer.Kernel.ToArray();
        for (var i = 0; i < 2; i++)
        {
            for (var o = 0; o < 3; o++)
            {
                for (var t = 0; t < 2; t++)
                {
                    Assert.Equal(onnx[(i * 3 + o) * 2 + t], keras[(t * 3 + o) * 2 + i]);
                }
            }
        }

        Assert.Equal(MemoryMarshalFloats(initializers.Single(i => i.Name == "gaps.bias")), layer.Bias.ToArray());

        // 5 positions stretched by 3 with a 2-tap kernel: 14, no pads, no output padding.
        Assert.Equal([3, 14], layer.Info.OutputShape);
        Assert.Equal((3, 0, 0, 0), (layer.Info.StrideWidth, layer.Info.PadLeft, layer.Info.PadRight, layer.Info.OutputPaddingWidth));
    }

    [Fact]
    public void ABatchNormAfterATransposedConvolutionScalesItsFilters()
    {
        // conv_transpose_padded: ConvTranspose (3 -> 4 filters, 3x3), then BatchNormalization: the
        // filter is the second last index of the Keras kernel (3, 3, 4, 3).
        var initializers = Load("conv_transpose_padded.onnx").Graph.Initializer;
        float[] Tensor(string name) => MemoryMarshalFloats(initializers.Single(i => i.Name == name));
        var (weights, bias, gamma, beta, mean, variance) = (Tensor("up.weight"), Tensor("up.bias"), Tensor("bn.weight"), Tensor("bn.bias"), Tensor("bn.running_mean"), Tensor("bn.running_var"));
        var imported = ImportedModels.Import("conv_transpose_padded.onnx");
        var layer = imported.Layers[0];
        Assert.Equal(["/up/ConvTranspose", "/bn/BatchNormalization", "/Relu"], layer.OnnxNodes);
        Assert.Equal([3, 3, 4, 3], layer.Info.KernelShape);
        Assert.Equal((1, 1, 1, 1, 1, 1), (layer.Info.PadTop, layer.Info.PadBottom, layer.Info.PadLeft, layer.Info.PadRight, layer.Info.OutputPaddingHeight, layer.Info.OutputPaddingWidth));
        Assert.Equal([4, 10, 12], layer.Info.OutputShape);
        var kernel = layer.Kernel.ToArray();
        for (var o = 0; o < 4; o++)
        {
            var scale = gamma[o] / Math.Sqrt(variance[o] + 1e-5);
            Assert.Equal((bias[o] - mean[o]) * scale + beta[o], layer.Bias.Span[o], 1e-5);
            for (var i = 0; i < 3; i++)
            {
                for (var t = 0; t < 9; t++)
                {
                    Assert.Equal(weights[(i * 4 + o) * 9 + t] * scale, kernel[(t * 4 + o) * 3 + i], 1e-5);
                }
            }
        }

        Assert.DoesNotContain(imported.Layers, l => l.Info.Kind == LayerKind.BatchNormalization);
    }

    [Fact]
    public void TransposedConvolutionsReadLikeHandWrittenDeclarations()
    {
        // PyTorch's padding=1 with output_padding=1 is pad and output_padding; pads in one direction
        // only are pads; a kernel smaller than its stride with the output padding up to n * s is 'same'.
        Assert.EndsWith("""
            network TransposedPadded(input: 3x5x6, format: channels_first) {
                conv2d_transpose(4, kernel: 3, stride: 2, pad: 1, output_padding: 1, activation: relu, name: up)
                conv2d_transpose(2, kernel: 3x2, strides: 1x2, pads: 0x0x1x1, use_bias: false, name: wide)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Import("conv_transpose_padded.onnx", name: "TransposedPadded").ToCnn());
        Assert.Contains("""
            [Conv2DTranspose(4, 3, Stride = 2, Pad = 1, OutputPadding = 1, Activation = Activation.Relu, Name = "up")]
            [Conv2DTranspose(2, 3, 2, Strides = new[] { 1, 2 }, Pads = new[] { 0, 0, 1, 1 }, UseBias = false, Name = "wide")]
            """.Replace("\r\n", "\n"), ImportedModels.Import("conv_transpose_padded.onnx", name: "TransposedPadded").ToCSharp());
        Assert.EndsWith("""
            network Transposed1d(input: 3x7, format: channels_first) {
                conv1d_transpose(5, kernel: 3, stride: 2, dilation: 2, pad: 2, output_padding: 1, activation: tanh, name: dilated)
                conv1d_transpose(2, kernel: 2, stride: 3, padding: same, name: tripled)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Import("conv_transpose1d.onnx", name: "Transposed1d").ToCnn());
        Assert.EndsWith("""
            network UNetTransposed(input: 2x8x8, format: channels_first) {
                conv2d(4, kernel: 3, padding: same, activation: relu, name: enc)
                max_pool2d(2, name: pool)
                conv2d(8, kernel: 3, padding: same, activation: relu, name: mid)
                conv2d_transpose(4, kernel: 2, stride: 2, activation: relu, name: up)
                concatenate(enc, up)
                conv2d(3, kernel: 3, padding: same, name: dec)
            }

            """.Replace("\r\n", "\n"), ImportedModels.Import("unet_transposed.onnx", name: "UNetTransposed").ToCnn());

        var tripled = ImportedModels.Import("conv_transpose1d.onnx").Layers[1].Info;
        Assert.Equal((Padding.Same, 0, 0, 1, 42), (tripled.Padding, tripled.PadLeft, tripled.PadRight, tripled.OutputPaddingWidth, tripled.OutputShape[1]));
    }

    [Fact]
    public void AutoPadAndOutputShapeOfATransposedConvolutionBecomeItsPads()
    {
        // SAME_UPPER on the dilated layer (k' 5, stride 2, output padding 1): a crop of 4, 2 on each side, as its pads.
        var original = ImportedModels.Import("conv_transpose1d.onnx", name: "Transposed1d");
        var model = Load("conv_transpose1d.onnx");
        var dilated = model.Graph.Node.Single(n => n.Name == "/dilated/ConvTranspose");
        dilated.Attribute.Remove(dilated.Attribute.Single(a => a.Name == "pads"));
        dilated.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") });
        var imported = Import(model, "conv_transpose1d.onnx", "Transposed1d");
        Assert.Equal(original.ToCnn(), imported.ToCnn());
        Assert.Equal(original.Parameters.ToArray(), imported.Parameters.ToArray());

        // output_shape 12x22 on the wide layer (10x12 in, 3x2 kernel, strides 1x2): crops of 0 and 2, as its pads;
        // also written as the whole shape (N, C, H, W).
        var padded = ImportedModels.Import("conv_transpose_padded.onnx", name: "TransposedPadded");
        foreach (var shape in new long[][] { [12, 22], [1, 2, 12, 22] })
        {
            model = Load("conv_transpose_padded.onnx");
            var wide = model.Graph.Node.Single(n => n.Name == "/wide/ConvTranspose");
            wide.Attribute.Remove(wide.Attribute.Single(a => a.Name == "pads"));
            wide.Attribute.Add(new AttributeProto { Name = "output_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { shape } });
            Assert.Equal(padded.ToCnn(), Import(model, "conv_transpose_padded.onnx", "TransposedPadded").ToCnn());
        }
    }

    [Fact]
    public void LayerNamesComeFromNodeNamesMadeValidAndUnique()
    {
        LayerDraft Dense(string nodeName, string op = "Gemm")
        {
            var draft = new LayerDraft(LayerKind.Dense, [4], [4]) { Kernel = new float[16], KernelShape = [4, 4], Bias = new float[4] };
            draft.Nodes.Add(new NodeProto { Name = nodeName, OpType = op });
            return draft;
        }

        LayerDraft Flatten(string nodeName)
        {
            var draft = new LayerDraft(LayerKind.Flatten, [4, 2], [8]);
            draft.Nodes.Add(new NodeProto { Name = nodeName, OpType = "Flatten" });
            return draft;
        }

        var names = LayerNames.Assign(
        [
            Flatten("/Flatten"),                 // the operator's own name: the default, left out
            Dense("/features/features.0/Gemm"),  // the module: features.0 made valid
            Dense("Gemm_7"),                     // an older exporter's operator name: the default dense_2
            Dense("/dense_4/Gemm"),              // a module whose name is a later layer's default
            Dense(""),                           // no name: default dense_4, taken, so numbered and written
            Dense("/head/fc-out 1/Gemm"),        // characters C# names cannot have
            Dense("/0/Gemm"),                    // a digit first
            Dense("/parameters/Gemm"),           // its accessor would hide the generated Parameters
            Dense("/features/features_0/Gemm"),  // the same name as the second layer: the qualified name
            Dense("/a/b/features_0/Gemm"),       // taken again: the scope qualifies it
            Flatten("/input/Flatten"),           // 'input' names the network's input
            Dense("/Net/Gemm"),                  // accessor 'Net' is the class name
            Dense("/blocks/blocks.1/block/block.0/features_0/Gemm"),  // taken: PyTorch's repeated scopes are said once
        ], className: "Net");
        Assert.Equal(
        [
            ("flatten_1", false), ("features_0", true), ("dense_2", false), ("dense_4", true), ("dense_4_2", true), ("fc_out_1", true),
            ("layer_0", true), ("parameters_2", true), ("features_features_0", true), ("a_b_features_0", true), ("input_2", true), ("Net_2", true),
            ("blocks_1_block_0_features_0", true),
        ], names);
    }

    [Fact]
    public void TheAccessorRuleAndReservedNamesAreTheGenerators()
    {
        var reserved = (IEnumerable<string>)typeof(ShapeInference).GetField("ReservedAccessors", BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(reserved.Order(), LayerNames.ReservedAccessors.Order());
        foreach (var name in new[] { "conv2d_1", "features_0", "a_b", "x", "fc1", "Conv_2", "layer_0_1" })
        {
            Assert.Equal(NetworkNames.AccessorName(name), LayerNames.AccessorName(name));
            Assert.True(NetworkNames.IsValidLayerName(name));
        }
    }

    private static float[] MemoryMarshalFloats(TensorProto tensor) =>
        tensor.RawData.Length > 0
            ? Enumerable.Range(0, tensor.RawData.Length / 4).Select(i => BitConverter.ToSingle(tensor.RawData.Span.Slice(i * 4, 4))).ToArray()
            : tensor.FloatData.ToArray();
}
