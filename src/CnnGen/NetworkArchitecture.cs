using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CnnGen;

/// <summary>The resolved architecture of a generated network: what its code was generated for.</summary>
public sealed class NetworkArchitecture
{
    private string? _fingerprint;

    /// <summary>The network's class name.</summary>
    public required string Name { get; init; }

    /// <summary>The memory layout of inputs, outputs and intermediate tensors.</summary>
    public required DataFormat DataFormat { get; init; }

    /// <summary>The input shape of one sample, in <see cref="DataFormat"/>.</summary>
    public required IReadOnlyList<int> InputShape { get; init; }

    /// <summary>The output shape of one sample, in <see cref="DataFormat"/>.</summary>
    public required IReadOnlyList<int> OutputShape { get; init; }

    /// <summary>The layers in order.</summary>
    public required IReadOnlyList<LayerInfo> Layers { get; init; }

    /// <summary>The number of parameters.</summary>
    public required int ParameterCount { get; init; }

    /// <summary>Floats of non-trainable state (batch normalisation's moving statistics); 0 for most networks.</summary>
    public int StateCount { get; init; }

    /// <summary>
    /// A hash of everything that decides the meaning of the parameters (shapes, layer kinds,
    /// options, order and, in a network that is not a chain, which layers each layer reads; not
    /// the names): two networks with the same fingerprint can share weight files. 32 hexadecimal digits.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>The canonical text the fingerprint hashes.</summary>
    public string CanonicalDescription()
    {
        var text = new StringBuilder();
        text.Append("cnngen-architecture-1;").Append(DataFormat).Append(";in=").Append(Join(InputShape)).Append(";out=").Append(Join(OutputShape));
        for (var i = 0; i < Layers.Count; i++)
        {
            var layer = Layers[i];
            text.Append('|').Append(layer.Kind).Append(':').Append(Join(layer.InputShape)).Append("->").Append(Join(layer.OutputShape))
                .Append(";k=").Append(layer.KernelHeight).Append('x').Append(layer.KernelWidth)
                .Append(";s=").Append(layer.StrideHeight).Append('x').Append(layer.StrideWidth)
                .Append(";d=").Append(layer.DilationHeight).Append('x').Append(layer.DilationWidth)
                .Append(";p=").Append(layer.PadTop).Append(',').Append(layer.PadBottom).Append(',').Append(layer.PadLeft).Append(',').Append(layer.PadRight)
                .Append(";a=").Append(layer.Activation).Append(";b=").Append(layer.UseBias ? 1 : 0)
                .Append(";w=").Append(Join(layer.KernelShape));
            // Options added later enter only when set, so that existing networks keep their fingerprints.
            if (layer.CeilMode)
            {
                text.Append(";ceil=1");
            }

            if (layer.CountPadding)
            {
                text.Append(";countpad=1");
            }

            if (layer.KeepDims)
            {
                text.Append(";keepdims=1");
            }

            if (layer.Groups != 1)
            {
                text.Append(";groups=").Append(layer.Groups);
            }

            if (layer.OutputPaddingHeight != 0 || layer.OutputPaddingWidth != 0)
            {
                text.Append(";outpad=").Append(layer.OutputPaddingHeight).Append('x').Append(layer.OutputPaddingWidth);
            }

            if (layer.Kind is LayerKind.UpSampling1D or LayerKind.UpSampling2D)
            {
                text.Append(";up=").Append(layer.UpSamplingHeight).Append('x').Append(layer.UpSamplingWidth).Append(";interp=").Append(layer.Interpolation);
            }

            if (layer.Inputs.Count > 0 && !IsPrevious(i))
            {
                // Indices, not names: renaming a layer keeps the fingerprint. Chains add nothing, so theirs is unchanged.
                text.Append(";from=").Append(string.Join(",", LayerInputs(i)));
            }

            if (layer.StateLength > 0)
            {
                // Only layers with state (new kinds) add this, so existing fingerprints are unchanged.
                text.Append(";state=").Append(layer.StateLength).Append(";eps=").Append(layer.Epsilon.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    private string ComputeFingerprint()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalDescription()));
        return Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
    }

    /// <summary>True when every layer reads the previous layer's output (no skip connection, branch or merge).</summary>
    public bool IsChain
    {
        get
        {
            for (var i = 0; i < Layers.Count; i++)
            {
                if (!IsPrevious(i))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// The indices of the layers whose outputs layer <paramref name="index"/> reads, in order;
    /// -1 is the network's input. A layer without <see cref="LayerInfo.Inputs"/> reads the one before it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A name that is not an earlier layer (an architecture not made by the generator).</exception>
    public IReadOnlyList<int> LayerInputs(int index)
    {
        var layer = Layers[index];
        if (layer.Inputs.Count == 0)
        {
            return new[] { index - 1 };
        }

        var indices = new int[layer.Inputs.Count];
        for (var k = 0; k < indices.Length; k++)
        {
            indices[k] = IndexOf(layer.Inputs[k], index);
        }

        return indices;
    }

    /// <summary>The output shape of layer <paramref name="index"/>, or the network's input shape for -1.</summary>
    public IReadOnlyList<int> OutputShapeOf(int index) => index < 0 ? InputShape : Layers[index].OutputShape;

    private bool IsPrevious(int index) => LayerInputs(index) is [var only] && only == index - 1;

    private int IndexOf(string name, int before)
    {
        if (name == InputName)
        {
            return -1;
        }

        for (var i = 0; i < before; i++)
        {
            if (Layers[i].Name == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Layer '{Layers[before].Name}' of {Name} reads '{name}', which is not a layer before it.");
    }

    /// <summary>The name by which layers refer to the network's input.</summary>
    public const string InputName = "input";

    /// <summary>Finds a layer by name.</summary>
    public LayerInfo? FindLayer(string name)
    {
        foreach (var layer in Layers)
        {
            if (layer.Name == name)
            {
                return layer;
            }
        }

        return null;
    }

    /// <summary>"8x8x1".</summary>
    public static string FormatShape(IReadOnlyList<int> shape)
    {
        var parts = new string[shape.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return string.Join("x", parts);
    }

    private static string Join(IReadOnlyList<int> values) => FormatShape(values);
}
