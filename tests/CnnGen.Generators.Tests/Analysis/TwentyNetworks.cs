using System.Text;

namespace CnnGen.Generators.Tests.Analysis;

/// <summary>
/// One C# file declaring 20 networks of every sort (2-D, chained, 1-D, channels-first), one of
/// them with a shape error (CNN0103 on Net14): the workload of the analyzer's cost per edit.
/// </summary>
internal static class TwentyNetworks
{
    public const int Count = 20;

    public static readonly string Source = Build();

    private static string Build()
    {
        var source = new StringBuilder("using CnnGen;\n\nnamespace Zoo;\n");
        for (var i = 0; i < Count; i++)
        {
            source.Append('\n').Append((i % 4) switch
            {
                0 => $"""
                    [Network]
                    [Input(28, 28, 1)]
                    [Conv2D(6, 5, Padding = Padding.Same, Activation = Activation.Relu)]
                    [MaxPool2D(2)]
                    [Conv2D(16, 5, Activation = Activation.Relu)]
                    [MaxPool2D(2)]
                    [Flatten]
                    [Dense(120, Activation = Activation.Relu)]
                    [Dense(10, Activation = Activation.Softmax)]
                    public partial class Net{i};

                    """,
                1 => $"""
                    [Network]
                    [Input(typeof(Net{i - 1}))]
                    [Dense(32, Activation = Activation.Tanh)]
                    [Dense(5)]
                    public partial class Net{i};

                    """,
                2 => $"""
                    [Network]
                    [Input(64, 3)]
                    [Conv1D(8, 5, Dilation = 2, Padding = Padding.Causal, Activation = Activation.Relu)]
                    [MaxPool1D(2)]
                    [Conv1D(16, {(i == 14 ? 40 : 3)})]
                    [GlobalAvgPool]
                    [Dense(4)]
                    public partial class Net{i};

                    """,
                _ => $"""
                    [Network(DataFormat = DataFormat.ChannelsFirst)]
                    [Input(3, 32, 32)]
                    [Conv2D(8, 3, Stride = 2, Activation = Activation.Relu)]
                    [AvgPool2D(2)]
                    [Flatten]
                    [Dense(10)]
                    [Output(10)]
                    public partial class Net{i};

                    """,
            });
        }

        return source.ToString();
    }
}
