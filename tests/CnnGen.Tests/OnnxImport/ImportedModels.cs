using System.Reflection;
using CnnGen.Generators.Tests.Infrastructure;
using CnnGen.Onnx;
using CnnGen.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CnnGen.Tests.OnnxImport;

/// <summary>
/// The models of Data/onnx (exported from PyTorch by make_models.py) imported, compiled with the
/// generator at test time (all in one compilation) and run next to ONNX Runtime.
/// </summary>
internal static class ImportedModels
{
    public const string Namespace = "Imported";

    /// <summary>Each model that maps today: file, --input-shape (for symbolic sizes), class name.</summary>
    public static readonly (string File, int[]? InputShape, string Name)[] All =
    [
        ("lenet.onnx", null, "LeNet"),
        ("conv1d_stack.onnx", null, "Conv1dStack"),
        ("strided_same.onnx", null, "StridedSame"),
        ("vector_mlp.onnx", null, "VectorMlp"),
        ("global_max.onnx", null, "GlobalMax"),
        ("dynamic_spatial.onnx", [3, 20, 24], "DynamicSpatial20x24"),
        ("dynamic_spatial.onnx", [3, 9, 14], "DynamicSpatial9x14"),
        ("conv1d_stack_opset9.onnx", null, "Conv1dStackOpset9"),
        ("strided_same_opset9.onnx", null, "StridedSameOpset9"),
        ("depthwise.onnx", null, "Depthwise"),
        ("depthwise1d.onnx", null, "Depthwise1d"),
        ("ceil_mode.onnx", null, "CeilMode"),
        ("avg_pool_padding.onnx", null, "AvgPoolPadding"),
        ("stride2_even.onnx", null, "StrideTwoEven"),
        ("hard_activations.onnx", null, "HardActivations"),
        ("hard_activations_opset13.onnx", null, "HardActivationsOpset13"),
        ("residual.onnx", null, "Residual"),
        ("batch_norm.onnx", null, "BatchNorm"),
        ("batch_norm_layers.onnx", null, "BatchNormLayers"),
        ("resnet_blocks.onnx", null, "ResNetBlocks"),
        ("mobilenet_v2_blocks.onnx", null, "MobileNetV2Blocks"),
        ("mobilenet_v3_blocks.onnx", null, "MobileNetV3Blocks"),
        ("efficientnet_blocks.onnx", null, "EfficientNetBlocks"),
        ("fire_modules.onnx", null, "FireModules"),
        ("unet_like.onnx", null, "UNetLike"),
        ("resampling.onnx", null, "Resampling"),
        ("resampling1d.onnx", null, "Resampling1d"),
        ("grouped_conv.onnx", null, "GroupedConv"),
        ("grouped_block.onnx", null, "GroupedBlock"),
        ("resnext_block.onnx", null, "ResNeXtBlock"),
        ("grouped_conv1d.onnx", null, "GroupedConv1d"),
        ("conv_transpose.onnx", null, "Transposed"),
        ("unet_transposed.onnx", null, "UNetTransposed"),
        ("conv_transpose_padded.onnx", null, "TransposedPadded"),
        ("conv_transpose1d.onnx", null, "Transposed1d"),
        ("conv_transpose1d_short.onnx", null, "TransposedShort1d"),
    ];

    private static readonly Lazy<(Dictionary<string, ImportedNetwork> Networks, Assembly Assembly)> Compiled = new(() =>
    {
        var networks = All.ToDictionary(model => model.Name, model => Import(model.File, model.InputShape, model.Name));
        var run = GeneratorHarness.Run([string.Empty], [.. networks.Values.Select(n => (n.DeclarationFileName(ImportFormat.Cnn), n.ToCnn()))]);
        Assert.Empty(run.CnnDiagnostics);
        Assert.Empty(run.BuildErrors);
        return (networks, run.Load());
    });

    /// <summary>A model of Data/onnx by its file name, or any model by its full path.</summary>
    public static string DataPath(string file) => Path.IsPathRooted(file) ? file : Path.Combine(AppContext.BaseDirectory, "Data", "onnx", file);

    public static ImportedNetwork Import(string file, int[]? inputShape = null, string? name = null) =>
        OnnxImporter.Import(DataPath(file), new OnnxImportOptions { Name = name, Namespace = Namespace, InputShape = inputShape });

    public static ImportedNetwork Imported(string name) => Compiled.Value.Networks[name];

    /// <summary>A new instance of the generated class (weights not loaded).</summary>
    public static INetwork Create(string name) =>
        (INetwork)Activator.CreateInstance(Compiled.Value.Assembly.GetType(Namespace + "." + name, throwOnError: true)!)!;

    /// <summary>
    /// ONNX Runtime's output for <paramref name="batch"/> samples: in one run when the model's
    /// batch dimension is symbolic, else one sample at a time.
    /// </summary>
    public static float[] RunOnnxRuntime(string file, float[] input, int[] sampleShape, int batch)
    {
        using var session = new InferenceSession(DataPath(file));
        var name = session.InputMetadata.Keys.Single();
        var fixedBatch = session.InputMetadata[name].Dimensions[0];
        var perRun = fixedBatch > 0 ? fixedBatch : batch;
        var sampleSize = sampleShape.Aggregate(1, (a, b) => a * b);
        var outputs = new List<float>();
        for (var start = 0; start < batch; start += perRun)
        {
            var tensor = new DenseTensor<float>(input.AsMemory(start * sampleSize, perRun * sampleSize), [perRun, .. sampleShape]);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(name, tensor)]);
            outputs.AddRange(results.Single().AsTensor<float>().ToArray());
        }

        return outputs.ToArray();
    }

    /// <summary>The accuracy rule of docs/testing.md for imported models (Numerics.AssertWithinModelTolerance), against ONNX Runtime.</summary>
    public static double AssertClose(float[] expected, float[] actual, string what) =>
        Numerics.AssertWithinModelTolerance(expected.Select(v => (double)v).ToArray(), actual, what, "ONNX Runtime");
}
