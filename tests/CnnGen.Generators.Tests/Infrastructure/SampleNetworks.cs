namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>Declarations shared by the snapshot and generated-code tests: each a small, complete user file.</summary>
internal static class SampleNetworks
{
    /// <summary>2-D, channels last, in a namespace: the classic LeNet-5 (61,706 parameters).</summary>
    public const string LeNet5 = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(28, 28, 1)]
        [Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Conv2D(16, 5, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(120, Activation = Activation.Relu)]
        [Dense(84, Activation = Activation.Relu)]
        [Dense(10, Activation = Activation.Softmax)]
        public partial class LeNet5;
        """;

    /// <summary>1-D, channels last, global namespace: causal dilated convolution, same pooling, global pooling.</summary>
    public const string Signal1D = """
        using CnnGen;

        [Network]
        [Input(128, 2)]
        [Conv1D(8, 5, Padding = Padding.Causal, Dilation = 2, Activation = Activation.Tanh)]
        [MaxPool1D(2)]
        [Conv1D(16, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Elu)]
        [AvgPool1D(3, Stride = 2, Padding = Padding.Same)]
        [GlobalMaxPool]
        [Dense(3, Activation = Activation.Softmax)]
        public partial class SignalNet;
        """;

    /// <summary>2-D, channels first: rectangular kernel, per-dimension strides and dilations, no bias.</summary>
    public const string ChannelsFirst = """
        using CnnGen;

        namespace Vision.Models;

        [Network(DataFormat = DataFormat.ChannelsFirst)]
        [Input(3, 16, 12)]
        [Conv2D(4, 3, 5, Strides = new[] { 2, 1 }, Padding = Padding.Same, UseBias = false)]
        [Conv2D(6, 3, Dilations = new[] { 1, 2 }, Activation = Activation.LeakyRelu)]
        [AvgPool2D(2, 3)]
        [Flatten]
        [Dense(5, Activation = Activation.Sigmoid)]
        [Output(5)]
        public partial class PlanarNet;
        """;

    /// <summary>1-D, channels first.</summary>
    public const string ChannelsFirst1D = """
        using CnnGen;

        namespace Audio;

        [Network(DataFormat = DataFormat.ChannelsFirst)]
        [Input(4, 64)]
        [Conv1D(8, 7, Stride = 2, Activation = Activation.Softplus)]
        [Activation(Activation.Silu)]
        [GlobalAvgPool]
        public partial class Wave;
        """;

    /// <summary>A network that takes its input from another: [Input(typeof(Encoder))].</summary>
    public const string Chained = """
        using CnnGen;

        namespace Chain;

        [Network]
        [Input(16, 16, 3)]
        [Conv2D(8, 3, Padding = Padding.Same, Activation = Activation.Relu)]
        [MaxPool2D(2)]
        public partial class Encoder;

        [Network]
        [Input(typeof(Encoder))]
        [Conv2D(4, 3, Stride = 2, Padding = Padding.Same)]
        [Flatten]
        [Dense(2)]
        public partial class Head;
        """;

    /// <summary>A network nested in a partial record inside a partial class, in a block namespace.</summary>
    public const string Nested = """
        using CnnGen;

        namespace Company.Product
        {
            public partial class Outer
            {
                internal partial record Models
                {
                    [Network]
                    [Input(10)]
                    [Dense(4, Activation = Activation.Tanh)]
                    [Dense(1)]
                    public partial class Regressor;
                }
            }
        }
        """;

    /// <summary>Custom layer names (and default names for the others).</summary>
    public const string CustomNames = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(12, 12, 1)]
        [Conv2D(4, 3, Name = "edges", Activation = Activation.Relu)]
        [MaxPool2D(2, Name = "downsample")]
        [Conv2D(8, 3, Name = "texture_detector")]
        [Conv2D(8, 1)]
        [GlobalAvgPool(Name = "squeeze")]
        [Dense(2, Name = "logits")]
        public partial class Named;
        """;

    /// <summary>A declaration with an error: only an empty partial class is generated.</summary>
    public const string Invalid = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(3, 3, 1)]
        [Conv2D(4, 5)]
        public partial class Broken;
        """;

    /// <summary>Zero padding and up-sampling, 2-D channels last and 1-D channels first, a 'same' convolution reading a padded output.</summary>
    public const string Resampling = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(5, 3, 2)]
        [ZeroPadding2D(1, 0, 2, 1)]
        [UpSampling2D(2, 3, Interpolation = Interpolation.Bilinear)]
        [Conv2D(4, 3, Padding = Padding.Same)]
        [UpSampling2D(2)]
        [Flatten]
        [Dense(2)]
        public partial class Resampler;

        [Network(DataFormat = DataFormat.ChannelsFirst)]
        [Input(3, 7)]
        [ZeroPadding1D(2)]
        [UpSampling1D(3, Interpolation = Interpolation.Bilinear)]
        [UpSampling1D(2)]
        [ZeroPadding1D(0, 1)]
        public partial class Stretcher;
        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        [nameof(Resampling)] = Resampling,
        [nameof(LeNet5)] = LeNet5,
        [nameof(Signal1D)] = Signal1D,
        [nameof(ChannelsFirst)] = ChannelsFirst,
        [nameof(ChannelsFirst1D)] = ChannelsFirst1D,
        [nameof(Chained)] = Chained,
        [nameof(Nested)] = Nested,
        [nameof(CustomNames)] = CustomNames,
    };

    /// <summary>
    /// A graph, channels last: a projection block (a framed copy for the strided 1x1 shortcut),
    /// Add with relu, a broadcast gate, a concatenation, an Elu layer reading a tensor a merge
    /// also reads (its gradient added through the scratch), and a workspace for inference.
    /// </summary>
    public const string Graph = """
        using CnnGen;

        namespace Zoo;

        [Network]
        [Input(8, 8, 2)]
        [Conv2D(4, 3, Padding = Padding.Same, Activation = Activation.Relu, Name = "stem")]
        [Conv2D(8, 3, Stride = 2, Padding = Padding.Same, Activation = Activation.Relu)]
        [Conv2D(8, 1, Stride = 2, From = "stem", Name = "shortcut")]
        [Add("conv2d_2", "shortcut", Activation = Activation.Relu)]
        [GlobalAvgPool]
        [Dense(8, Activation = Activation.Sigmoid)]
        [Multiply("add_1", "dense_1")]
        [Activation(Activation.Elu, From = "add_1")]
        [Concatenate("multiply_1", "activation_1")]
        [MaxPool2D(2)]
        [Flatten]
        [Dense(3)]
        public partial class Residual;
        """;
}
