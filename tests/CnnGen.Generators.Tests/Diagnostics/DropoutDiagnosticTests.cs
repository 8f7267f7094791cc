using CnnGen.Generators.Tests.Infrastructure;
using static CnnGen.Generators.Tests.Infrastructure.Expected;

namespace CnnGen.Generators.Tests.Diagnostics;

/// <summary>Dropout's rate and seed in attributes: ID, severity, full message and exact span. Dsl/DslDropoutTests.cs has the same in .cnn files.</summary>
public class DropoutDiagnosticTests
{
    [Fact]
    public void CNN0030_ARateOfOneOrBelowZeroIsReportedOnTheRateArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 3)]
            [Dropout([|1f|])]
            [Dropout([|-0.25f|], Name = "drop")]
            public partial class Net;
            """,
            Error("CNN0030", "Dropout 'dropout_1' has rate 1, which is out of range; rate must be at least 0 and less than 1 (the probability of zeroing a value in training), such as 0.5"),
            Error("CNN0030", "Dropout 'drop' has rate -0.25, which is out of range; rate must be at least 0 and less than 1 (the probability of zeroing a value in training), such as 0.5"));
    }

    [Fact]
    public void CNN0030_ANegativeSeedIsReportedOnTheSeedArgument()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8, 3)]
            [Dropout(0.5f, [|Seed = -1|])]
            public partial class Net;
            """,
            Error("CNN0030", "Dropout 'dropout_1' has seed -1, which is out of range; seed must be 0 or more"));
    }

    [Fact]
    public void ARateOfZeroAndASeedAreAccepted()
    {
        DiagnosticAssert.Reports("""
            [Network]
            [Input(8)]
            [Dropout(0f, Seed = 0)]
            [Dropout(0.999f, Seed = 12345)]
            [Dense(2)]
            public partial class Net;
            """);
    }
}
