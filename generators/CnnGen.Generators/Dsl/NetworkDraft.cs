using System.Collections.Generic;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Dsl;

/// <summary>A network while its declaration is being read; becomes a <see cref="NetworkSpec"/> once the file is read.</summary>
internal sealed class NetworkDraft
{
    public NetworkDraft(int start, string @namespace)
    {
        Start = start;
        End = start;
        Namespace = @namespace;
    }

    /// <summary>Where the 'network' keyword starts.</summary>
    public int Start { get; }

    /// <summary>Where the declaration ends (after its '}').</summary>
    public int End { get; set; }

    public string Namespace { get; }

    /// <summary>The class name; null when it is missing or invalid (the network is then not generated).</summary>
    public string? ClassName { get; set; }

    public LocationInfo? Location { get; set; }

    /// <summary>How messages name it: "network 'DigitNet'".</summary>
    public string Owner => ClassName is null ? "the network" : "network '" + ClassName + "'";

    public DataFormat Format { get; set; }

    public InputSpec? Input { get; set; }

    public ShapeSpec? Output { get; set; }

    public List<LayerSpec> Layers { get; } = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public NetworkSpec ToSpec(DeclarationOrigin origin) => new(Namespace, ClassName!, EquatableArray<string>.Empty, Format, Input,
        Layers.ToEquatableArray(), Output, origin, Location, Diagnostics.ToEquatableArray());
}
