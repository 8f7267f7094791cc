using System.Diagnostics.CodeAnalysis;

namespace CnnGen.Arm64Check;

/// <summary>
/// The two calls of xunit's <c>Assert</c> that the linked test files make (Numerics,
/// GradientCheck), without xunit: a failure throws <see cref="CheckFailedException"/>, which
/// the checker reports with the network it was checking.
/// </summary>
internal static class Assert
{
    public static void Equal<T>(T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new CheckFailedException($"Expected {expected}, found {actual}.");
        }
    }

    [DoesNotReturn]
    public static void Fail(string message) => throw new CheckFailedException(message);
}

/// <summary>A value of the generated code that disagrees with the reference.</summary>
internal sealed class CheckFailedException(string message) : Exception(message);
