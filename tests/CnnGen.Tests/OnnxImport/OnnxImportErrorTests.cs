using CnnGen.Onnx;
using Google.Protobuf;
using Onnx;

namespace CnnGen.Tests.OnnxImport;

/// <summary>
/// Every way an import can fail gives an <see cref="OnnxImportException"/> that names the node,
/// the operator and what is supported (and, for what comes with the new layers, says so), before
/// anything is written; damaged files never raise anything else.
/// </summary>
public class OnnxImportErrorTests
{
    private static OnnxImportException Fails(string file, int[]? inputShape = null) =>
        Assert.Throws<OnnxImportException>(() => ImportedModels.Import(file, inputShape));

    private static OnnxImportException Fails(byte[] model, string file = "model.onnx") =>
        Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(model, file));

    /// <summary>A committed model with one change.</summary>
    private static byte[] Mutate(string file, Action<ModelProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ImportedModels.DataPath(file)));
        change(model);
        return model.ToByteArray();
    }

    private static NodeProto Node(ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    [Fact]
    public void AnUnsupportedOperatorIsNamedWithTheOperatorsThatAre()
    {
        var error = Fails("selu.onnx");
        Assert.Equal(("/Selu", "Selu"), (error.NodeName, error.OperatorType));
        Assert.StartsWith("selu.onnx: node '/Selu' (Selu) is not supported: CnnGen has no layer for the operator Selu. Supported: Add, AveragePool, BatchNormalization, Clip, Concat, Conv, ConvTranspose, Div, Dropout, Elu, Erf, Flatten, Gelu, Gemm, ", error.Message);
        Assert.Contains("; and, on constants and shapes, ", error.Message);
    }

    [Fact]
    public void ATransposedConvolutionCnnGenCannotExpressNamesItsNodeAndWhy()
    {
        var grouped = Fails("conv_transpose_grouped.onnx");
        Assert.Equal(("/up/ConvTranspose", "ConvTranspose"), (grouped.NodeName, grouped.OperatorType));
        Assert.Equal("conv_transpose_grouped.onnx: node '/up/ConvTranspose' (ConvTranspose) has group 2; CnnGen's conv2d_transpose has one group (PyTorch's groups=1). " +
            "Split it into 2 transposed convolutions joined by a concatenate, or export it with groups=1.", grouped.Message);

        var outputPadding = Fails(Mutate("conv_transpose_padded.onnx", model =>
        {
            var attribute = Node(model, "/up/ConvTranspose").Attribute.Single(a => a.Name == "output_padding");
            attribute.Ints.Clear();
            attribute.Ints.Add([2, 1]);
        }), "conv_transpose_padded.onnx");
        Assert.Equal("conv_transpose_padded.onnx: node '/up/ConvTranspose' (ConvTranspose) has output_padding [2, 1] with strides [2, 2]; " +
            "CnnGen's output padding is less than the stride in each dimension (as PyTorch's with dilation 1).", outputPadding.Message);

        // An output_shape whose crop is odd: the ONNX specification and ONNX Runtime disagree on where the odd cell goes.
        var oddShape = Fails(Mutate("conv_transpose_padded.onnx", model =>
        {
            var node = Node(model, "/up/ConvTranspose");
            foreach (var name in new[] { "pads", "output_padding" })
            {
                node.Attribute.Remove(node.Attribute.Single(a => a.Name == name));
            }

            node.Attribute.Add(new AttributeProto { Name = "output_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 10, 12 } });
        }), "conv_transpose_padded.onnx");
        Assert.Equal("conv_transpose_padded.onnx: node '/up/ConvTranspose' (ConvTranspose) has output_shape [10, 12], which asks for 10 output cells in dimension 1 " +
            "from 5 input cells (kernel 3x3, stride 2x2): a total crop of 1, which is odd, and the ONNX specification and ONNX Runtime put its odd cell on different sides; " +
            "export the model with explicit pads and output_padding (PyTorch's padding and output_padding).", oddShape.Message);

        // SAME_UPPER with a kernel smaller than the stride: the output n * s is more than the full output.
        var negative = Fails(Mutate("conv_transpose1d_short.onnx", model =>
            Node(model, "/gaps/ConvTranspose").Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") })),
            "conv_transpose1d_short.onnx");
        Assert.Equal("conv_transpose1d_short.onnx: node '/gaps/ConvTranspose' (ConvTranspose) has auto_pad SAME_UPPER, which asks for 15 output cells in dimension 1 " +
            "from 5 input cells (kernel 2, stride 3): a total crop of -1, which is negative; " +
            "export the model with explicit pads and output_padding (PyTorch's padding and output_padding).", negative.Message);

        // Pads that leave nothing.
        var cropped = Fails(Mutate("conv_transpose1d_short.onnx", model =>
        {
            var pads = Node(model, "/gaps/ConvTranspose").Attribute.Single(a => a.Name == "pads");
            pads.Ints.Clear();
            pads.Ints.Add([7, 7]);
        }), "conv_transpose1d_short.onnx");
        Assert.Equal("conv_transpose1d_short.onnx: node '/gaps/ConvTranspose' (ConvTranspose) crops its 5-cell input's full output of 14 cells (dimension 1) by 7 before and 7 after; " +
            "nothing would be left.", cropped.Message);
    }

    [Fact]
    public void AnUnsupportedAttributeValueNamesTheValueAndWhatIsSupported()
    {
        var leaky = Fails("leaky_relu_default.onnx");
        Assert.Equal("leaky_relu_default.onnx: node '/act/LeakyRelu' (LeakyRelu) has alpha 0.01; CnnGen's leaky_relu has the slope 0.3 only (Keras's default). " +
            "Export with nn.LeakyReLU(0.3), or train with it.", leaky.Message);
        Assert.Equal("LeakyRelu", leaky.OperatorType);

        var elu = Fails(Mutate("conv1d_stack.onnx", model => Node(model, "/Elu").Attribute.Single(a => a.Name == "alpha").F = 0.5f), "conv1d_stack.onnx");
        Assert.Equal("conv1d_stack.onnx: node '/Elu' (Elu) has alpha 0.5; CnnGen's elu has alpha 1 only.", elu.Message);

        // Keras 2's hard sigmoid (ONNX's default alpha 0.2), and a Clip that is not relu6.
        var hardSigmoid = Fails(Mutate("hard_activations.onnx", model => Node(model, "/hardsigmoid/HardSigmoid").Attribute.Clear()), "hard_activations.onnx");
        Assert.Equal("hard_activations.onnx: node '/hardsigmoid/HardSigmoid' (HardSigmoid) has alpha 0.2 and beta 0.5 (ONNX's default alpha, Keras 2's hard sigmoid); " +
            "CnnGen's hard_sigmoid is relu6(x + 3) / 6, alpha 1/6 and beta 0.5 (PyTorch's nn.Hardsigmoid).", hardSigmoid.Message);
        var clip = Fails(Mutate("hard_activations.onnx", model => Node(model, "/relu6/Clip").Input.RemoveAt(2)), "hard_activations.onnx");
        Assert.Equal("hard_activations.onnx: node '/relu6/Clip' (Clip) clips to [0, none]; CnnGen maps Clip as relu6 only, Clip(x, 0, 6).", clip.Message);

        var softmax = Fails(Mutate("conv1d_stack.onnx", model => Node(model, "/Softmax").Attribute.Single(a => a.Name == "axis").I = 0), "conv1d_stack.onnx");
        Assert.Equal("conv1d_stack.onnx: node '/Softmax' (Softmax) takes the softmax over axis 0 of its N x 5 input; CnnGen's softmax is over the channel axis (1).", softmax.Message);

        var dilatedPool = Fails(Mutate("lenet.onnx", model =>
            Node(model, "/pool/MaxPool").Attribute.Add(new AttributeProto { Name = "dilations", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 2, 2 } })), "lenet.onnx");
        Assert.Equal("lenet.onnx: node '/pool/MaxPool' (MaxPool) has dilations [2, 2]; CnnGen's pooling is not dilated.", dilatedPool.Message);

        var reshape = Fails(Mutate("lenet.onnx", model =>
        {
            var shape = Node(model, "/Constant").Attribute.Single().T;
            shape.RawData = ByteString.Empty;
            shape.Dims.Clear();
            shape.Dims.Add(3);
            shape.Int64Data.Add([-1, 16, 25]);
        }), "lenet.onnx");
        Assert.Equal("lenet.onnx: node '/Reshape' (Reshape) reshapes its N x 16 x 5 x 5 input to (-1, 16, 25); CnnGen maps a Reshape to N x -1 (N x 400) only, " +
            "which flattens: torch.flatten(x, 1), x.view(x.size(0), -1) or x.view(-1, 400).", reshape.Message);

        // ShuffleNetV2's channel shuffle: named as such, not as a Reshape that does not flatten.
        var shuffle = Fails("channel_shuffle.onnx");
        Assert.Equal(("/Reshape", "Reshape"), (shuffle.NodeName, shuffle.OperatorType));
        Assert.Equal("channel_shuffle.onnx: node '/Reshape' (Reshape) reshapes its N x 16 x 4 x 4 input to (N, 2, 8, 4, 4) for a Transpose: a channel shuffle " +
            "(ShuffleNet's channel_shuffle: Reshape to N x groups x C/groups x H x W, Transpose of the two channel axes, Reshape back); " +
            "CnnGen has no layer that reorders channels.", shuffle.Message);
    }

    [Fact]
    public void BatchNormalizationInTrainingModeOrWithANegativeVarianceIsRefused()
    {
        var training = Fails(Mutate("batch_norm.onnx", model => Node(model, "/bn/BatchNormalization").Attribute.Add(
            new AttributeProto { Name = "training_mode", Type = AttributeProto.Types.AttributeType.Int, I = 1 })), "batch_norm.onnx");
        Assert.Equal("batch_norm.onnx: node '/bn/BatchNormalization' (BatchNormalization) normalises in training mode (it updates or outputs the running statistics); " +
            "export the model in inference mode (model.eval()).", training.Message);

        var negative = Fails(Mutate("batch_norm_layers.onnx", model =>
        {
            var variance = model.Graph.Initializer.Single(t => t.Name == "bn_in.running_var");
            var values = Enumerable.Range(0, 3).Select(i => BitConverter.ToSingle(variance.RawData.Span[(4 * i)..])).ToArray();
            values[1] = -0.5f;
            variance.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        }), "batch_norm_layers.onnx");
        Assert.Equal("batch_norm_layers.onnx: node '/bn_in/BatchNormalization' (BatchNormalization) has the variance -0.5 for channel 1; a variance is finite and at least 0.", negative.Message);
    }

    [Fact]
    public void ASymbolicSpatialSizeNeedsTheInputShape()
    {
        var error = Fails("dynamic_spatial.onnx");
        Assert.Equal("dynamic_spatial.onnx: the input 'input' is N x 3 x height x width: its height is symbolic ('height'). CnnGen generates code for fixed sizes; " +
            "give them without the batch dimension with --input-shape (e.g. --input-shape 3x224x224).", error.Message);
        Assert.Null(error.NodeName);

        Assert.Equal("lenet.onnx: the input 'input' is N x 1 x 28 x 28, but the input shape given is 1x32x32; --input-shape may only fill in the sizes the model leaves symbolic.",
            Fails("lenet.onnx", [1, 32, 32]).Message);
        Assert.Equal("lenet.onnx: the input 'input' is N x 1 x 28 x 28 (3 sizes after the batch), but the input shape given is 28x28 (2 sizes).",
            Fails("lenet.onnx", [28, 28]).Message);
        Assert.Throws<ArgumentException>(() => ImportedModels.Import("lenet.onnx", [1, 0, 28]));
    }

    [Fact]
    public void OneInputAndOneOutputOfFloats()
    {
        Assert.Equal("'two_outputs.onnx' has 2 graph outputs ('output0', 'output1'); a CnnGen network has one output. Export the model with one output (return one tensor from forward).",
            Fails("two_outputs.onnx").Message);

        var twoInputs = Mutate("lenet.onnx", model => model.Graph.Input.Add(new ValueInfoProto(model.Graph.Input[0]) { Name = "mask" }));
        Assert.Equal("'lenet.onnx' has 2 graph inputs ('input', 'mask'); a CnnGen network has one input.", Fails(twoInputs, "lenet.onnx").Message);

        var doubles = Mutate("lenet.onnx", model => model.Graph.Input[0].Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Double);
        Assert.Equal("lenet.onnx: the input 'input' holds Double values; CnnGen networks take float32.", Fails(doubles, "lenet.onnx").Message);
    }

    [Fact]
    public void CustomDomainsAndExternalWeightsAreRefused()
    {
        var custom = Fails(Mutate("lenet.onnx", model => Node(model, "/conv1/Conv").Domain = "com.microsoft"), "lenet.onnx");
        Assert.Equal("lenet.onnx: node '/conv1/Conv' (Conv) is an operator of the domain 'com.microsoft'; the importer maps the standard ONNX operators (ai.onnx).", custom.Message);

        var external = Fails(Mutate("lenet.onnx", model =>
            model.Graph.Initializer.Single(i => i.Name == "conv1.weight").DataLocation = TensorProto.Types.DataLocation.External), "lenet.onnx");
        Assert.StartsWith("The initializer 'conv1.weight' keeps its values in an external file, which the importer does not read.", external.Message);
    }

    [Fact]
    public void ACorruptOrTruncatedFileIsAClearError()
    {
        var lenet = File.ReadAllBytes(ImportedModels.DataPath("lenet.onnx"));
        Assert.Equal("'lenet.onnx' is empty; an ONNX model was expected.", Fails([], "lenet.onnx").Message);
        Assert.StartsWith($"'lenet.onnx' is not an ONNX model, or it is damaged or truncated ({lenet.Length / 2} bytes): ", Fails(lenet[..(lenet.Length / 2)], "lenet.onnx").Message);
        Assert.StartsWith("'notes.onnx' is not an ONNX model, or it is damaged or truncated (", Fails("# notes\nnot a model\n"u8.ToArray(), "notes.onnx").Message);

        var random = new byte[4096];
        new Random(5).NextBytes(random);
        Assert.Contains("'noise.onnx'", Fails(random, "noise.onnx").Message);
    }

    [Fact]
    public void EveryTruncationAndManyCorruptionsGiveAnImportErrorAndNothingElse()
    {
        var bytes = File.ReadAllBytes(ImportedModels.DataPath("global_max.onnx"));
        for (var length = 0; length < bytes.Length; length++)
        {
            // Cut after the last field of the graph the model may still be whole (doc strings, metadata): then it imports.
            ImportOrFailCleanly(bytes[..length], $"cut to {length} bytes");
        }

        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var damaged = bytes.ToArray();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            ImportOrFailCleanly(damaged, $"damage {i}");
        }
    }

    private static void ImportOrFailCleanly(byte[] model, string what)
    {
        try
        {
            OnnxImporter.Import(model, "global_max.onnx");
        }
        catch (OnnxImportException)
        {
        }
        catch (Exception exception)
        {
            Assert.Fail($"{what}: {exception}");
        }
    }
}
