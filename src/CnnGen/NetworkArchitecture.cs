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

    /// <summary>
    /// A hash of everything that decides the meaning of the parameters (shapes, layer kinds,
    /// options, order; not the names): two networks with the same fingerprint can share
    /// weight files. 32 hexadecimal digits.
    /// </summary>
    public string Fingerprint => _fingerprint ??= ComputeFingerprint();

    /// <summary>The canonical text the fingerprint hashes.</summary>
    public string CanonicalDescription()
    {
        var text = new StringBuilder();
        text.Append("cnngen-architecture-1;").Append(DataFormat).Append(";in=").Append(Join(InputShape)).Append(";out=").Append(Join(OutputShape));
        foreach (var layer in Layers)
        {
            text.Append('|').Append(layer.Kind).Append(':').Append(Join(layer.InputShape)).Append("->").Append(Join(layer.OutputShape))
                .Append(";k=").Append(layer.KernelHeight).Append('x').Append(layer.KernelWidth)
                .Append(";s=").Append(layer.StrideHeight).Append('x').Append(layer.StrideWidth)
                .Append(";d=").Append(layer.DilationHeight).Append('x').Append(layer.DilationWidth)
                .Append(";p=").Append(layer.PadTop).Append(',').Append(layer.PadBottom).Append(',').Append(layer.PadLeft).Append(',').Append(layer.PadRight)
                .Append(";a=").Append(layer.Activation).Append(";b=").Append(layer.UseBias ? 1 : 0)
                .Append(";w=").Append(Join(layer.KernelShape));
        }

        return text.ToString();
    }

    private string ComputeFingerprint()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalDescription()));
        return Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
    }

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
