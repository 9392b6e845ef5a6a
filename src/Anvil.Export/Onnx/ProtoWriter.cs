using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Anvil.Export.Onnx;

/// <summary>
/// The few pieces of the protobuf wire format ONNX needs: varints (wire type 0), 32-bit floats
/// (wire type 5) and length-delimited bytes, strings and nested messages (wire type 2).
/// Repeated scalars are written unpacked, one tag per element, which onnx.proto (proto2) expects.
/// </summary>
internal sealed class ProtoWriter
{
    private const int VarintType = 0, LengthDelimitedType = 2, Fixed32Type = 5;

    private readonly ArrayBufferWriter<byte> _buffer = new();

    public void Int(int field, long value)
    {
        Tag(field, VarintType);
        Varint(unchecked((ulong)value)); // a negative int64 takes 10 bytes, as protobuf specifies
    }

    public void Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        _buffer.Write(value);
    }

    /// <summary>A nested message: written to its own buffer first, since its length comes before it.</summary>
    public void Message(int field, Action<ProtoWriter> write)
    {
        var inner = new ProtoWriter();
        write(inner);
        Bytes(field, inner._buffer.WrittenSpan);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        WriteByte((byte)value);
    }

    private void WriteByte(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }
}
