using System;
using System.Collections.Generic;

namespace CnnGen;

/// <summary>
/// Weights from another framework could not be imported: a file is malformed, or tensors are
/// missing, extra or of the wrong shape. <see cref="Problems"/> lists every problem found (the
/// message lists them too). The network's weights are unchanged.
/// </summary>
public sealed class WeightImportException : Exception
{
    /// <summary>An import that failed for each of <paramref name="problems"/>, summarised by <paramref name="summary"/>.</summary>
    public WeightImportException(string summary, IReadOnlyList<string> problems)
        : base(problems.Count == 0 ? summary : summary + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", problems))
    {
        Problems = problems;
    }

    /// <summary>An import that failed for one reason.</summary>
    public WeightImportException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>An import that failed for one reason, with the exception that caused it.</summary>
    public WeightImportException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem found, one sentence each, naming the tensor, the layer and the shapes.</summary>
    public IReadOnlyList<string> Problems { get; }
}
