using System;
using System.IO;
using VaeGen.Data;
using Xunit;

namespace VaeGen.Tests.Data;

/// <summary>IDX files round-trip, plain or gzip, and every malformed file fails with a message naming the file and the numbers.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static void AssertRoundTrip(string path, int[] dimensions)
    {
        var array = IdxReader.Read(path);
        Assert.Equal(path, array.Path);
        Assert.Equal(dimensions, array.Dimensions);
        Assert.Equal(IdxBytes.Pattern(IdxBytes.Product(dimensions)), array.Data.ToArray());
    }

    private static string AssertInvalid(string path, params string[] fragments)
    {
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error.Message;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_one_dimensional_file_round_trips(bool gzip)
    {
        var bytes = IdxBytes.Valid(300);
        var path = temp.Write("labels", gzip ? IdxBytes.Gzip(bytes) : bytes);
        AssertRoundTrip(path, [300]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_three_dimensional_file_round_trips_in_row_major_order(bool gzip)
    {
        var bytes = IdxBytes.Valid(5, 3, 4);
        var path = temp.Write("images", gzip ? IdxBytes.Gzip(bytes) : bytes);
        AssertRoundTrip(path, [5, 3, 4]);
        var array = IdxReader.Read(path);
        // Element [2, 1, 3] sits at 2*12 + 1*4 + 3 = 31 in row-major order.
        Assert.Equal((byte)((31 * 7 + 3) % 256), array.Data.Span[31]);
        Assert.Equal("[5, 3, 4]", array.Shape);
    }

    [Fact]
    public void Gzip_is_recognized_by_content_not_by_file_name()
    {
        var bytes = IdxBytes.Valid(2, 2, 2);
        AssertRoundTrip(temp.Write("compressed.idx", IdxBytes.Gzip(bytes)), [2, 2, 2]);
        AssertRoundTrip(temp.Write("plain.gz", bytes), [2, 2, 2]);
    }

    [Fact]
    public void A_four_dimensional_file_is_accepted()
    {
        AssertRoundTrip(temp.Write("four", IdxBytes.Valid(2, 3, 1, 2)), [2, 3, 1, 2]);
    }

    [Fact]
    public void A_missing_file_is_FileNotFoundException()
    {
        var path = Path.Combine(temp.Path, "absent-idx1-ubyte.gz");
        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_magic_names_the_bytes_found()
    {
        var bytes = IdxBytes.Valid(4);
        bytes[0] = 0x01;
        bytes[1] = 0x02;
        AssertInvalid(temp.Write("magic", bytes), "0x01 0x02", "0x00 0x00");
        var second = IdxBytes.Valid(4);
        second[1] = 0x08;
        AssertInvalid(temp.Write("magic2", second), "0x00 0x08");
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x07)]
    [InlineData(0x0A)]
    [InlineData(0x0F)]
    [InlineData(0xFF)]
    public void An_unknown_type_byte_is_invalid_data(byte type)
    {
        AssertInvalid(temp.Write("type", IdxBytes.Build([2], [1, 2], type)), $"0x{type:x2}", "not an IDX data type");
    }

    [Theory]
    [InlineData(0x09, "signed byte")]
    [InlineData(0x0B, "int16")]
    [InlineData(0x0C, "int32")]
    [InlineData(0x0D, "float32")]
    [InlineData(0x0E, "float64")]
    public void A_valid_type_other_than_unsigned_byte_is_not_supported(byte type, string name)
    {
        var path = temp.Write("typed", IdxBytes.Build([2], [1, 2], type));
        var error = Assert.Throws<NotSupportedException>(() => IdxReader.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains($"0x{type:x2}", error.Message, StringComparison.Ordinal);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { 3, 0, 4 }, "dimension 1 of [3, 0, 4] has size 0")]
    [InlineData(new[] { 0 }, "dimension 0 of [0] has size 0")]
    [InlineData(new[] { 2, -5 }, "dimension 1 of [2, -5] has size -5")]
    public void A_size_below_one_names_the_dimension_and_its_size(int[] dimensions, string expected)
    {
        AssertInvalid(temp.Write("sizes", IdxBytes.Build(dimensions, [])), expected);
    }

    [Fact]
    public void More_than_four_dimensions_says_how_many()
    {
        AssertInvalid(temp.Write("five", IdxBytes.Valid(1, 2, 1, 2, 1)), "declares 5 dimensions", "between 1 and 4");
        AssertInvalid(temp.Write("many", IdxBytes.Build(new int[200], [])), "declares 200 dimensions");
    }

    [Fact]
    public void Zero_dimensions_says_so()
    {
        AssertInvalid(temp.Write("zero", IdxBytes.Build([], [])), "declares 0 dimensions");
    }

    [Fact]
    public void Sizes_whose_product_exceeds_an_array_name_the_product()
    {
        // 65536^3 = 2^48 elements: the product itself would overflow an int.
        AssertInvalid(temp.Write("huge", IdxBytes.Build([65536, 65536, 65536], [])), "[65536, 65536, 65536]", "281474976710656 elements");
        // 2^31 fits in a long but not in an array; all four sizes are valid int32 values.
        AssertInvalid(temp.Write("big", IdxBytes.Build([32768, 65536, 1, 1], [])), "2147483648 elements");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_truncated_payload_says_expected_and_actual_bytes(bool gzip)
    {
        var bytes = IdxBytes.Build([5, 3, 4], IdxBytes.Pattern(47));
        var path = temp.Write("truncated", gzip ? IdxBytes.Gzip(bytes) : bytes);
        AssertInvalid(path, "need 60 data bytes", "has only 47", "truncated", gzip ? "decompressed bytes" : "63 bytes in all");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_are_an_error_that_counts_them(bool gzip)
    {
        var bytes = IdxBytes.Build([5, 3, 4], IdxBytes.Pattern(63));
        var path = temp.Write("trailing", gzip ? IdxBytes.Gzip(bytes) : bytes);
        AssertInvalid(path, "need 60 data bytes", "but 63 follow it", "3 trailing");
    }

    [Fact]
    public void A_truncated_header_says_how_far_the_file_goes()
    {
        AssertInvalid(temp.Write("three", [0, 0, 8]), "only 3 bytes", "4-byte IDX header");
        // Declares 3 dimensions (16 header bytes) but holds only two sizes.
        var twoSizes = IdxBytes.Build([5, 3], []);
        twoSizes[3] = 3;
        AssertInvalid(temp.Write("sizes", twoSizes), "declares 3 dimensions (16 header bytes)", "ends after 12 bytes");
    }

    [Fact]
    public void An_empty_file_says_it_is_empty()
    {
        AssertInvalid(temp.Write("empty", []), "empty");
        // GZipStream writes nothing for empty input, so this is a well-formed empty gzip member by hand: header, an
        // empty final fixed-Huffman block (03 00), CRC-32 0 and length 0.
        byte[] emptyGzip = [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        AssertInvalid(temp.Write("empty.gz", emptyGzip), "gzip stream yields no data");
        AssertInvalid(temp.Write("one", [0x1f]), "only 1 bytes");
    }

    [Fact]
    public void A_corrupt_deflate_stream_is_wrapped_with_the_file_name()
    {
        var gzip = IdxBytes.Gzip(IdxBytes.Valid(5, 3, 4));
        // After the 10-byte gzip header, 0xFF starts a deflate block of reserved type 3, which no decoder accepts.
        gzip[10] = 0xFF;
        var path = temp.Write("corrupt.gz", gzip);
        var message = AssertInvalid(path, "not a valid gzip stream");
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Contains(error.InnerException!.Message, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_gzip_checksum_is_caught_after_the_data()
    {
        var gzip = IdxBytes.Gzip(IdxBytes.Valid(5, 3, 4));
        // The CRC-32 is the 8th- to 5th-last bytes; the data decompresses fine, so only the end-of-stream check fails.
        gzip[^8] ^= 0xFF;
        AssertInvalid(temp.Write("crc.gz", gzip), "not a valid gzip stream");
    }

    [Fact]
    public void A_gzip_file_cut_short_fails_with_the_file_name()
    {
        var gzip = IdxBytes.Gzip(IdxBytes.Valid(50, 7, 9));
        var path = temp.Write("cut.gz", gzip[..(gzip.Length / 2)]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_header_inside_gzip_is_reported_as_the_file_problem_it_is()
    {
        var badMagic = IdxBytes.Valid(5, 3, 4);
        badMagic[1] = 0x07;
        var message = AssertInvalid(temp.Write("magic.gz", IdxBytes.Gzip(badMagic)), "0x00 0x07", "not the IDX magic");
        Assert.DoesNotContain("gzip", message, StringComparison.Ordinal);
        var floats = IdxBytes.Valid(5, 3, 4);
        floats[2] = 0x0D;
        var error = Assert.Throws<NotSupportedException>(() => IdxReader.Read(temp.Write("floats.gz", IdxBytes.Gzip(floats))));
        Assert.Contains("float32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_file_of_several_chunks_round_trips_and_counts_trailing_bytes_past_a_chunk(bool gzip)
    {
        // 9 MB of data: the reader takes it in 4 MB chunks, so the data and the trailing bytes span chunk boundaries.
        int[] dimensions = [9, 1000, 1000];
        var bytes = IdxBytes.Valid(dimensions);
        AssertRoundTrip(temp.Write("big", gzip ? IdxBytes.Gzip(bytes) : bytes), dimensions);
        var trailing = IdxBytes.Build(dimensions, IdxBytes.Pattern(IdxBytes.Product(dimensions) + (5 << 20)));
        AssertInvalid(temp.Write("big-trailing", gzip ? IdxBytes.Gzip(trailing) : trailing), "need 9000000 data bytes", $"{5 << 20} trailing");
    }

    [Fact]
    public void Concatenated_gzip_members_are_read_as_one_stream()
    {
        var bytes = IdxBytes.Valid(50, 7, 9);
        var middle = bytes.Length / 3;
        var path = temp.Write("members.gz", [.. IdxBytes.Gzip(bytes[..middle]), .. IdxBytes.Gzip(bytes[middle..])]);
        AssertRoundTrip(path, [50, 7, 9]);
    }
}
