using System;

namespace CnnGen;

/// <summary>
/// A weight file could not be loaded. The message names what is wrong and the numbers
/// involved; <see cref="Error"/> says which check failed. The network's weights are unchanged.
/// </summary>
public sealed class WeightFileException : Exception
{
    /// <summary>A failure of <paramref name="error"/> kind described by <paramref name="message"/>.</summary>
    public WeightFileException(WeightFileError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>A failure with the exception that caused it.</summary>
    public WeightFileException(WeightFileError error, string message, Exception innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Which check failed.</summary>
    public WeightFileError Error { get; }
}
