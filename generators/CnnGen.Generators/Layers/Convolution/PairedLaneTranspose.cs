using System.Collections.Generic;
using CnnGen.Generators.Emit;

namespace CnnGen.Generators.Layers;

/// <summary>
/// 8 output positions x an even number F of filters between one 256-bit vector per filter
/// (planar) and the channels-last layout, with AVX's in-lane unpacks and shuffles: each
/// 128-bit lane transposes its 4 positions in pairs of filters, and one lane exchange per
/// vector puts the halves in place. About 3F instructions, where the general gather
/// (a shuffle and a blend per source and output) needs about 2F x F: 18 against 66 for
/// LeNet-5's 6 filters. The 256-bit path runs on x86 only, so the AVX intrinsics are safe
/// wherever <c>Vector256</c> is accelerated.
/// </summary>
internal static class PairedLaneTranspose
{
    private const string Avx = FrameworkNames.X86 + "Avx";

    public static bool Applies(VectorOps ops, int filters) => ops.Width == 8 && filters % 2 == 0;

    /// <summary>Stores filter vectors <c>f0..f(F-1)</c> as F vectors of channels-last output at <c>y</c>.</summary>
    public static void EmitInterleave(SourceWriter writer, VectorOps ops, int filters, System.Func<int, string> filter)
    {
        var pairs = filters / 2;
        writer.Comment("In each 128-bit lane, uNl holds filters 2N and 2N+1 at the lane's positions 0 and 1, uNh at positions 2 and 3.");
        for (var i = 0; i < pairs; i++)
        {
            writer.Line("var u" + i + "l = " + Avx + ".UnpackLow(" + filter(2 * i) + ", " + filter(2 * i + 1) + ");");
            writer.Line("var u" + i + "h = " + Avx + ".UnpackHigh(" + filter(2 * i) + ", " + filter(2 * i + 1) + ");");
        }

        writer.Comment("Chunk k holds floats 4k..4k+3 of each lane's channels-last positions; a lane exchange joins two chunks into an output vector.");
        var units = Units(pairs);
        for (var k = 0; k < filters; k++)
        {
            writer.Line("var o" + k + " = " + Join(units[2 * k], units[2 * k + 1]) + ";");
        }

        for (var m = 0; m < filters; m++)
        {
            var first = 2 * (m % pairs);
            var vector = Avx + ".Permute2x128(o" + first + ", o" + (first + 1) + ", " + (m < pairs ? "0x20" : "0x31") + ")";
            writer.Line(ops.Store(vector, "y", m * ops.Width));
        }
    }

    /// <summary>Loads F vectors of channels-last dz at <c>d</c> and stores them as one vector per filter at <c>s</c>, masked by <c>keep</c>.</summary>
    public static void EmitPlanar(SourceWriter writer, VectorOps ops, int filters)
    {
        var pairs = filters / 2;
        for (var m = 0; m < filters; m++)
        {
            writer.Line("var d" + m + " = " + ops.Load("d", m * ops.Width) + ";");
        }

        writer.Comment("Chunk k: floats 4k..4k+3 of each lane's positions (positions 0..3 in the low lanes, 4..7 in the high lanes).");
        for (var m = 0; m < pairs; m++)
        {
            writer.Line("var o" + 2 * m + " = " + Avx + ".Permute2x128(d" + m + ", d" + (m + pairs) + ", 0x20);");
            writer.Line("var o" + (2 * m + 1) + " = " + Avx + ".Permute2x128(d" + m + ", d" + (m + pairs) + ", 0x31);");
        }

        // Position p's pair i is unit p * pairs + i of the channels-last order (see Units): half t % 2 of chunk t / 2.
        (string, int) Unit(int p, int i) => ("o" + (p * pairs + i) / 2, (p * pairs + i) % 2);
        for (var i = 0; i < pairs; i++)
        {
            var low = Join(Unit(0, i), Unit(1, i));
            var high = Join(Unit(2, i), Unit(3, i));
            writer.Line("var u" + i + "l = " + low + ";");
            writer.Line("var u" + i + "h = " + high + ";");
            writer.Line(ops.Store(Avx + ".Shuffle(u" + i + "l, u" + i + "h, 0x88) & keep", "s", 2 * i * ops.Width));
            writer.Line(ops.Store(Avx + ".Shuffle(u" + i + "l, u" + i + "h, 0xDD) & keep", "s", (2 * i + 1) * ops.Width));
        }
    }

    /// <summary>
    /// The channels-last order of one lane's 4 positions in units of two floats (a pair of
    /// filters at one position): position p's pair i is half p % 2 of u<i>l (p &lt; 2) or u<i>h.
    /// </summary>
    private static List<(string Register, int Half)> Units(int pairs)
    {
        var units = new List<(string, int)>();
        for (var p = 0; p < 4; p++)
        {
            for (var i = 0; i < pairs; i++)
            {
                units.Add(("u" + i + (p < 2 ? "l" : "h"), p % 2));
            }
        }

        return units;
    }

    /// <summary>A vector of two units: half a.Half of a.Register, then half b.Half of b.Register (in each lane).</summary>
    private static string Join((string Register, int Half) a, (string Register, int Half) b)
    {
        if (a.Register == b.Register && a.Half == 0 && b.Half == 1)
        {
            return a.Register;
        }

        var control = (2 * a.Half) | ((2 * a.Half + 1) << 2) | ((2 * b.Half) << 4) | ((2 * b.Half + 1) << 6);
        return Avx + ".Shuffle(" + a.Register + ", " + b.Register + ", 0x" + control.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + ")";
    }
}
