using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Model;

/// <summary>A diagnostic to report, kept as plain data so that it can sit in a cached model.</summary>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArgs)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] messageArgs)
    {
        var args = new string[messageArgs.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = System.Convert.ToString(messageArgs[i], System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        return new DiagnosticInfo(descriptor, location, EquatableArray.Create(args));
    }

    public Diagnostic ToDiagnostic() => ToDiagnostic(null);

    /// <summary>
    /// The diagnostic, located in <paramref name="compilation"/>'s syntax tree when it is in C# source (see
    /// <see cref="LocationInfo.ToLocation(Compilation)"/>), with <paramref name="properties"/> for code fixes.
    /// </summary>
    public Diagnostic ToDiagnostic(Compilation? compilation, System.Collections.Immutable.ImmutableDictionary<string, string?>? properties = null)
    {
        var args = new object[MessageArgs.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = MessageArgs[i];
        }

        return Diagnostic.Create(Descriptor, Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None, properties, args);
    }

    /// <summary>The formatted message, as the compiler would print it.</summary>
    public string Message => ToDiagnostic().GetMessage(System.Globalization.CultureInfo.InvariantCulture);
}
