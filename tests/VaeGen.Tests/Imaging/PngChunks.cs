using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>Splits a PNG file into its chunks by the format's own rules, independently of the encoder.</summary>
internal static class PngChunks
{
    public static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public static List<(string Type, byte[] Data, uint StoredCrc)> Read(byte[] png)
    {
        Assert.Equal(Signature, png.Take(8).ToArray());
        var chunks = new List<(string, byte[], uint)>();
        var at = 8;
        while (at < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length).ToArray();
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length));
            chunks.Add((type, data, crc));
            at += 12 + length;
        }
        Assert.Equal(png.Length, at);
        return chunks;
    }

    /// <summary>The filtered scanlines: the IDAT data concatenated and inflated.</summary>
    public static byte[] Inflate(byte[] png)
    {
        var idat = Read(png).Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        using var input = new ZLibStream(new MemoryStream(idat), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
