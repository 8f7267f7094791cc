using System.Runtime.InteropServices;
using CnnGen.Tests.Networks;

namespace CnnGen.Tests.Weights;

/// <summary>
/// Batch normalisation's tensors from PyTorch (weight, bias, running_mean, running_var;
/// num_batches_tracked ignored) and Keras (gamma, beta, moving_mean, moving_variance): where
/// they land, and the problems listed when they do not fit, with nothing changed. The outputs
/// after import are checked against PyTorch in <see cref="WeightImportTests"/> (model "norm").
/// </summary>
public class BatchNormWeightImportTests
{
    private static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "Data", "Weights");

    [Fact]
    public void RunningStatisticsGoToTheStateAndGammaAndBetaToTheParameters()
    {
        var tensors = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "norm.safetensors")).ToDictionary(t => t.Name);
        Assert.Contains("bn1.num_batches_tracked", tensors.Keys);
        INetwork network = new TorchNormNet(3);
        network.ImportPyTorchWeights(Path.Combine(DataDirectory, "norm.safetensors"));

        var bn1 = network.Architecture.FindLayer("batch_norm_1")!;
        Assert.True(tensors["bn1.weight"].Values.Span.SequenceEqual(network.Parameters.Slice(bn1.ParameterOffset, 6)));
        Assert.True(tensors["bn1.bias"].Values.Span.SequenceEqual(network.Parameters.Slice(bn1.ParameterOffset + 6, 6)));
        Assert.True(tensors["bn1.running_mean"].Values.Span.SequenceEqual(network.State.Slice(bn1.StateOffset, 6)));
        Assert.True(tensors["bn1.running_var"].Values.Span.SequenceEqual(network.State.Slice(bn1.StateOffset + 6, 6)));

        // Without affine: no parameters, only state.
        var bn2 = network.Architecture.FindLayer("batch_norm_2")!;
        Assert.Equal(0, bn2.KernelLength + bn2.BiasLength);
        Assert.True(tensors["bn2.running_var"].Values.Span.SequenceEqual(network.State.Slice(bn2.StateOffset + 5, 5)));

        var bn3 = network.Architecture.FindLayer("batch_norm_3")!;
        Assert.True(tensors["bn3.running_mean"].Values.Span.SequenceEqual(network.State.Slice(bn3.StateOffset, 8)));
        Assert.Equal(2 * (6 + 5 + 8), network.StateCount);
    }

    [Fact]
    public void KerasArraysComeInGetWeightsOrder()
    {
        var arrays = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "norm_keras.npz"));
        // conv (1) + bn (4) + conv (2) + bn without scale and center (2) + dense (2) + bn (4) + dense (2).
        Assert.Equal(17, arrays.Count);
        INetwork network = new TorchNormNet(3);
        network.ImportKerasWeights(Path.Combine(DataDirectory, "norm_keras.npz"));
        var bn2 = network.Architecture.FindLayer("batch_norm_2")!;
        Assert.True(arrays[7].Values.Span.SequenceEqual(network.State.Slice(bn2.StateOffset, 5)));
        Assert.True(arrays[8].Values.Span.SequenceEqual(network.State.Slice(bn2.StateOffset + 5, 5)));

        var before = Snapshot(network);
        var exception = Assert.Throws<WeightImportException>(() =>
            WeightImporter.Import(network, arrays.Take(16).ToList(), new WeightImportOptions { Convention = WeightConvention.Keras }));
        Assert.Equal(["missing tensor 'get_weights()[16]' for the bias of Dense 'dense_2', expected shape (3,)"], exception.Problems);
        Assert.True(before.SequenceEqual(Snapshot(network)));
    }

    [Fact]
    public void TensorsThatDoNotFitAreAllListedAndNothingChanges()
    {
        var tensors = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "norm.safetensors")).ToList();
        INetwork network = new TorchNormNet(3);
        var before = Snapshot(network);

        // A gamma and beta for the layer without scale and center, a missing running_var, a negative variance, a misshapen mean.
        var broken = tensors.Where(t => t.Name != "bn3.running_var")
            .Select(t => t.Name switch
            {
                "bn1.running_var" => new WeightTensor(t.Name, t.Shape, t.Values.ToArray().Select((v, i) => i == 4 ? -0.5f : v).ToArray()),
                "bn1.running_mean" => new WeightTensor(t.Name, [7], new float[7]),
                _ => t,
            })
            .Append(new WeightTensor("bn2.weight", [5], new float[5]))
            .Append(new WeightTensor("bn2.bias", [5], new float[5]))
            .ToList();
        var modules = new Dictionary<string, string>
        {
            ["conv1"] = "conv2d_1", ["bn1"] = "batch_norm_1", ["conv2"] = "conv2d_2", ["bn2"] = "batch_norm_2",
            ["fc1"] = "dense_1", ["bn3"] = "batch_norm_3", ["fc2"] = "dense_2",
        };
        var exception = Assert.Throws<WeightImportException>(() => WeightImporter.Import(network, broken, new WeightImportOptions { LayerNames = modules }));
        Assert.Equal(
            [
                "extra tensor 'bn2.bias' (5,): BatchNormalization 'batch_norm_2' has no beta (Center = false)",
                "extra tensor 'bn2.weight' (5,): BatchNormalization 'batch_norm_2' has no gamma (Scale = false)",
                "missing tensor 'bn3.running_var' for the moving variance of BatchNormalization 'batch_norm_3', expected shape (8,)",
                "tensor 'bn1.running_mean' for the moving mean of BatchNormalization 'batch_norm_1' has shape (7,), expected (6,)",
                "tensor 'bn1.running_var' for the moving variance of BatchNormalization 'batch_norm_1' has -0.5 at channel 4; a variance is finite and not negative",
            ],
            exception.Problems.Order());
        Assert.True(before.SequenceEqual(Snapshot(network)), "A failed import changed the weights or the state.");
    }

    [Fact]
    public void AKerasNameMapFindsGammaBetaAndMovingStatistics()
    {
        var arrays = WeightImporter.ReadTensors(Path.Combine(DataDirectory, "norm_keras.npz"));
        string[] names =
        [
            "conv2d/kernel:0", "batch_normalization/gamma:0", "batch_normalization/beta:0", "batch_normalization/moving_mean:0",
            "batch_normalization/moving_variance:0", "conv2d_1/kernel:0", "conv2d_1/bias:0", "batch_normalization_1/moving_mean:0",
            "batch_normalization_1/moving_variance:0", "dense/kernel:0", "dense/bias:0", "batch_normalization_2/gamma:0",
            "batch_normalization_2/beta:0", "batch_normalization_2/moving_mean:0", "batch_normalization_2/moving_variance:0",
            "dense_1/kernel:0", "dense_1/bias:0",
        ];
        var named = arrays.Select((a, i) => new WeightTensor(names[i], a.Shape, a.Values.ToArray())).Reverse().ToList();
        var map = new Dictionary<string, string>
        {
            ["conv2d"] = "conv2d_1", ["batch_normalization"] = "batch_norm_1", ["conv2d_1"] = "conv2d_2", ["batch_normalization_1"] = "batch_norm_2",
            ["dense"] = "dense_1", ["batch_normalization_2"] = "batch_norm_3", ["dense_1"] = "dense_2",
        };
        INetwork byName = new TorchNormNet(3);
        WeightImporter.Import(byName, named, new WeightImportOptions { Convention = WeightConvention.Keras, LayerNames = map });
        INetwork byPosition = new TorchNormNet(5);
        WeightImporter.Import(byPosition, arrays, new WeightImportOptions { Convention = WeightConvention.Keras });
        Assert.True(Snapshot(byPosition).SequenceEqual(Snapshot(byName)));
    }

    private static byte[] Snapshot(INetwork network) =>
        [.. MemoryMarshal.AsBytes(network.Parameters), .. MemoryMarshal.AsBytes(network.State)];
}
