namespace VaeGen.Tests.Imaging;

/// <summary>CRC-32 one bit at a time, straight from the polynomial, to check the table-driven encoder against.</summary>
internal static class ReferenceCrc
{
    public static uint Compute(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ (0xEDB88320u & (uint)-(int)(crc & 1));
        }
        return ~crc;
    }
}
