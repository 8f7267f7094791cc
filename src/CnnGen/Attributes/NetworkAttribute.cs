using System;

namespace CnnGen;

/// <summary>
/// Marks a partial class as a network. The CnnGen generator reads the layer attributes on the
/// class in the order written, checks every shape and emits the network's code.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class NetworkAttribute : Attribute
{
    /// <summary>The memory layout of the input, the output and every tensor in between.</summary>
    public DataFormat DataFormat { get; set; } = DataFormat.ChannelsLast;
}
