namespace CnnGen.Generators.Model;

/// <summary>
/// A checked network, everything the emitter needs and nothing more (no locations, no
/// symbols). When the declaration has errors, <see cref="IsValid"/> is false and only the
/// identity is kept, so that an empty partial class is still emitted.
/// </summary>
/// <param name="HintIndex">
/// 0, or n when n earlier networks of the compilation have the same full name ignoring case
/// (a repeated declaration, or classes that differ only in case): Roslyn compares the names of
/// generated files ignoring case, and a repeated name would make the generator fail.
/// </param>
internal sealed record NetworkModel(
    string Namespace,
    string ClassName,
    EquatableArray<string> ContainingTypes,
    DataFormat Format,
    string Origin,
    string? InputNetwork,
    TensorShape Input,
    TensorShape Output,
    EquatableArray<LayerModel> Layers,
    int ParameterCount,
    bool IsValid,
    int HintIndex = 0,
    bool FromDsl = false)
{
    public string FullName => NetworkNames.FullName(Namespace, NetworkNames.TypeNames(ContainingTypes), ClassName);

    /// <summary>The file name of the generated source.</summary>
    public string HintName => FullName + (HintIndex > 0 ? "." + (HintIndex + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty) + ".g.cs";

    /// <summary>True when every layer reads the previous one: no From, no merge (the code of such networks is the same as before graphs).</summary>
    public bool IsChain
    {
        get
        {
            for (var i = 0; i < Layers.Count; i++)
            {
                if (!IsDefaultInputs(i))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>True when layer <paramref name="index"/> reads exactly the layer before it (or the input, for the first).</summary>
    public bool IsDefaultInputs(int index) => Layers[index].Inputs is { Count: 1 } inputs && inputs[0] == index - 1;

    /// <summary>The shape of the output of layer <paramref name="index"/>, or of the network's input for -1.</summary>
    public TensorShape OutputOf(int index) => index < 0 ? Input : Layers[index].Output;

    /// <summary>The name layers use for the output of layer <paramref name="index"/>: its name, or "input" for -1.</summary>
    public string NameOf(int index) => index < 0 ? LayerVocabulary.NetworkInput : Layers[index].Name;

    /// <summary>Floats of state (batch normalisation's moving statistics) of every layer.</summary>
    public int StateCount
    {
        get
        {
            var total = 0;
            foreach (var layer in Layers)
            {
                total += layer.StateLength;
            }

            return total;
        }
    }

    /// <summary>True when some layer computes differently in training mode (batch normalisation): the generated layer methods then take the state and the mode.</summary>
    public bool HasTrainingMode
    {
        get
        {
            foreach (var layer in Layers)
            {
                if (CnnGen.Generators.Layers.LayerFamilies.Of(layer).HasTrainingMode(layer))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// True when a layer draws random numbers in training mode (dropout): the layer methods then
    /// also take the workspace's count of training passes, from which each mask is drawn again in Backward.
    /// </summary>
    public bool DrawsInTraining
    {
        get
        {
            foreach (var layer in Layers)
            {
                if (layer.Kind == LayerKind.Dropout)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public long MultiplyAdds
    {
        get
        {
            long total = 0;
            foreach (var layer in Layers)
            {
                total += layer.MultiplyAdds;
            }

            return total;
        }
    }
}

/// <summary>The result of checking one network: the model to emit and the diagnostics to report.</summary>
internal sealed record NetworkAnalysis(NetworkModel Model, EquatableArray<DiagnosticInfo> Diagnostics);
