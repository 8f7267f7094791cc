using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace CnnGen.Arm64Check.Networks;

/// <summary>
/// The methods of the generated networks that the JIT compiled in this process, from the
/// runtime's own JIT events: proof of which width's kernels ran, beyond what
/// <c>IsHardwareAccelerated</c> says (a kernel of another width would be compiled before it
/// runs; with tiering off each method is compiled once).
/// </summary>
internal sealed partial class CompiledKernels : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const string NetworksNamespace = "CnnGen.Arm64Check.Networks.";
    private readonly HashSet<string> _methods = new();
    private readonly SemaphoreSlim _sentinelSeen = new(0);

    /// <summary>"Conv2d1ForwardV128_Row6_4x2" is a V128 method; "Conv2d1ForwardScalar" a scalar one; dispatchers and shared helpers have no width.</summary>
    [GeneratedRegex("(V512|V256|V128|Scalar)(_|$)")]
    private static partial Regex WidthPattern();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == RuntimeProvider)
        {
            EnableEvents(source, EventLevel.Verbose, JitKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || e.PayloadNames is null)
        {
            return;
        }

        var type = e.Payload![e.PayloadNames.IndexOf("MethodNamespace")] as string ?? "";
        var method = e.Payload[e.PayloadNames.IndexOf("MethodName")] as string ?? "";
        if (!type.StartsWith(NetworksNamespace, StringComparison.Ordinal))
        {
            return;
        }

        if (method == nameof(Sentinel))
        {
            _sentinelSeen.Release();
            return;
        }

        lock (_methods)
        {
            _methods.Add(type[NetworksNamespace.Length..] + "." + method);
        }
    }

    /// <summary>
    /// Compiled kernels by width (V512, V256, V128, Scalar), once every JIT event so far has
    /// arrived (they come on a dispatch thread: a method compiled last marks the end), or null
    /// when no event arrived (the runtime sent none).
    /// </summary>
    public IReadOnlyDictionary<string, List<string>>? ByWidth(TimeSpan timeout)
    {
        Sentinel();
        if (!_sentinelSeen.Wait(timeout))
        {
            return null;
        }

        lock (_methods)
        {
            return _methods.Select(m => (Method: m, Match: WidthPattern().Match(m)))
                .Where(m => m.Match.Success)
                .GroupBy(m => m.Match.Groups[1].Value)
                .ToDictionary(g => g.Key, g => g.Select(m => m.Method).Order(StringComparer.Ordinal).ToList());
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sentinel()
    {
    }
}
