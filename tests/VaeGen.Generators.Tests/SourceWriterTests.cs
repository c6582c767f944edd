using System;
using System.Globalization;
using System.Threading;
using VaeGen.Generators.Emitting;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// The writer's interpolated-string path (which the emitter takes for speed) writes exactly what the plain-string path
/// writes for the same text, so the snapshots pin both.
/// </summary>
public sealed class SourceWriterTests
{
    [Theory]
    [InlineData("")]
    [InlineData("one line")]
    [InlineData("a\nb\n")]
    [InlineData("trailing   \nspaces\t\n")]
    [InlineData("windows\r\nline ends\r\n")]
    [InlineData("  nested\n    deeper\n\n  back")]
    [InlineData("lone\rcarriage return")]
    public void InterpolatedLinesWriteWhatThePlainStringWrites(string hole)
    {
        var plain = new SourceWriter();
        var interpolated = new SourceWriter();
        using (plain.Indent()) plain.Lines("start " + hole + " | " + 42 + "\nend\n");
        using (interpolated.Indent()) interpolated.Lines($"start {hole} | {42}\nend\n");

        Assert.Equal(plain.ToString(), interpolated.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("text with trailing space ")]
    public void InterpolatedLineWritesWhatThePlainStringWrites(string hole)
    {
        var plain = new SourceWriter();
        var interpolated = new SourceWriter();
        using (plain.Block()) plain.Line(hole + "").Line("x = " + hole + ";");
        using (interpolated.Block()) interpolated.Line($"{hole}").Line($"x = {hole};");

        Assert.Equal(plain.ToString(), interpolated.ToString());
        Assert.Contains("    x = " + hole + ";\n", interpolated.ToString());
    }

    [Fact]
    public void HolesAreFormattedWithTheInvariantCulture()
    {
        var culture = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var writer = new SourceWriter();
            writer.Line($"const double Variance = {0.25};");

            Assert.Equal("const double Variance = 0.25;\n", writer.ToString());
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = culture;
        }
    }

    [Fact]
    public void AHoleThatWritesToTheSameWriterIsRefused()
    {
        var writer = new SourceWriter();

        Assert.Throws<InvalidOperationException>(() => writer.Lines($"a {writer.Line($"b{1}")} c"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    public void SourceTextHasTheWrittenTextInUtf8(int lines)
    {
        // 5,000 lines are about 150,000 characters: the compiler stores that text in chunks, the short one as a string.
        using var writer = new SourceWriter();
        using (writer.Block())
        {
            for (var i = 0; i < lines; i++) writer.Line($"public const int Value{i} = {i * 7}; // ä");
        }

        var text = writer.ToSourceText();

        Assert.Equal(writer.ToString(), text.ToString());
        Assert.Equal(writer.ToString().Length, text.Length);
        Assert.Equal("UTF-8", text.Encoding?.WebName.ToUpperInvariant());
    }

    [Fact]
    public void AWriterAfterADisposedOneStartsEmptyAndTheFirstTextSurvives()
    {
        string first;
        Microsoft.CodeAnalysis.Text.SourceText firstText;
        using (var writer = new SourceWriter())
        {
            for (var i = 0; i < 3_000; i++) writer.Line($"line {i}");
            first = writer.ToString();
            firstText = writer.ToSourceText();
        }

        using var next = new SourceWriter();
        next.Line("short");

        Assert.Equal("short\n", next.ToString());
        Assert.Equal(first, firstText.ToString());
    }
}
