using System.Globalization;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Layers;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Emit;

/// <summary>
/// <c>PackWeights()</c> and <c>WeightsPacked</c>: deep convolutions pack each input-channel
/// slice of their kernel into the scratch on every Forward (the Keras layout keeps a filter
/// group's weights a row of filters apart), which is about a quarter of a 7x7x512 layer's time
/// at batch 1. PackWeights keeps every such kernel packed, so that Forward only reads it. Any
/// caller can write <c>Parameters</c>, so the pack is a snapshot the network drops as soon as
/// the weights are handed out again (<c>Weights()</c>).
/// </summary>
internal static class PackedWeightsEmitter
{
    /// <summary>Whether the members that hand out the weights drop the pack first (<c>Weights()</c>): not when the network packs nothing.</summary>
    public static bool Invalidates(WorkspacePlan plan) => plan.PackedKernelFloats > 0;

    public static void Emit(SourceWriter writer, NetworkModel network, WorkspacePlan plan)
    {
        var floats = plan.PackedKernelFloats;
        if (floats == 0)
        {
            writer.Summary("Does nothing: no layer of this network packs its kernel on every Forward. (A network with deep convolutions keeps\n" +
                "their kernels packed from this call on, for faster inference.)");
            writer.Line("public void PackWeights()");
            writer.Line("{");
            writer.Line("}");
            writer.Line();
            writer.Summary("Always false: this network has no kernels to pack (see PackWeights).");
            writer.Line("public bool WeightsPacked => false;");
            writer.Line();
            return;
        }

        var layers = 0;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            layers += plan.PackedKernelOffsets[i] >= 0 ? 1 : 0;
        }

        var megabytes = ((double)floats * sizeof(float) / (1024 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);
        writer.Line("private float[]? _packedWeights;");
        writer.Line("private float[]? _packedBuffer;");
        writer.Line("private bool _packingWeights;");
        writer.Line();
        writer.Comment("The weights for a caller that may write them: the pack no longer holds.");
        using (writer.Open("private float[] Weights()"))
        {
            writer.Line("_packedWeights = null;");
            writer.Line("return _parameters;");
        }

        writer.Line();
        writer.Summary("Packs the kernels of the " + (layers == 1 ? "layer that otherwise packs its kernel on every Forward or reads it" : LayerEmission.Number(layers) + " layers that otherwise pack theirs on every Forward or read them") +
            " a few cache lines a row\n(convolutions that run their input channels in slices, dense layers over 1 MB; " + megabytes + " MB), as Parameters " +
            "hold them now, so that Forward,\nin either mode and on any workspace, reads them packed instead. Reading Parameters or a " +
            "layer's weights again (through which\nthey could change) drops the pack, and Forward runs as before until the next " +
            "PackWeights: the numbers are the same either way.\nRuns one inference pass; not while another thread runs this network.");
        using (writer.Open("public void PackWeights()"))
        {
            writer.Line("_packedWeights = _packedBuffer ??= " + FrameworkNames.Kernels + "AlignedMemory.Allocate(" + LayerEmission.Number(floats) + ");");
            writer.Line("_packingWeights = true;");
            using (writer.Open("try"))
            {
                writer.Comment("Each layer writes its packed slices into _packedWeights as it runs: one pass on a sample of zeros packs them all.");
                writer.Line("ForwardCore(new float[InputSize], new float[OutputSize], 1, " + (plan.Inference is null ? "CreateWorkspace()" : "CreateInferenceWorkspace()") + ", false);");
            }

            using (writer.Open("catch"))
            {
                writer.Line("_packedWeights = null;");
                writer.Line("throw;");
            }

            using (writer.Open("finally"))
            {
                writer.Line("_packingWeights = false;");
            }
        }

        writer.Line();
        writer.Summary("True while Forward reads the kernels PackWeights packed: from PackWeights until Parameters or a layer's weights are read.");
        writer.Line("public bool WeightsPacked => _packedWeights is not null;");
        writer.Line();
    }
}
