using CnnGen.Arm64Check;
using CnnGen.Arm64Check.Networks;

// Checks the generated forward and backward of small networks against the tests' reference
// implementation on whatever machine runs it; CI runs the linux-arm64 build under qemu
// (docs/testing.md, "Arm64"). Exit code 0: every value within tolerance; 1: a mismatch;
// 2: the wrong vector path, kernels the JIT did not fully optimise, or (with --require-arm64)
// not an Arm64 process.
var requireArm64 = args.Contains("--require-arm64");
using var compiledKernels = new CompiledKernels();
foreach (var line in SimdPath.Describe())
{
    Console.WriteLine(line);
}

if (SimdPath.Problem(requireArm64) is { } problem)
{
    Console.Error.WriteLine("FAIL: " + problem);
    return 2;
}

NetworkCheck[] checks =
{
    new(nameof(LeNetFirstLayerNet), "attributes", seed => new LeNetFirstLayerNet(seed)),
    new(nameof(FewFilterNet), "attributes", seed => new FewFilterNet(seed)),
    new(nameof(PlanarInputNet), "attributes", seed => new PlanarInputNet(seed)),
    new(nameof(FewOutputNet), "attributes", seed => new FewOutputNet(seed)),
    new(nameof(RowRunNet), "attributes", seed => new RowRunNet(seed)),
    new(nameof(OddChannelNet), "attributes", seed => new OddChannelNet(seed)),
    new(nameof(ChannelsFirstNet), "attributes", seed => new ChannelsFirstNet(seed)),
    new(nameof(LargeLayerNet), "attributes", seed => new LargeLayerNet(seed), Sampled: 12),
    new(nameof(CausalSignalNet), "CheckNetworks.cnn", seed => new CausalSignalNet(seed)),
    new(nameof(ChannelsFirstSignalNet), "CheckNetworks.cnn", seed => new ChannelsFirstSignalNet(seed)),
    new(nameof(DenseChainNet), "CheckNetworks.cnn", seed => new DenseChainNet(seed)),
    new(nameof(GatherSignalNet), "CheckNetworks.cnn", seed => new GatherSignalNet(seed)),
    new(nameof(MultipliedDepthwiseNet), "CheckNetworks.cnn", seed => new MultipliedDepthwiseNet(seed)),
    new(nameof(GatheredDotNet), "CheckNetworks.cnn", seed => new GatheredDotNet(seed)),
    new(nameof(GraphNet), "attributes", seed => new GraphNet(seed)),
    new(nameof(ResamplingNet), "attributes", seed => new ResamplingNet(seed)),
    new(nameof(ResamplingSignalNet), "CheckNetworks.cnn", seed => new ResamplingSignalNet(seed)),
    new(nameof(GroupedNet), "attributes", seed => new GroupedNet(seed)),
    new(nameof(TransposedNet), "attributes", seed => new TransposedNet(seed)),
    new(nameof(FoldedNet), "attributes", seed => new FoldedNet(seed)),
};

var failed = 0;
foreach (var check in checks)
{
    try
    {
        Console.WriteLine($"ok   {check.Name} ({check.DeclaredIn}): {check.Run()}");
    }
    catch (CheckFailedException e)
    {
        failed++;
        Console.WriteLine($"FAIL {check.Name} ({check.DeclaredIn}): {e.Message}");
    }
}

// Which width's kernels the JIT compiled: those of the active path (and narrower ones for layers of few channels) only.
var byWidth = compiledKernels.ByWidth(TimeSpan.FromSeconds(60));
string? pathProblem;
if (byWidth is null)
{
    pathProblem = "the runtime reported no JIT events, so which kernels ran is unknown.";
}
else
{
    Console.WriteLine("kernels compiled: " + string.Join(", ", byWidth.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => $"{w.Value.Count} {w.Key}")));
    pathProblem = SimdPath.KernelProblem(byWidth);
    if (pathProblem is null && compiledKernels.Unoptimized() is { Count: > 0 } unoptimized)
    {
        pathProblem = $"{unoptimized.Count} kernels were compiled without full optimisation: {string.Join(", ", unoptimized.Take(5))}";
    }
}

if (pathProblem is not null)
{
    Console.Error.WriteLine("FAIL: " + pathProblem);
}

Console.WriteLine($"Arm64Check: {checks.Length - failed} passed, {failed} failed");
return pathProblem is not null ? 2 : failed == 0 ? 0 : 1;
