using System;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using VaeGen.Generators.Emitting;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// The byte-a-character text the generator hands the compiler reads exactly as Roslyn's own text of the same string:
/// characters, spans, lines, checksum and content equality, across its 32 KB chunks.
/// </summary>
public sealed class AsciiSourceTextTests
{
    private const int Chunk = 1 << 15;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk + 12_345)]
    public void ReadsAsRoslynsTextOfTheSameString(int length)
    {
        var content = AsciiCode(length, seed: length);
        var expected = SourceText.From(content, Encoding.UTF8);

        var text = AsciiSourceText.TryCreate(content.ToCharArray(), length);

        Assert.NotNull(text);
        // Before any checksum exists: with one, ContentEquals would compare checksums instead of characters.
        Assert.True(text!.ContentEquals(expected));
        Assert.True(expected.ContentEquals(text));
        Assert.Equal(length, text.Length);
        Assert.Equal(content, text.ToString());
        Assert.Equal(expected.Encoding!.WebName, text.Encoding!.WebName);
        Assert.Equal(Convert.ToHexString(expected.GetChecksum().ToArray()), Convert.ToHexString(text.GetChecksum().ToArray()));
        // What a PDB embeds: the same blob and checksum.
        var embedded = EmbeddedText.FromSource("Model.g.cs", text);
        var expectedEmbedded = EmbeddedText.FromSource("Model.g.cs", expected);
        Assert.Equal(Convert.ToHexString(expectedEmbedded.Checksum.ToArray()), Convert.ToHexString(embedded.Checksum.ToArray()));
        Assert.Equal(expected.Lines.Select(l => (l.Start, l.EndIncludingLineBreak, l.ToString())), text.Lines.Select(l => (l.Start, l.EndIncludingLineBreak, l.ToString())));
        foreach (var position in new[] { 0, Chunk - 1, Chunk, Chunk + 1, 2 * Chunk, length - 1 }.Where(p => p >= 0 && p < length))
            Assert.Equal(content[position], text[position]);

        var random = new Random(length);
        for (var i = 0; i < 200 && length > 0; i++)
        {
            var start = random.Next(length);
            var span = new TextSpan(start, random.Next(Math.Min(length - start, 2 * Chunk) + 1));
            Assert.Equal(content.Substring(span.Start, span.Length), text.ToString(span));

            // Into the middle of a larger array, leaving its ends alone.
            var destination = Enumerable.Repeat('#', span.Length + 6).ToArray();
            text.CopyTo(span.Start, destination, 3, span.Length);
            Assert.Equal("###" + content.Substring(span.Start, span.Length) + "###", new string(destination));
        }
    }

    [Theory]
    [InlineData(Chunk)]
    [InlineData(3 * Chunk - 1)]
    public void ATextDifferingInOneCharacterIsNotEqual(int position)
    {
        var content = AsciiCode(3 * Chunk, seed: position);
        var changed = content.ToCharArray();
        changed[position] = changed[position] == 'x' ? 'y' : 'x';

        var text = AsciiSourceText.TryCreate(content.ToCharArray(), content.Length)!;
        var other = AsciiSourceText.TryCreate(changed, changed.Length)!;

        Assert.False(text.ContentEquals(other));
        Assert.False(other.ContentEquals(SourceText.From(content, Encoding.UTF8)));
        Assert.False(SourceText.From(content, Encoding.UTF8).ContentEquals(other));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Chunk + 100)]
    public void ATextWithACharacterOutsideAsciiIsLeftToRoslyn(int asciiBefore)
    {
        var content = new string('a', asciiBefore) + "Modèle";

        Assert.Null(AsciiSourceText.TryCreate(content.ToCharArray(), content.Length));
        // Only the given prefix counts: the same characters before the non-ASCII one are accepted.
        Assert.NotNull(AsciiSourceText.TryCreate(content.ToCharArray(), asciiBefore + 3));
    }

    [Fact]
    public void ReadsOutsideTheTextAreRefusedWithTheirPosition()
    {
        var text = AsciiSourceText.TryCreate("0123456789".ToCharArray(), 10)!;

        var before = Assert.Throws<ArgumentOutOfRangeException>(() => text[-1]);
        Assert.Equal(-1, before.ActualValue);
        Assert.Throws<ArgumentOutOfRangeException>(() => text[10]);
        var past = Assert.Throws<ArgumentOutOfRangeException>(() => text.CopyTo(8, new char[10], 0, 3));
        Assert.Equal("sourceIndex", past.ParamName);
        var small = Assert.Throws<ArgumentOutOfRangeException>(() => text.CopyTo(0, new char[4], 2, 3));
        Assert.Equal("destinationIndex", small.ParamName);
        Assert.Throws<ArgumentNullException>(() => text.CopyTo(0, null!, 0, 1));
    }

    [Fact]
    public void TheGeneratorHandsTheCompilerAsciiTextAndRoslynsTextForOtherNames()
    {
        var run = GeneratorHarness.Run("""
            using VaeGen;
            namespace Shop;
            [Vae(12, 2)]
            [Encoder(8)]
            [Decoder(8)]
            public partial class Model;
            [Vae(12, 2)]
            [Encoder(8)]
            [Decoder(8)]
            public partial class Modèle;
            """);

        var sources = run.Generator.GeneratedSources;
        var ascii = sources.Single(s => s.SourceText.ToString().Contains("partial class Model ", StringComparison.Ordinal));
        var other = sources.Single(s => s.SourceText.ToString().Contains("partial class Modèle ", StringComparison.Ordinal));
        Assert.IsType<AsciiSourceText>(ascii.SourceText);
        Assert.IsNotType<AsciiSourceText>(other.SourceText);
        // Both parse and compile as any generated file does.
        Assert.Empty(run.CompilationProblems);
    }

    /// <summary>Lines of code-like ASCII: letters, digits, punctuation, tabs, and LF or CRLF line ends, from a seed.</summary>
    private static string AsciiCode(int length, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(length);
        while (builder.Length < length)
        {
            var line = random.Next(0, 90);
            for (var i = 0; i < line && builder.Length < length; i++) builder.Append((char)random.Next(32, 127));
            if (builder.Length < length - 1 && random.Next(4) == 0) builder.Append("\r\n");
            else if (builder.Length < length) builder.Append(random.Next(8) == 0 ? '\t' : '\n');
        }
        return builder.ToString();
    }
}
