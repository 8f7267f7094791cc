using System.Runtime.Intrinsics;
using CnnGen.Tests.Infrastructure;

namespace CnnGen.Tests;

/// <summary>
/// Every instruction-set path of the generated code runs the numeric tests (those marked
/// Category=Numerics): this machine's widest path here, and the narrower ones in child test
/// runs with the JIT told to ignore AVX-512, AVX2 and all hardware intrinsics. In .NET 10
/// DOTNET_EnableAVX512F no longer turns Vector512 off; DOTNET_EnableAVX512 does, so both are set.
/// </summary>
public class SimdPathTests
{
    private const string ExpectedPathVariable = "CNNGEN_EXPECTED_SIMD_PATH";

    /// <summary>The path the generated dispatch takes on this process.</summary>
    public static string ActivePath =>
        Vector512.IsHardwareAccelerated ? "V512" : Vector256.IsHardwareAccelerated ? "V256" : Vector128.IsHardwareAccelerated ? "V128" : "Scalar";

    [Fact]
    [Trait("Category", "Numerics")]
    public void TheExpectedPathIsActive()
    {
        var expected = Environment.GetEnvironmentVariable(ExpectedPathVariable);
        if (expected is not null)
        {
            Assert.Equal(expected, ActivePath);
        }
        else
        {
            Assert.Contains(ActivePath, new[] { "V512", "V256", "V128", "Scalar" });
        }
    }

    [Theory]
    [InlineData("V256", "DOTNET_EnableAVX512F=0", "DOTNET_EnableAVX512=0")]
    [InlineData("V128", "DOTNET_EnableAVX2=0")]
    [InlineData("Scalar", "DOTNET_EnableHWIntrinsic=0")]
    public Task NumericTestsPassOnANarrowerPath(string path, params string[] settings) =>
        ChildTestRun.AssertPassesAsync("Category=Numerics", $"The numeric tests on the {path} path ({string.Join(" ", settings)})",
            settings.Append(ExpectedPathVariable + "=" + path));
}
