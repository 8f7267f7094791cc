using System.Reflection;
using Microsoft.CodeAnalysis;

namespace CnnGen.Generators.Tests.Infrastructure;

/// <summary>A generated network class loaded from a compiled generator run, read through its public surface.</summary>
internal sealed class GeneratedNetwork
{
    private GeneratedNetwork(Type type) => Type = type;

    public Type Type { get; }

    /// <summary>Compiles the run (which must be free of errors) and loads the network <paramref name="fullName"/>.</summary>
    public static GeneratedNetwork Load(GeneratorRun run, string fullName)
    {
        Assert.DoesNotContain(run.CnnDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(run.BuildErrors);
        var type = run.Load().GetType(fullName);
        Assert.True(type is not null, $"No generated type {fullName}");
        return new GeneratedNetwork(type!);
    }

    public int Constant(string name) => (int)Type.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    public int InputSize => Constant("InputSize");

    public int OutputSize => Constant("OutputSize");

    public int ParameterCount => Constant("ParameterCount");

    public NetworkArchitecture Architecture => (NetworkArchitecture)Static("Architecture");

    public string Summary => (string)Static("Summary");

    /// <summary>InputShape and OutputShape are ReadOnlySpan properties, which reflection cannot box: call them through a delegate.</summary>
    public int[] InputShape => Span("InputShape");

    public int[] OutputShape => Span("OutputShape");

    public object Create(int? seed = null) =>
        seed is { } value ? Activator.CreateInstance(Type, value)! : Activator.CreateInstance(Type)!;

    public static float[] Parameters(object network) => SpanOf(network, "Parameters");

    public static float[] Gradients(object network) => SpanOf(network, "Gradients");

    public static LayerParameters Layer(object network, string accessor) =>
        (LayerParameters)network.GetType().GetProperty(accessor)!.GetValue(network)!;

    private object Static(string name) => Type.GetProperty(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private delegate ReadOnlySpan<int> ShapeGetter();

    private delegate Span<float> FloatsGetter();

    private int[] Span(string name)
    {
        var getter = Type.GetProperty(name, BindingFlags.Public | BindingFlags.Static)!.GetMethod!;
        return getter.CreateDelegate<ShapeGetter>()().ToArray();
    }

    private static float[] SpanOf(object network, string name)
    {
        var getter = network.GetType().GetProperty(name)!.GetMethod!;
        return getter.CreateDelegate<FloatsGetter>(network)().ToArray();
    }
}
