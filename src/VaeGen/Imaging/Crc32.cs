using System;

namespace VaeGen.Imaging;

/// <summary>
/// The CRC-32 that PNG puts after every chunk (ISO 3309 / ITU-T V.42: reflected polynomial 0xEDB88320, register
/// preset to all ones and inverted at the end), computed a byte at a time from a 256-entry table.
/// </summary>
public static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to check.</param>
    /// <returns>The checksum; 0 for no bytes. The CRC-32 of the ASCII bytes "IEND" is 0xAE426082.</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0u, data);

    /// <summary>Extends a finished CRC-32 with more bytes, so that <c>Append(Compute(a), b)</c> is the CRC-32 of a then b.</summary>
    /// <param name="crc">The CRC-32 of the bytes so far (0 for none).</param>
    /// <param name="data">The bytes that follow them.</param>
    /// <returns>The CRC-32 of all the bytes.</returns>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        // Undo the final inversion of the previous result to get the running register back.
        var register = ~crc;
        foreach (var b in data)
            register = Table[(register ^ b) & 0xFF] ^ (register >> 8);
        return ~register;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var bit = 0; bit < 8; bit++)
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
