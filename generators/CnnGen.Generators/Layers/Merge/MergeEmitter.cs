using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>
/// The code of Add, Multiply and Concatenate. Merges are memory-bound (one or two operations
/// per value loaded), so the generated code walks rows of the tensors and calls the runtime's
/// vectorised MergeKernels on each; a row is a whole sample when no tensor has side frames.
/// Inputs and outputs may sit in any frame: every row is found through the tensor's own
/// interior offset and row stride. An input of one position is broadcast: it is read (and its
/// gradient summed) per sample.
/// </summary>
internal static class MergeEmitter
{
    private const string Kernels = TensorPasses.Kernels;

    /// <summary>The Forward method: y = x0 + x1 + ... (or x0 * x1 * ..., or the channels of each in turn), then a fused activation.</summary>
    public static void EmitForward(LayerEmission emission)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        var target = emission.PreActivation ?? emission.Output;
        var inputs = Inputs(emission);
        var parameters = new List<string>();
        for (var k = 0; k < inputs.Count; k++)
        {
            parameters.Add("ref float x" + k);
        }

        writer.Comment(emission.Description + "\n" + What(layer, inputs, target));
        using (writer.Open("private static void " + layer.AccessorName + "Forward(" + string.Join(", ", parameters) + ", ref float y, int batch)"))
        {
            var walked = new List<(string Name, TensorLayout Layout)>();
            for (var k = 0; k < inputs.Count; k++)
            {
                if (HasPositions(layer, inputs[k], target))
                {
                    walked.Add(("x" + k, inputs[k]));
                }
            }

            var rows = new Rows(target, walked);
            using (writer.Open("for (int n = 0; n < batch; n++)"))
            {
                for (var k = 0; k < inputs.Count; k++)
                {
                    Rows.DeclareSample(writer, "x" + k, inputs[k]);
                }

                Rows.DeclareSample(writer, "y", target);
                rows.Loop(writer, walked, ("y", target), () =>
                {
                    if (layer.Kind == LayerKind.Concatenate)
                    {
                        var offset = 0;
                        for (var k = 0; k < inputs.Count; k++)
                        {
                            writer.Line(Kernels + ".CopyChannels(ref x" + k + "r, " + inputs[k].Channels + ", ref " + At("yr", offset) + ", " +
                                target.Channels + ", " + rows.Positions + ", " + inputs[k].Channels + ");");
                            offset += inputs[k].Channels;
                        }

                        return;
                    }

                    var op = layer.Kind == LayerKind.Add ? "Add" : "Multiply";
                    var first = FirstFull(inputs, target);
                    var current = "x" + first + "r";
                    for (var k = 0; k < inputs.Count; k++)
                    {
                        if (k != first)
                        {
                            writer.Line(Combine(op, current, k, inputs[k], target, "yr", rows));
                            current = "yr";
                        }
                    }

                    var fused = ActivationPass.Fused(layer);
                    if (fused != ActivationKind.Linear)
                    {
                        writer.Line(FrameworkNames.Kernels + "ActivationKernels.Forward(global::CnnGen.Activation." + fused + ", ref yr, ref yr, " + rows.Length(target) + ");");
                    }
                });
            }
        }

