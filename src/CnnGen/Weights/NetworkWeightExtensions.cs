using System.Collections.Generic;

namespace CnnGen;

/// <summary>Weight files and imported weights as methods of any generated network.</summary>
public static class NetworkWeightExtensions
{
    /// <summary>Saves the weights to a CnnGen weight file (see <see cref="WeightFile.Save(INetwork, string)"/>).</summary>
    public static void SaveWeights(this INetwork network, string path) => WeightFile.Save(network, path);

    /// <summary>Loads the weights from a CnnGen weight file, checking it first (see <see cref="WeightFile.Load(INetwork, string)"/>).</summary>
    /// <exception cref="WeightFileException">The file is damaged or belongs to another architecture; the weights are unchanged.</exception>
    public static void LoadWeights(this INetwork network, string path) => WeightFile.Load(network, path);

    /// <summary>
    /// Imports a PyTorch state_dict from a .safetensors or .npz file, by position or through
    /// <paramref name="layerNames"/> (PyTorch module name -> CnnGen layer name); see <see cref="WeightImporter.ImportPyTorch"/>.
    /// </summary>
    /// <exception cref="WeightImportException">Tensors are missing, extra or of the wrong shape; the weights are unchanged.</exception>
    public static void ImportPyTorchWeights(this INetwork network, string path, IReadOnlyDictionary<string, string>? layerNames = null) =>
        WeightImporter.ImportPyTorch(network, path, layerNames);

    /// <summary>
    /// Imports Keras weights (get_weights() saved with numpy.savez) by position or through
    /// <paramref name="layerNames"/> (Keras layer name -> CnnGen layer name); see <see cref="WeightImporter.ImportKeras"/>.
    /// </summary>
    /// <exception cref="WeightImportException">Arrays are missing, extra or of the wrong shape; the weights are unchanged.</exception>
    public static void ImportKerasWeights(this INetwork network, string path, IReadOnlyDictionary<string, string>? layerNames = null) =>
        WeightImporter.ImportKeras(network, path, layerNames);
}
