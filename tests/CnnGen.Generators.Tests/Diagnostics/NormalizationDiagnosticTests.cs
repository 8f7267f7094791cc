using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>
/// BatchNormalization's options in attributes: ID, severity, full message and exact span, from the
/// analyzer alone and from a build. Dsl/DslNormalizationTests.cs has the same in .cnn files.
/// </summary>
public class NormalizationDiagnosticTests
{
    [Fact]
    public void CNN0030_AMomentumAboveOneIsReportedOnTheMomentumArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 8, 3)]
            [Conv2D(8, 3, UseBias = false)]
            [BatchNormalization([|Momentum = 1.5f|])]
            public partial class Net;
            """,
            Error("CNN0030", "BatchNormalization 'batch_norm_1' has momentum 1.5, which is out of range; momentum must be between 0 and 1 (the share of the old moving statistics kept at each step; PyTorch's momentum 0.1 is 0.9 here)"));
    }

    [Fact]
    public void CNN0030_AZeroOrNegativeEpsilonIsReportedOnTheEpsilonArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 3)]
            [BatchNormalization(Momentum = 0.9f, [|Epsilon = -0.001f|])]
            [BatchNormalization(Name = "bn", [|Epsilon = 0|])]
            public partial class Net;
            """,
            Error("CNN0030", "BatchNormalization 'batch_norm_1' has epsilon -0.001, which is out of range; epsilon must be greater than 0 (added to the variance before the square root), such as 0.001"),
            Error("CNN0030", "BatchNormalization 'bn' has epsilon 0, which is out of range; epsilon must be greater than 0 (added to the variance before the square root), such as 0.001"));
    }
}
