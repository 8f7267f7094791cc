using System.Reflection;
using CnnGen.Generators.Tests.Infrastructure;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Networks declared in source at test time, compiled with the generator in one compilation
/// and loaded into a collectible context: how sweeps test many configurations at once.
/// </summary>
internal sealed class CompiledNetworks
{
    private readonly Assembly _assembly;

    private CompiledNetworks(Assembly assembly, GeneratorRun run)
    {
        _assembly = assembly;
        Run = run;
    }

    public GeneratorRun Run { get; }

    public static CompiledNetworks Compile(params string[] sources)
    {
        var run = GeneratorHarness.Run(sources.Prepend("global using CnnGen;").ToArray());
        var errors = run.BuildErrors;
        if (errors.Count > 0)
        {
            Assert.Fail("The networks do not compile:\n" + string.Join("\n", errors.Take(20)));
        }

        return new CompiledNetworks(run.Load(), run);
    }

    public INetwork Create(string typeName, int seed = 1) =>
        (INetwork)Activator.CreateInstance(_assembly.GetType(typeName, throwOnError: true)!, seed)!;
}
