using BenchmarkDotNet.Running;
using CnnGen.Benchmarks;

// dotnet run -c Release --project benchmarks/CnnGen.Benchmarks -- --filter '*'   (docs/benchmarks.md)
if (args.Length > 0 && args[0] == "--quick")
{
    QuickTimings.Run(args.Skip(1).ToArray());
    return 0;
}

if (args.Length > 0 && args[0] == "--report")
{
    return ResultsReport.Run(args.Skip(1).ToArray());
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
