using System;
using System.Text;
using VaeGen.Imaging;
using Xunit;

namespace VaeGen.Tests.Imaging;

/// <summary>The table CRC-32 against published check values and a bit-at-a-time reference written here.</summary>
public sealed class Crc32Tests
{
    [Theory]
    [InlineData("IEND", 0xAE426082u)]        // the fixed CRC of every PNG's last chunk
    [InlineData("123456789", 0xCBF43926u)]   // the standard CRC-32 check value
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    public void Matches_published_values(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void Matches_a_bitwise_reference_on_random_bytes()
    {
        var random = new Random(3);
        for (var length = 0; length < 300; length += 7)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(ReferenceCrc.Compute(data), Crc32.Compute(data));
        }
    }

    [Fact]
    public void Append_continues_a_finished_checksum()
    {
        var data = Encoding.ASCII.GetBytes("IHDR and some chunk data");
        Assert.Equal(Crc32.Compute(data), Crc32.Append(Crc32.Compute(data.AsSpan(0, 4)), data.AsSpan(4)));
    }
}
