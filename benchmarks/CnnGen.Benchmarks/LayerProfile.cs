using System.Text.Json;
using System.Text.RegularExpressions;
using CnnGen.Onnx;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.ML.OnnxRuntime;

namespace CnnGen.Benchmarks;

/// <summary>
/// <c>--quick profile MODEL [cpu]</c>: where an imported model (Models/*.cnn) spends its time, layer
/// by layer, in CnnGen and in ONNX Runtime, batch 1, one thread.
/// <para>
/// CnnGen: every distinct layer of the model (its line of the .cnn file without <c>from</c> and
/// <c>name</c>, on its input shape) is declared as a network of its own, channels last (a
/// channels-first network runs channels last inside; only its input and output are transposed),
/// compiled at run time with the generator and Roslyn (Release), and timed alone; an <c>add</c>
/// is timed as the sum of its input with itself, a <c>multiply</c> as the product of its output shape with itself. The whole model runs on an inference workspace
/// (and, for comparison, on its default workspace and declared channels last). ONNX Runtime: its own profiler on the whole
/// model (CnnGen's ONNX export, ORT_ENABLE_ALL), the median time of each node over 20 runs,
/// scaled so that the nodes add up to the whole model's time measured as the other rows are.
/// </para>
/// <para>
/// ONNX Runtime fuses an Add into one of the convolutions it reads (and runs every activation
/// inside its convolution), so the rows are units: an ONNX Runtime node and the CnnGen layers it
/// covers, an <c>add</c> counted with its input with the most multiply-adds. Layers timed alone
/// have their input and weights in the cache from the previous call; in the model the input comes
/// from the previous layer. The sums are printed next to the whole-model times so the difference
/// shows.
/// </para>
/// </summary>
internal static partial class LayerProfile
{
    private const string ProfileNamespace = "CnnGen.Benchmarks.LayerProfiles";

    public static void Run(string model, Func<Action, double> measure)
    {
        var network = Workloads.Create(model);
        var layers = network.Architecture.Layers;
        var input = Workloads.RandomValues(network.InputSize, seed: 3);
        var output = new float[network.OutputSize];

        // The whole model in both engines, as --quick ort models times it.
        double cnngenWhole, ortWhole, inferenceWhole;
        using (var engine = new OnnxRuntimeEngine(network, input, 1, GraphOptimizationLevel.ORT_ENABLE_ALL))
        {
            cnngenWhole = measure(() => network.Forward(input, output, 1));
            var inferenceWorkspace = network.CreateInferenceWorkspace();
            inferenceWhole = measure(() => network.Forward(input, output, 1, inferenceWorkspace));
            ortWhole = measure(engine.Run);
        }

        // CnnGen, each distinct layer alone, and the whole model declared channels last.
        var declarations = LayerDeclarations(model, network.Architecture, out var channelsLastModel);
        var distinct = declarations.Distinct().ToList();
        var alone = TimeAlone(distinct, channelsLastModel, measure, model, layers, out var inModel);
        var cnngenLayer = declarations.Select(d => alone[distinct.IndexOf(d)]).ToArray();
        var channelsLastWhole = alone[^1];
        var markedWhole = inModel[^1];
        inModel = inModel[..^1];

        // ONNX Runtime's nodes, scaled to the whole model's time.
        var nodes = OrtNodeTimes(network, input);
        var scale = ortWhole / nodes.Sum(n => n.Microseconds);

        // Units: each ONNX Runtime node with the CnnGen layers it covers.
        var unitOf = new int[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            unitOf[i] = nodes.FindIndex(n => n.Node.StartsWith(layers[i].Name + "/", StringComparison.Ordinal));
        }

        for (var i = 0; i < layers.Count; i++)
        {
            if (unitOf[i] < 0 && layers[i].Kind == LayerKind.Add)
            {
                var largest = network.Architecture.LayerInputs(i).Where(j => j >= 0).MaxBy(j => layers[j].MultiplyAdds);
                unitOf[i] = unitOf[largest];
            }
        }

        Console.WriteLine($"{model}, batch 1: CnnGen {inferenceWhole / 1000:F2} ms on an inference workspace ({cnngenWhole / 1000:F2} ms on the default one; " +
            $"declared channels last {channelsLastWhole / 1000:F2} ms); its layers in the model add up to {inModel.Sum() / 1000:F2} ms of {markedWhole / 1000:F2} ms (wall clock, with marks, weights packed), alone to {cnngenLayer.Sum() / 1000:F2} ms. " +
            $"ONNX Runtime {ortWhole / 1000:F2} ms (its profile adds up to {nodes.Sum(n => n.Microseconds) / 1000:F2} ms, scaled to the whole)");
        Console.WriteLine($"{"unit (ONNX Runtime node)",-46} {"in model",9} {"alone",8} {"ORT us",9} {"gap us",8}   CnnGen layers: what");
        var units = new List<(string Node, string Layers, string What, double CnnGen, double Alone, double Ort)>();
        for (var u = -1; u < nodes.Count; u++)
        {
            var members = Enumerable.Range(0, layers.Count).Where(i => unitOf[i] == u).ToList();
            if (members.Count == 0 && u < 0)
            {
                continue;
            }

            var unit = (Node: u < 0 ? "(no node)" : nodes[u].Node, Layers: string.Join(" + ", members.Select(i => layers[i].Name)),
                What: string.Join(" + ", members.Select(i => declarations[i].Text + " on " + declarations[i].Shape)),
                CnnGen: members.Sum(i => inModel[i]), Alone: members.Sum(i => cnngenLayer[i]), Ort: u < 0 ? 0 : nodes[u].Microseconds * scale);
            units.Add(unit);
            Console.WriteLine($"{unit.Node,-46} {unit.CnnGen,9:F1} {unit.Alone,8:F1} {unit.Ort,9:F1} {unit.CnnGen - unit.Ort,8:F1}   {unit.Layers}: {unit.What}");
        }

        // The same units grouped by what they compute: the gaps that add up the most.
        Console.WriteLine();
        Console.WriteLine($"Largest gaps of {model} (CnnGen in the model - ONNX Runtime, summed over the units that compute the same thing):");
        units.Add(("(none)", "", "the rest: the whole model with marks less its layers in it (input and output copies)", markedWhole - inModel.Sum(), 0, 0));
        foreach (var group in units.GroupBy(u => u.What).OrderByDescending(g => g.Sum(u => u.CnnGen - u.Ort)).Take(10))
        {
            var cnngen = group.Sum(u => u.CnnGen);
            var ort = group.Sum(u => u.Ort);
            var ratio = ort > 0 ? $"{cnngen / ort,5:F2}x ORT's time" : "no ORT node";
            Console.WriteLine($"  {group.Count(),2} x {group.Key,-80} CnnGen {cnngen,8:F1} us   ORT {ort,8:F1} us   gap {cnngen - ort,8:F1} us ({ratio})");
        }

        Console.WriteLine();
    }

