using CnnGen.Generators.Emit;

namespace CnnGen.Generators.Layers;

/// <summary>
/// How the calls on a packed block prefetch the next (<see cref="BlockedKernel.PrefetchDivisor"/>):
/// the first <paramref name="Lines"/> rows' calls each prefetch <paramref name="PartFloats"/>
/// floats of it.
/// </summary>
internal readonly record struct SlicePrefetch(int Lines, int PartFloats);
