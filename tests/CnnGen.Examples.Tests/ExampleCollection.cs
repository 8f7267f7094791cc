namespace CnnGen.Examples.Tests;

/// <summary>The example tests run one at a time: each program already uses every core.</summary>
[CollectionDefinition(Name)]
public sealed class ExampleCollection
{
    public const string Name = "Examples";
}