    /// <summary>Each layer of the model as a one-layer declaration: its .cnn line without from and name, and its input shape, channels last.</summary>
    private static List<(string Text, string Shape)> LayerDeclarations(string model, NetworkArchitecture architecture, out string channelsLastModel)
    {
        var source = GeneratorWorkload.AdditionalFiles(model).Single().GetText()!.ToString();
        var lines = source.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("network ", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal) && l != "}").ToList();
        var modelShape = architecture.DataFormat == DataFormat.ChannelsFirst && architecture.InputShape.Count > 1
            ? [.. architecture.InputShape.Skip(1), architecture.InputShape[0]]
            : architecture.InputShape.ToArray();
        channelsLastModel = $"network WholeChannelsLast(input: {string.Join("x", modelShape)}) {{\n    " + string.Join("\n    ", lines) + "\n}\n";
        if (lines.Count != architecture.Layers.Count)
        {
            throw new InvalidOperationException($"{model}.cnn has {lines.Count} layer lines, the network {architecture.Layers.Count} layers: one layer a line is expected.");
        }

        var channelsFirst = architecture.DataFormat == DataFormat.ChannelsFirst;
        return lines.Select((line, i) =>
        {
            var layer = architecture.Layers[i];
            // A multiply (squeeze-and-excitation's gate times the feature map) is timed over its
            // output, the larger of its inputs, as the product of that shape with itself.
            var shape = (layer.Kind == LayerKind.Multiply ? layer.OutputShape : layer.InputShape).ToArray();
            if (channelsFirst && shape.Length > 1)
            {
                shape = [.. shape[1..], shape[0]];
            }

            var text = layer.Kind is LayerKind.Add or LayerKind.Multiply
                ? (layer.Kind == LayerKind.Add ? "add" : "multiply") + "(input, input" +
                    (layer.Activation == Activation.Linear ? "" : ", activation: " + ActivationOption().Match(line).Groups[1].Value) + ")"
                : LeadingComma().Replace(FromOrName().Replace(line, ""), "(");
            return (text, string.Join("x", shape));
        }).ToList();
    }

    /// <summary>
    /// Compiles one network per declaration, the whole model channels last and the model as
    /// declared with a mark after each layer (<see cref="WithMarks"/>), and times their forward
    /// passes at batch 1 (the model's last); <paramref name="inModel"/>: each layer's time inside
    /// the model, as ONNX Runtime's profile times its nodes.
    /// </summary>
    private static double[] TimeAlone(List<(string Text, string Shape)> declarations, string channelsLastModel, Func<Action, double> measure,
        string model, IReadOnlyList<LayerInfo> layers, out double[] inModel)
    {
        var modelSource = GeneratorWorkload.AdditionalFiles(model).Single().GetText()!.ToString();
        var marked = NetworkName().Replace(modelSource[modelSource.IndexOf("network ", StringComparison.Ordinal)..], "network " + MarkedNetwork + "(", 1);
        var cnn = $"namespace {ProfileNamespace};\n" + string.Concat(declarations.Select((d, j) => $"network Layer{j}(input: {d.Shape}) {{\n    {d.Text}\n}}\n"))
            + channelsLastModel + marked + "\n";
        var compilation = GeneratorWorkload.Compilation([CSharpSyntaxTree.ParseText($"namespace {ProfileNamespace};\n" + MarksSource, GeneratorWorkload.ParseOptions)]);
        var generated = GeneratorWorkload.Generate(compilation, [new GeneratorWorkload.CnnFile("profile.cnn", cnn)]);
        var trees = generated.GeneratedTrees.Select(tree => tree.GetText().ToString().Contains("partial class " + MarkedNetwork, StringComparison.Ordinal)
            ? CSharpSyntaxTree.ParseText(WithMarks(tree.GetText().ToString(), layers), GeneratorWorkload.ParseOptions, tree.FilePath)
            : tree);
        using var assembly = new MemoryStream();
        var emit = GeneratorWorkload.Compilation([.. compilation.SyntaxTrees, .. trees]).Emit(assembly);
        if (!emit.Success)
        {
            throw new InvalidOperationException("The layer networks do not compile:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        assembly.Position = 0;
        var context = new System.Runtime.Loader.AssemblyLoadContext("layer-profile", isCollectible: true);
        var loaded = context.LoadFromStream(assembly);
        var times = declarations.Select((d, j) => $"Layer{j}").Append("WholeChannelsLast").Select(name =>
        {
            var network = (INetwork)Activator.CreateInstance(loaded.GetType($"{ProfileNamespace}.{name}")!, [1])!;
            var input = Workloads.RandomValues(network.InputSize, seed: 3);
            var output = new float[network.OutputSize];
            var workspace = network.CreateInferenceWorkspace();
            return measure(() => network.Forward(input, output, 1, workspace));
        }).ToArray();
        inModel = TimeInModel((INetwork)Activator.CreateInstance(loaded.GetType($"{ProfileNamespace}.{MarkedNetwork}")!, [1])!,
            loaded.GetType($"{ProfileNamespace}.Marks")!, layers.Count);
        return times;
    }

    private const string MarkedNetwork = "WholeWithMarks";

    /// <summary>The clock the marked model calls after each layer: ticks since the last mark, added to that layer's total.</summary>
    private const string MarksSource = """
        public static class Marks
        {
            public static long[] Totals = new long[1];
            private static long s_last;
            public static void Start() => s_last = System.Diagnostics.Stopwatch.GetTimestamp();
            public static void Mark(int layer)
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                Totals[layer] += now - s_last;
                s_last = now;
            }
        }
        """;

    /// <summary>
    /// The generated model with a call to Marks.Mark after each statement of its layer method
    /// (InferenceLayers, or ForwardLayers when it has none) that follows a comment naming a layer,
    /// and Marks.Start at the method's start: the time from one mark to the next is the layer's,
    /// its frame fills included.
    /// </summary>
    private static string WithMarks(string source, IReadOnlyList<LayerInfo> layers)
    {
        var method = source.Contains("private static void InferenceLayers(", StringComparison.Ordinal) ? "InferenceLayers" : "ForwardLayers";
        var lines = source.Split('\n').ToList();
        var start = lines.FindIndex(l => l.Contains("private static void " + method + "(", StringComparison.Ordinal));
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i);
        var depth = 0;
        var layer = -1;
        for (var i = start + 1; i < lines.Count; i++)
        {
            var text = lines[i].Trim();
            depth += text.Count(c => c == '{') - text.Count(c => c == '}');
            if (text == "{" && depth == 1)
            {
                lines.Insert(++i, "Marks.Start();");
                continue;
            }

            if (depth == 0)
            {
                break;
            }

            var comment = LayerComment().Match(text);
            if (comment.Success && index.TryGetValue(comment.Groups[1].Value, out var named))
            {
                layer = named;
            }
            else if (layer >= 0 && text.EndsWith(");", StringComparison.Ordinal) && !text.StartsWith("ref ", StringComparison.Ordinal))
            {
                lines.Insert(++i, $"Marks.Mark({layer});");
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// Each layer's time in the model (its weights packed by PackWeights), microseconds: the median over rounds of its mean time a
    /// forward pass; last, the whole forward pass's, measured in the same rounds (wall clock).
    /// </summary>
    private static double[] TimeInModel(INetwork network, Type marks, int layerCount)
    {
        var input = Workloads.RandomValues(network.InputSize, seed: 3);
        var output = new float[network.OutputSize];
        var workspace = network.CreateInferenceWorkspace();
        var totals = new long[layerCount];
        marks.GetField("Totals")!.SetValue(null, totals);
        network.PackWeights(); // as a user serving the model would: the deep layers read their kernels packed once
        var rounds = new List<double[]>();
        for (var round = 0; round < 16; round++)
        {
            Array.Clear(totals);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var runs = 0;
            while (runs < 3 || clock.ElapsedMilliseconds < 100)
            {
                network.Forward(input, output, 1, workspace);
                runs++;
            }

            if (round > 0)
            {
                rounds.Add([.. totals.Select(t => t * 1e6 / System.Diagnostics.Stopwatch.Frequency / runs), clock.Elapsed.TotalMicroseconds / runs]);
            }
        }

        return Enumerable.Range(0, layerCount + 1).Select(i => Median(rounds.Select(r => r[i]).ToList())).ToArray();
    }

    /// <summary>ONNX Runtime's own profile of the whole model: the median time of each node over 20 runs after 10 warm-up runs.</summary>
    private static List<(string Node, string Op, double Microseconds)> OrtNodeTimes(INetwork network, float[] input)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            EnableProfiling = true,
            ProfileOutputPathPrefix = Path.Combine(Path.GetTempPath(), "cnngen-ort-profile"),
        };
        using var session = new InferenceSession(OnnxExporter.ExportToBytes(network), options);
        var output = new float[network.OutputSize];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [1, .. network.Architecture.InputShape.Select(d => (long)d)]);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [1, .. network.Architecture.OutputShape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        for (var i = 0; i < 30; i++)
        {
            session.Run(runOptions, [OnnxExporter.InputName], [inputValue], [OnnxExporter.OutputName], [outputValue]);
        }

        var path = session.EndProfiling();
        var times = new Dictionary<string, (string Op, List<double> Durations)>();
        var order = new List<string>();
        using (var document = JsonDocument.Parse(File.ReadAllText(path)))
        {
            foreach (var e in document.RootElement.EnumerateArray())
            {
                if (e.GetProperty("cat").GetString() != "Node" || e.GetProperty("name").GetString() is not { } name || !name.EndsWith("_kernel_time", StringComparison.Ordinal))
                {
                    continue;
                }

                var node = name[..^"_kernel_time".Length];
                if (!times.TryGetValue(node, out var entry))
                {
                    entry = (e.GetProperty("args").GetProperty("op_name").GetString() ?? "", []);
                    times[node] = entry;
                    order.Add(node);
                }

                entry.Durations.Add(e.GetProperty("dur").GetDouble());
            }
        }

        File.Delete(path);
        return order.Select(node => (node, times[node].Op, Median(times[node].Durations.Skip(10).ToList()))).ToList();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count == 0 ? 0 : values[values.Count / 2];
    }

    [GeneratedRegex(@",?\s*\b(?:from|name):\s*(?:""[^""]*""|\w+)")]
    private static partial Regex FromOrName();

    [GeneratedRegex(@"\(\s*,\s*")]
    private static partial Regex LeadingComma();

    [GeneratedRegex(@"^network\s+\w+\(")]
    private static partial Regex NetworkName();

    [GeneratedRegex(@"^// (\w+): ")]
    private static partial Regex LayerComment();

    [GeneratedRegex(@"activation:\s*(\w+)")]
    private static partial Regex ActivationOption();
}
