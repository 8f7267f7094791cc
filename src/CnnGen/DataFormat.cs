namespace CnnGen;

/// <summary>Where the channel dimension sits in a tensor's memory layout.</summary>
public enum DataFormat
{
    /// <summary>Spatial dimensions first, channels last: (height, width, channels). The Keras default.</summary>
    ChannelsLast,
    /// <summary>Channels first: (channels, height, width). The PyTorch layout.</summary>
    ChannelsFirst,
}
