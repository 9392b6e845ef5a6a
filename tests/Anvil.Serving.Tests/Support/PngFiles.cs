using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Anvil.Serving.Tests.Support;

/// <summary>PNG files written byte by byte, for inputs no image library would produce.</summary>
public static class PngFiles
{
    /// <summary>
    /// An all-black 8-bit grey PNG whose header says <paramref name="width"/>×<paramref name="height"/>: a few KB on the
    /// wire. Its IDAT holds <paramref name="rows"/> rows (all of them by default, a valid file); fewer make a file whose
    /// header promises far more pixels than it carries (a full 50,000² one would inflate to gigabytes).
    /// </summary>
    public static byte[] Black(int width, int height, int? rows = null)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), deflate, no filter, no interlace
        Chunk(png, "IHDR", header);
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var row = new byte[width + 1]; // filter byte 0, then black pixels
            for (var y = 0; y < (rows ?? height); y++)
                zlib.Write(row);
        }

        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    public static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        stream.Write(length);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(length, Crc32(typeAndData));
        stream.Write(length);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }

        return ~crc;
    }
}
