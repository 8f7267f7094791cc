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
        foreach (var network in Networks)
        {
            if (network.FullName == fullName)
            {
                return network;
            }
        }

        return null;
    }

    /// <summary>How many networks before <paramref name="index"/> have its full name, ignoring case.</summary>
    public int CountEarlierIgnoringCase(int index)
    {
        var count = 0;
        for (var i = 0; i < index; i++)
        {
            if (string.Equals(Networks[i].FullName, Networks[index].FullName, System.StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The index of the first declaration of a full name; later ones are duplicates.</summary>
    public int FirstIndexOf(string fullName)
    {
        for (var i = 0; i < Networks.Count; i++)
        {
            if (Networks[i].FullName == fullName)
            {
                return i;
            }
        }

        return -1;
    }
}
