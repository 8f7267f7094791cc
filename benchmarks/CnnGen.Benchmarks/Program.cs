using System.Diagnostics;
using BenchmarkDotNet.Running;
using CnnGen.Benchmarks;

if (args.Length > 0 && args[0] == "--quick")
{
    QuickTimings.Run(args.Skip(1).ToArray());
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
