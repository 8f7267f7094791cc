using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Tests;

/// <summary>
/// Generated kernels write their vector operations as calls to the runtime's one-line helpers
/// (K::V512.Fma, K::V256.Load, ...), on the promise that the JIT inlines every one of them, so
/// that a kernel compiles to the instructions the long forms would. A helper left as a call
/// would cost a call per multiply-add. A child test run with tiered compilation off (every
/// method fully optimised when first compiled) runs the forward and backward passes of the test
/// networks at each vector width and listens to the JIT's own events: no method of the helper
/// classes may be compiled, since a compiled helper is one that some caller did not inline.
/// </summary>
public class VectorHelperInliningTests
{
    private const string ChildVariable = "CNNGEN_INLINING_CHILD";

    [Theory]
    [InlineData("widest")]
    [InlineData("V256", "DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0")]
    [InlineData("V128", "DOTNET_EnableAVX2=0")]
    public Task NoHelperIsLeftAsACallAtAnyWidth(string path, params string[] settings) =>
        ChildTestRun.AssertPassesAsync("FullyQualifiedName~" + nameof(VectorHelperInliningTests) + "." + nameof(KernelsOfTheTestNetworksCompileWithoutHelperCalls),
            $"The inlining check on the {path} path ({string.Join(" ", settings)})", settings.Append("DOTNET_TieredCompilation=0").Append(ChildVariable + "=1"));

    /// <summary>The child run's test; in any other run it has nothing to check (the JIT already compiled the kernels).</summary>
    [Fact]
    public void KernelsOfTheTestNetworksCompileWithoutHelperCalls()
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) != "1")
        {
            return;
        }

        using var listener = new CompiledMethods();
        foreach (string name in ForwardTests.Networks)
        {
            var network = ForwardTests.Create(name, seed: 3);
            foreach (var batch in new[] { 1, 5 })
            {
                var input = Enumerable.Range(0, batch * network.InputSize).Select(i => (float)Math.Sin(i)).ToArray();
                network.Forward(input, new float[batch * network.OutputSize], batch);
                network.Backward(Enumerable.Repeat(0.5f, batch * network.OutputSize).ToArray(), new float[batch * network.InputSize]);
            }
        }

        var methods = listener.Wait();
        Assert.NotNull(methods);

        // The kernels of this path were compiled, and no helper was.
        Assert.Contains(methods!, m => m.StartsWith("CnnGen.Tests.Networks.", StringComparison.Ordinal) && m.Contains(SimdPathTests.ActivePath, StringComparison.Ordinal));
        Assert.DoesNotContain(methods!, m => m.StartsWith("CnnGen.Kernels.V512.", StringComparison.Ordinal) ||
            m.StartsWith("CnnGen.Kernels.V256.", StringComparison.Ordinal) || m.StartsWith("CnnGen.Kernels.V128.", StringComparison.Ordinal));
    }

    /// <summary>The methods the JIT compiled while it listened, as Namespace.Type.Method, from the runtime's JIT events.</summary>
    private sealed class CompiledMethods : EventListener
    {
        private readonly List<string> _methods = new();
        private readonly SemaphoreSlim _sentinelSeen = new(0);

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x10); // JIT keyword
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
            if (method == nameof(Sentinel) && type.EndsWith(nameof(CompiledMethods), StringComparison.Ordinal))
            {
                _sentinelSeen.Release();
                return;
            }

            lock (_methods)
            {
                _methods.Add(type + "." + method);
            }
        }

        /// <summary>Every method compiled so far, once the events have arrived (they come on a dispatch thread: a method compiled last marks the end); null if none did.</summary>
        public IReadOnlyList<string>? Wait()
        {
            Sentinel();
            if (!_sentinelSeen.Wait(TimeSpan.FromSeconds(60)))
            {
                return null;
            }

            lock (_methods)
            {
                return _methods.ToList();
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void Sentinel()
        {
        }
    }
}
