using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace VaeGen.Tests.Data;

/// <summary>Builds IDX file contents by hand, independently of the reader under test.</summary>
internal static class IdxBytes
{
    /// <summary>A header with the given type and sizes followed by <paramref name="data"/>; sizes are written as given, even invalid ones.</summary>
    public static byte[] Build(int[] dimensions, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = checked((byte)dimensions.Length);
        for (var i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i, 4), dimensions[i]);
        data.CopyTo(bytes, 4 + 4 * dimensions.Length);
        return bytes;
    }

    /// <summary>A valid unsigned-byte file whose element i is (i * 7 + 3) mod 256, so misplaced bytes show.</summary>
    public static byte[] Valid(params int[] dimensions) => Build(dimensions, Pattern(Product(dimensions)));

    /// <summary>(i * 7 + 3) mod 256 for i in 0..count-1.</summary>
    public static byte[] Pattern(int count)
    {
        var data = new byte[count];
        for (var i = 0; i < count; i++)
            data[i] = (byte)((i * 7 + 3) % 256);
        return data;
    }

    /// <summary>The product of the sizes.</summary>
    public static int Product(int[] dimensions)
    {
        var product = 1;
        foreach (var size in dimensions)
            product *= size;
        return product;
    }

    /// <summary>The bytes compressed as a gzip stream.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(bytes);
        return output.ToArray();
    }
}
