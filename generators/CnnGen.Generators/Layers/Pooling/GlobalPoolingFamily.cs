using System.Collections.Generic;
using CnnGen.Generators.Emit;
using CnnGen.Generators.Emit.Plans;
using CnnGen.Generators.Model;

namespace CnnGen.Generators.Layers;

/// <summary>GlobalMaxPool and GlobalAvgPool: every position of a channel reduced to one value; the output is the channel vector.</summary>
internal sealed class GlobalPoolingFamily : LayerFamily
{
    private static readonly LayerOption[] Options = { LayerOptions.Name, LayerOptions.KeepDims };

    public override IReadOnlyList<LayerSyntax> Kinds { get; } = new[]
    {
        new LayerSyntax(LayerKind.GlobalMaxPool, "global_max_pool", 0, Options, 0, string.Empty),
        new LayerSyntax(LayerKind.GlobalAvgPool, "global_avg_pool", 0, Options, 0, string.Empty),
    };

    public override LayerModel? Infer(LayerContext context) => context.Input.SpatialRank == 0
        ? context.WrongRank("a sequence or an image",
            "Global pooling reduces spatial dimensions; put it before " + context.Suggest(LayerKind.Flatten) + " and dense layers.")
        : context.Spec.Flag(LayerVocabulary.KeepDims, false)
            ? context.Plain(new TensorShape(context.Input.SpatialRank, 1, 1, context.Input.Channels)) with { KeepDims = true }
            : context.Plain(TensorShape.Vector(context.Input.Channels));

    public override void Describe(LayerModel layer, List<string> parts)
    {
        if (layer.KeepDims)
        {
            parts.Add("keep dims");
        }
    }

    public override IReadOnlyList<KernelPlan> Plans(LayerEmission emission, VectorIsa isa) => new[]
    {
        PoolingForwardEmitter.Plan(emission.Layer, isa),
        PoolingBackwardEmitter.Plan(emission.Layer, isa),
    };

    public override void EmitForward(LayerEmission emission) =>
        PoolingForwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);

    public override void EmitForwardCall(LayerEmission emission) => PoolingFamily.EmitCall(emission);

    public override void EmitBackward(LayerEmission emission) =>
        PoolingBackwardEmitter.Emit(emission.Writer, emission.Layer, emission.Input, emission.Output, emission.Format);

    public override void EmitBackwardCall(LayerEmission emission) => PoolingFamily.EmitBackwardCallOf(emission);
}