        writer.Line();
    }

    /// <summary>One InputGradient method per input, writing or adding as the gradient plan says.</summary>
    public static void EmitBackward(LayerEmission emission)
    {
        for (var k = 0; k < emission.InputCount; k++)
        {
            EmitInputGradient(emission, k);
        }
    }

    /// <summary>The call of input <paramref name="input"/>'s InputGradient method, from dL/d(output) (after the activation's derivative).</summary>
    public static string InputGradientCall(LayerEmission emission, int input)
    {
        var arguments = new List<string> { "ref " + emission.OutputGradient };
        if (emission.Layer.Kind == LayerKind.Multiply)
        {
            for (var j = 0; j < emission.InputCount; j++)
            {
                if (j != input)
                {
                    arguments.Add("ref " + emission.InputTensorOf(j));
                }
            }
        }

        arguments.Add("ref " + emission.InputGradientOf(input));
        if (emission.Layer.Kind == LayerKind.Multiply)
        {
            arguments.Add("ref scratch");
        }

        return emission.Layer.AccessorName + "InputGradient" + input + "(" + string.Join(", ", arguments) + ", batch);";
    }

    private static void EmitInputGradient(LayerEmission emission, int input)
    {
        var layer = emission.Layer;
        var writer = emission.Writer;
        var inputs = Inputs(emission);
        var output = emission.Output;
        var dx = inputs[input];
        var accumulate = emission.InputGradientAccumulates(input);
        var broadcast = !HasPositions(layer, dx, output);
        var multiply = layer.Kind == LayerKind.Multiply;
        var parameters = new List<string> { "ref float dy" };
        var others = new List<int>();
        if (multiply)
        {
            for (var j = 0; j < inputs.Count; j++)
            {
                if (j != input)
                {
                    others.Add(j);
                    parameters.Add("ref float x" + j);
                }
            }
        }

        parameters.Add("ref float dx");
        if (multiply)
        {
            parameters.Add("ref float scratch");
        }

        var name = emission.Network.NameOf(layer.Inputs[input]);
        writer.Comment(emission.Description + "\n" + GradientWords(layer, input, name, broadcast, accumulate, others.Count));
        using (writer.Open("private static void " + layer.AccessorName + "InputGradient" + input + "(" + string.Join(", ", parameters) + ", int batch)"))
        {
            var walked = new List<(string Name, TensorLayout Layout)>();
            foreach (var j in others)
            {
                if (HasPositions(layer, inputs[j], output))
                {
                    walked.Add(("x" + j, inputs[j]));
                }
            }

            if (!broadcast)
            {
                walked.Add(("dx", dx));
            }

            var rows = new Rows(output, walked);
            using (writer.Open("for (int n = 0; n < batch; n++)"))
            {
                Rows.DeclareSample(writer, "dy", output);
                foreach (var j in others)
                {
                    Rows.DeclareSample(writer, "x" + j, inputs[j]);
                }

                Rows.DeclareSample(writer, "dx", dx);
                if (broadcast && !accumulate)
                {
                    writer.Line("global::System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref dxn, " + dx.Channels + ").Clear();");
                }

                rows.Loop(writer, walked, ("dy", output), () =>
                {
                    if (layer.Kind == LayerKind.Concatenate)
                    {
                        var offset = 0;
                        for (var j = 0; j < input; j++)
                        {
                            offset += inputs[j].Channels;
                        }

                        writer.Line(Kernels + (accumulate ? ".AccumulateChannels" : ".CopyChannels") + "(ref " + At("dyr", offset) + ", " +
                            output.Channels + ", ref dxr, " + dx.Channels + ", " + rows.Positions + ", " + dx.Channels + ");");
                        return;
                    }

                    // g = dL/d(output) times the other inputs (Multiply), or dL/d(output) itself (Add).
                    var g = "dyr";
                    if (multiply)
                    {
                        var product = broadcast || accumulate ? "scratch" : "dxr";
                        foreach (var j in others)
                        {
                            writer.Line(Combine("Multiply", g, j, inputs[j], output, product, rows));
                            g = product;
                        }
                    }

                    if (broadcast)
                    {
                        writer.Line(Kernels + ".SumPositions(ref " + g + ", ref dxn, " + rows.Positions + ", " + dx.Channels + ");");
                    }
                    else if (g != "dxr")
                    {
                        writer.Line(Kernels + (accumulate ? ".Accumulate" : ".Copy") + "(ref " + g + ", ref dxr, " + rows.Length(output) + ");");
                    }
                });
            }
        }

        writer.Line();
    }

    /// <summary>y = current op input k: element by element, or input k broadcast over the row's positions.</summary>
    private static string Combine(string op, string current, int k, TensorLayout input, TensorLayout output, string result, Rows rows) =>
        IsBroadcast(input, output)
            ? Kernels + "." + op + "Broadcast(ref " + current + ", ref x" + k + "n, ref " + result + ", " + rows.Positions + ", " + output.Channels + ");"
            : Kernels + "." + op + "(ref " + current + ", ref x" + k + "r, ref " + result + ", " + rows.Length(output) + ");";

    /// <summary>An input of one position under an output of several (Add and Multiply): read once per sample.</summary>
    private static bool IsBroadcast(TensorLayout input, TensorLayout output) => input.Size != output.Size;

    /// <summary>True when the tensor is walked row by row with the output (every input of Concatenate; the unbroadcast inputs of the others).</summary>
    private static bool HasPositions(LayerModel layer, TensorLayout input, TensorLayout output) =>
        layer.Kind == LayerKind.Concatenate || !IsBroadcast(input, output);

    /// <summary>"yr" or "Unsafe.Add(ref yr, 16)" (fully qualified): a float <paramref name="offset"/> floats into a row, for a ref argument.</summary>
    private static string At(string row, int offset) => offset == 0 ? row : FrameworkNames.Unsafe + ".Add(ref " + row + ", " + offset + ")";

    private static int FirstFull(IReadOnlyList<TensorLayout> inputs, TensorLayout output)
    {
        for (var k = 0; k < inputs.Count; k++)
        {
            if (!IsBroadcast(inputs[k], output))
            {
                return k;
            }
        }

        return 0;
    }

    private static List<TensorLayout> Inputs(LayerEmission emission)
    {
        var inputs = new List<TensorLayout>();
        for (var k = 0; k < emission.InputCount; k++)
        {
            inputs.Add(emission.InputOf(k));
        }

        return inputs;
    }

    private static string What(LayerModel layer, IReadOnlyList<TensorLayout> inputs, TensorLayout output)
    {
        var broadcast = new List<string>();
        for (var k = 0; k < inputs.Count; k++)
        {
            if (!HasPositions(layer, inputs[k], output))
            {
                broadcast.Add("x" + k);
            }
        }

        var words = layer.Kind switch
        {
            LayerKind.Add => "y = x0 + ... + x" + (inputs.Count - 1),
            LayerKind.Multiply => "y = x0 * ... * x" + (inputs.Count - 1),
            _ => "y = the channels of x0, ..., x" + (inputs.Count - 1) + " side by side at each position",
        };
        if (broadcast.Count > 0)
        {
            words += "; " + string.Join(", ", broadcast) + (broadcast.Count == 1 ? " has" : " have") + " one position, used at every position";
        }

        var fused = ActivationPass.Fused(layer);
        return words + (fused != ActivationKind.Linear ? ", then " + LayerVocabulary.SnakeName(fused) + " in place" : string.Empty) + ".";
    }

    private static string GradientWords(LayerModel layer, int input, string name, bool broadcast, bool accumulate, int others)
    {
        var value = layer.Kind switch
        {
            LayerKind.Add => "dL/d(output)",
            LayerKind.Multiply => "dL/d(output) times the other " + (others == 1 ? "input" : others + " inputs"),
            _ => "channels of dL/d(output) it filled",
        };
        return "dL/d(x" + input + ", " + name + ") " + (accumulate ? "+= " : "= ") + (broadcast ? "the sum over positions of " : string.Empty) + value +
            (accumulate ? " (another reader of '" + name + "' wrote its gradient first)." : ".");
    }

    /// <summary>
    /// How the tensors of a merge are walked: one row per sample when the output and every
    /// tensor walked with it are stored without side frames (each interior is one run of
    /// floats), otherwise image row by image row. Inputs of one position are addressed per sample.
    /// </summary>
    private sealed class Rows
    {
        private readonly int _rows;

        public Rows(TensorLayout output, IEnumerable<(string Name, TensorLayout Layout)> walked)
        {
            var contiguous = output.InteriorIsContiguous;
            foreach (var (_, layout) in walked)
            {
                contiguous &= layout.InteriorIsContiguous;
            }

            _rows = contiguous ? 1 : output.Height;
            Positions = contiguous ? output.Height * output.Width : output.Width;
        }

        /// <summary>Positions in one row.</summary>
        public int Positions { get; }

        /// <summary>Floats in one row of <paramref name="tensor"/>.</summary>
        public int Length(TensorLayout tensor) => Positions * tensor.Channels;

        /// <summary><paramref name="name"/>n: the interior of sample n.</summary>
        public static void DeclareSample(SourceWriter writer, string name, TensorLayout tensor) =>
            writer.Line("ref float " + name + "n = ref " + FrameworkNames.Unsafe + ".Add(ref " + name + ", (nint)n * " + tensor.StoredSize + VectorOps.PlusConstant(tensor.InteriorOffset) + ");");

        /// <summary>The rows of a sample: declares {name}r for each walked tensor and the output, then writes <paramref name="body"/>.</summary>
        public void Loop(SourceWriter writer, IReadOnlyList<(string Name, TensorLayout Layout)> walked, (string Name, TensorLayout Layout) output,
            System.Action body)
        {
            if (_rows == 1)
            {
                foreach (var (name, _) in walked)
                {
                    writer.Line("ref float " + name + "r = ref " + name + "n;");
                }

                writer.Line("ref float " + output.Name + "r = ref " + output.Name + "n;");
                body();
                return;
            }

            using (writer.Open("for (int r = 0; r < " + _rows + "; r++)"))
            {
                foreach (var (name, layout) in walked)
                {
                    writer.Line("ref float " + name + "r = ref " + FrameworkNames.Unsafe + ".Add(ref " + name + "n, r * " + layout.RowStride + ");");
                }

                writer.Line("ref float " + output.Name + "r = ref " + FrameworkNames.Unsafe + ".Add(ref " + output.Name + "n, r * " + output.Layout.RowStride + ");");
                body();
            }
        }
    }
}
