using System.Reflection;
using System.Reflection.Emit;

namespace CnnGen.Tests.Infrastructure;

/// <summary>
/// Counts what decides whether RyuJIT optimises a method (PERFORMANCE.md): IL bytes, IL
/// instructions, basic blocks, locals, and local/argument references.
/// </summary>
internal static class IlInspector
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public sealed record Counts(string Method, int IlBytes, int Instructions, int BasicBlocks, int Locals, int LocalReferences);

    public static Counts Inspect(MethodInfo method)
    {
        var body = method.GetMethodBody() ?? throw new InvalidOperationException(method.Name + " has no body.");
        var il = body.GetILAsByteArray()!;
        var instructions = 0;
        var localReferences = 0;
        var branches = 0;
        var targets = new HashSet<int>();
        for (var position = 0; position < il.Length;)
        {
            var value = (short)il[position];
            position++;
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position]);
                position++;
            }

            var opcode = OpCodesByValue[value];
            instructions++;
            var name = opcode.Name!;
            if (name.StartsWith("ldloc", StringComparison.Ordinal) || name.StartsWith("stloc", StringComparison.Ordinal) ||
                name.StartsWith("ldarg", StringComparison.Ordinal) || name.StartsWith("starg", StringComparison.Ordinal))
            {
                localReferences++;
            }

            var operandStart = position;
            position += OperandSize(opcode, il, position);
            if (opcode.OperandType == OperandType.ShortInlineBrTarget)
            {
                branches++;
                targets.Add(position + (sbyte)il[operandStart]);
            }
            else if (opcode.OperandType == OperandType.InlineBrTarget)
            {
                branches++;
                targets.Add(position + BitConverter.ToInt32(il, operandStart));
            }
            else if (opcode.OperandType == OperandType.InlineSwitch)
            {
                var count = BitConverter.ToInt32(il, operandStart);
                branches++;
                for (var i = 0; i < count; i++)
                {
                    targets.Add(position + BitConverter.ToInt32(il, operandStart + 4 + 4 * i));
                }
            }
            else if (opcode.FlowControl is FlowControl.Return or FlowControl.Throw)
            {
                branches++;
            }
        }

        // Upper bound: a block starts at the method entry, at every branch target and after every branch.
        return new Counts(method.DeclaringType!.Name + "." + method.Name, il.Length, instructions, 1 + branches + targets.Count,
            body.LocalVariables.Count, localReferences);
    }

    private static int OperandSize(OpCode opcode, byte[] il, int position) => opcode.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
        _ => 4,
    };
}
