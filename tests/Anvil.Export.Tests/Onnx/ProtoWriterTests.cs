using Anvil.Export.Onnx;

namespace Anvil.Export.Tests.Onnx;

// Expected bytes worked out by hand from the protobuf encoding rules (tag = field << 3 | wire type, base-128 varints).
public sealed class ProtoWriterTests
{
    [Fact]
    public void IntIsATagAndABase128Varint()
    {
        var writer = new ProtoWriter();
        writer.Int(1, 300);  // 300 = 0b10_0101100 → 0xAC 0x02
        writer.Int(2, -1);   // negative int64: ten bytes, all ones
        Assert.Equal([0x08, 0xAC, 0x02, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.ToArray());
    }

    [Fact]
    public void FloatIsFourLittleEndianBytes()
    {
        var writer = new ProtoWriter();
        writer.Float(2, 1f); // 0x3F800000
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], writer.ToArray());
    }

    [Fact]
    public void NestedMessageIsPrefixedWithItsLength()
    {
        var writer = new ProtoWriter();
        writer.Message(7, inner => inner.String(1, "ab"));
        Assert.Equal([0x3A, 0x04, 0x0A, 0x02, (byte)'a', (byte)'b'], writer.ToArray());
    }
}
