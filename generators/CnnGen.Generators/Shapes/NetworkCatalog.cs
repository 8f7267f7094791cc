using System.Collections.Generic;
using System.Collections.Immutable;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Shapes;

/// <summary>
/// Every network of the compilation (attributes and .cnn files), so that a network can take
/// its input from another. Equatable: it changes only when a declaration changes.
/// </summary>
internal sealed record NetworkCatalog(EquatableArray<NetworkSpec> Networks)
{
    public static NetworkCatalog Create(ImmutableArray<NetworkSpec> attributeNetworks, ImmutableArray<EquatableArray<NetworkSpec>> dslFiles)
    {
        var all = new List<NetworkSpec>(attributeNetworks);
        foreach (var file in dslFiles)
        {
            all.AddRange(file);
        }

        return new NetworkCatalog(all.ToEquatableArray());
    }

    /// <summary>
    /// Finds the network a reference names: first relative to the referring network's
    /// namespace, then as a full name.
    /// </summary>
    public NetworkSpec? Resolve(string reference, NetworkSpec from)
    {
        if (from.Namespace.Length > 0 && Find(from.Namespace + "." + reference) is { } relative)
        {
            return relative;
        }

        return Find(reference);
    }

    public NetworkSpec? Find(string fullName)
    {
        var index = FirstIndexOf(fullName);
        return index < 0 ? null : Networks[index];
    }

    /// <summary>How many networks before <paramref name="index"/> have its full name, ignoring case.</summary>
    public int CountEarlierIgnoringCase(int index)
    {
        if (_earlierIgnoringCase is not { } counts)
        {
            // One pass for all networks: a file can declare thousands, and each asks.
            counts = new int[Networks.Count];
            var seen = new Dictionary<string, int>(System.StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < counts.Length; i++)
            {
                var name = Networks[i].FullName;
                seen.TryGetValue(name, out var count);
                counts[i] = count;
                seen[name] = count + 1;
            }

            _earlierIgnoringCase = counts;
        }

        return counts[index];
    }

    // Derived from Networks, like _index, so left out of equality.
    private int[]? _earlierIgnoringCase;

    /// <summary>The index of the first declaration of a full name; later ones are duplicates.</summary>
    public int FirstIndexOf(string fullName) => Index().TryGetValue(fullName, out var index) ? index : -1;

    // Full name -> first index, built on first use so that every network's lookups stay O(1)
    // (a file can declare thousands). Derived from Networks, so it is left out of equality.
    private Dictionary<string, int>? _index;

    private Dictionary<string, int> Index()
    {
        if (_index is { } built)
        {
            return built;
        }

        var index = new Dictionary<string, int>(System.StringComparer.Ordinal);
        for (var i = 0; i < Networks.Count; i++)
        {
            var name = Networks[i].FullName;
            if (!index.ContainsKey(name))
            {
                index.Add(name, i);
            }
        }

        return _index = index;
    }

    public bool Equals(NetworkCatalog? other) => other is not null && Networks.Equals(other.Networks);

    public override int GetHashCode() => Networks.GetHashCode();
}
