using System;
using System.Buffers.Binary;
using System.Linq;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace CnnGen.Onnx;

/// <summary>Decodes ONNX tensors (initializers, Constant node values) into <see cref="ConstTensor"/>.</summary>
internal static class TensorReader
{
    /// <summary>The tensor's values; <paramref name="owner"/> says where it is in error messages ("initializer 'conv1.weight'").</summary>
    public static ConstTensor Read(TensorProto tensor, string owner)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new OnnxImportException(
                $"The {owner} keeps its values in an external file, which the importer does not read. Save the model with its weights inside it " +
                "(torch.onnx.export does so for models under 2 GB; onnx.save_model(model, path, save_as_external_data=False)).");
        }

        if (tensor.Dims.Any(d => d < 0 || d > int.MaxValue))
        {
            throw Damaged(owner, $"it has the shape ({string.Join(", ", tensor.Dims)})");
        }

        var dims = tensor.Dims.Select(d => (int)d).ToArray();
        var count = (long)1;
        foreach (var dim in dims)
        {
            count *= dim;
            if (count > int.MaxValue)
            {
                throw Damaged(owner, $"its shape ({string.Join(", ", dims)}) holds more than {int.MaxValue} values");
            }
        }

        var raw = tensor.RawData.Span;
        switch ((DataType)tensor.DataType)
        {
            case DataType.Float:
                return ConstTensor.OfFloats(dims, raw.Length > 0
                    ? Decode(raw, 4, count, owner, bytes => BinaryPrimitives.ReadSingleLittleEndian(bytes))
                    : Exactly(tensor.FloatData.ToArray(), count, owner));
            case DataType.Double:
                return ConstTensor.OfFloats(dims, raw.Length > 0
                    ? Decode(raw, 8, count, owner, bytes => (float)BinaryPrimitives.ReadDoubleLittleEndian(bytes))
                    : Exactly(tensor.DoubleData.Select(v => (float)v).ToArray(), count, owner));
            case DataType.Int64:
                return ConstTensor.OfInts(dims, raw.Length > 0
                    ? Decode(raw, 8, count, owner, bytes => BinaryPrimitives.ReadInt64LittleEndian(bytes))
                    : Exactly(tensor.Int64Data.ToArray(), count, owner));
            case DataType.Int32:
                return ConstTensor.OfInts(dims, raw.Length > 0
                    ? Decode(raw, 4, count, owner, bytes => (long)BinaryPrimitives.ReadInt32LittleEndian(bytes))
                    : Exactly(tensor.Int32Data.Select(v => (long)v).ToArray(), count, owner));
            case DataType.Int8:
            case DataType.Uint8:
            case DataType.Int16:
            case DataType.Uint16:
            case DataType.Bool:
            {
                var size = (DataType)tensor.DataType is DataType.Int16 or DataType.Uint16 ? 2 : 1;
                var signed = (DataType)tensor.DataType is DataType.Int8 or DataType.Int16;
                return ConstTensor.OfInts(dims, raw.Length > 0
                    ? Decode<long>(raw, size, count, owner, bytes => size == 1
                        ? signed ? (sbyte)bytes[0] : bytes[0]
                        : signed ? BinaryPrimitives.ReadInt16LittleEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes))
                    : Exactly(tensor.Int32Data.Select(v => (long)v).ToArray(), count, owner));
            }

            default:
                throw new OnnxImportException(
                    $"The {owner} has the element type {(DataType)tensor.DataType}; the importer reads float, double and integer tensors (float16 and quantized models are not supported).");
        }
    }

    private static T[] Decode<T>(ReadOnlySpan<byte> raw, int size, long count, string owner, DecodeOne<T> decode)
    {
        if (raw.Length != count * size)
        {
            throw Damaged(owner, $"it should hold {count} values in {count * size} bytes but has {raw.Length}");
        }

        var values = new T[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = decode(raw.Slice(i * size, size));
        }

        return values;
    }

    private delegate T DecodeOne<T>(ReadOnlySpan<byte> bytes);

    private static T[] Exactly<T>(T[] values, long count, string owner) =>
        values.Length == count ? values : throw Damaged(owner, $"its shape holds {count} values but it has {values.Length}");

    private static OnnxImportException Damaged(string owner, string what) =>
        new($"The {owner} is damaged: {what} (is the file truncated?).");
}
