namespace CnnGen.Generators.Model;

/// <summary>Every layer kind of DESIGN.md section 2. Mirrors CnnGen.LayerKind in the runtime.</summary>
internal enum LayerKind
{
    Conv1D,
    Conv2D,
    MaxPool1D,
    MaxPool2D,
    AvgPool1D,
    AvgPool2D,
    GlobalMaxPool,
    GlobalAvgPool,
    Flatten,
    Dense,
    Activation,
}
