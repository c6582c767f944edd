using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// A generated file whose characters are all ASCII, kept as one byte per character in chunks below the large-object
/// heap's threshold. The compiler, and an IDE, keep every generated text for as long as the compilation lives; a
/// model's file is about 42,000 characters, which Roslyn's own texts keep as 84 KB of UTF-16 and this one as 42 KB, and
/// the collector, which copies what survives, has half as much to copy (the README's generator section has the figures).
/// </summary>
/// <remarks>
/// It reads as any <see cref="SourceText"/> does: characters are widened back on <see cref="CopyTo"/> and the indexer, and
/// <see cref="Encoding"/> is UTF-8 as <c>SourceText.From(..., Encoding.UTF8)</c> gives, so checksums, embedded PDB text and
/// parsing see the same text. A file with any other character (a namespace or class name outside ASCII) is left to
/// Roslyn's texts by <see cref="TryCreate"/>.
/// </remarks>
internal sealed class AsciiSourceText : SourceText
{
    // 32 KB chunks: far below the large-object heap's 85,000 bytes, and few enough that a lookup is a shift and a mask.
    private const int ChunkBits = 15;
    private const int ChunkSize = 1 << ChunkBits;
    private const int OffsetMask = ChunkSize - 1;

    private readonly byte[][] chunks;
    private readonly int length;

    private AsciiSourceText(byte[][] chunks, int length)
    {
        this.chunks = chunks;
        this.length = length;
    }

    /// <summary>The first <paramref name="length"/> characters of <paramref name="text"/>, copied; null when one of them is not ASCII.</summary>
    public static AsciiSourceText? TryCreate(char[] text, int length)
    {
        // UTF-8 takes one byte exactly for each ASCII character and more for any other (vectorized when the compiler runs on .NET).
        if (Encoding.UTF8.GetByteCount(text, 0, length) != length) return null;
        var chunks = new byte[(length + ChunkSize - 1) >> ChunkBits][];
        for (var i = 0; i < chunks.Length; i++)
        {
            var start = i << ChunkBits;
            var chunk = new byte[Math.Min(ChunkSize, length - start)];
            Encoding.ASCII.GetBytes(text, start, chunk.Length, chunk, 0);
            chunks[i] = chunk;
        }
        return new AsciiSourceText(chunks, length);
    }

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <inheritdoc />
    public override int Length => length;

    /// <inheritdoc />
    public override char this[int position]
    {
        get
        {
            if ((uint)position >= (uint)length)
                throw new ArgumentOutOfRangeException(nameof(position), position, $"The text has {length} characters.");
            return (char)chunks[position >> ChunkBits][position & OffsetMask];
        }
    }

    /// <inheritdoc />
    public override void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)
    {
        if (destination is null) throw new ArgumentNullException(nameof(destination));
        if (sourceIndex < 0 || count < 0 || sourceIndex > length - count)
            throw new ArgumentOutOfRangeException(nameof(sourceIndex), sourceIndex, $"{count} characters from {sourceIndex} do not lie in a text of {length}.");
        if (destinationIndex < 0 || destinationIndex > destination.Length - count)
            throw new ArgumentOutOfRangeException(nameof(destinationIndex), destinationIndex, $"{count} characters from {destinationIndex} do not fit an array of {destination.Length}.");
        while (count > 0)
        {
            var offset = sourceIndex & OffsetMask;
            var run = Math.Min(count, ChunkSize - offset);
            Encoding.ASCII.GetChars(chunks[sourceIndex >> ChunkBits], offset, run, destination, destinationIndex);
            sourceIndex += run;
            destinationIndex += run;
            count -= run;
        }
    }
}
