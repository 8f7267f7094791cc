using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace CnnGen.Arm64Check.Networks;

/// <summary>
/// The methods of the generated networks that the JIT compiled in this process, from the
/// runtime's own JIT events: proof of which width's kernels ran, beyond what
/// <c>IsHardwareAccelerated</c> says (a kernel of another width would be compiled before it
/// runs; with tiering off each method is compiled once), and at which optimisation tier.
/// In this namespace so that <see cref="Sentinel"/>'s event passes the same filter.
/// </summary>
internal sealed partial class CompiledKernels : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const string NetworksNamespace = "CnnGen.Arm64Check.Networks.";
    private readonly Dictionary<string, int> _methods = new();
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

        // MethodFlags bits 7-9: the optimisation tier the JIT compiled the method at.
        var flags = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("MethodFlags")], System.Globalization.CultureInfo.InvariantCulture);
        lock (_methods)
        {
            _methods[type[NetworksNamespace.Length..] + "." + method] = (int)((flags >> 7) & 7);
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
            return _methods.Keys.Select(m => (Method: m, Match: WidthPattern().Match(m)))
                .Where(m => m.Match.Success)
                .GroupBy(m => m.Match.Groups[1].Value)
                .ToDictionary(g => g.Key, g => g.Select(m => m.Method).Order(StringComparer.Ordinal).ToList());
        }
    }

    /// <summary>
    /// The kernels compiled without full optimisation (tier 1, MinOptJitted: a Debug assembly or
    /// a method too large for the optimiser; tier 3, QuickJitted: tier 0), with their tier's
    /// name. Call after <see cref="ByWidth"/>.
    /// </summary>
    public IReadOnlyList<string> Unoptimized()
    {
        lock (_methods)
        {
            return _methods.Where(m => WidthPattern().IsMatch(m.Key) && m.Value is 1 or 3)
                .Select(m => $"{m.Key} ({(m.Value == 1 ? "MinOptJitted" : "QuickJitted")})")
                .Order(StringComparer.Ordinal).ToList();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Sentinel()
    {
    }
}
