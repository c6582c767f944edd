using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// A small indentation-aware text builder: four spaces a level, LF line ends, no trailing whitespace.
/// </summary>
/// <remarks>
/// Interpolated strings passed to <see cref="Line(ref TextHandler)"/> and <see cref="Lines(ref TextHandler)"/> are written
/// through <see cref="TextHandler"/>: the compiler splits them into literal pieces and holes, so no format string is parsed
/// and no intermediate string is built. That is most of the emitter's work, so it is most of a cold run's.
/// </remarks>
internal sealed class SourceWriter
{
    // Default capacity: the builder grows in chunks, so a large model's text never lands on the large-object heap until ToString.
    private readonly StringBuilder builder = new();

    // The text of the interpolated string being handed to Line or Lines, gathered before it is indented and written.
    private char[] pending = new char[4 * 1024];
    private int pendingLength;
    private bool gathering;
    private int indentation;

    /// <summary>Writes one line at the current indentation (an empty line carries no indentation).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) builder.Append(' ', indentation * 4).Append(text);
        builder.Append('\n');
        return this;
    }

    /// <summary>Writes one line at the current indentation, straight from its interpolated pieces.</summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref TextHandler text)
    {
        if (pendingLength > 0) builder.Append(' ', indentation * 4).Append(pending, 0, pendingLength);
        builder.Append('\n');
        EndGathering();
        return this;
    }

    /// <summary>Writes a multi-line chunk, each line at the current indentation plus its own, trailing whitespace dropped.</summary>
    public SourceWriter Lines(string text)
    {
        BeginGathering(text.Length);
        Gather(text);
        WritePendingLines();
        return this;
    }

    /// <summary>Like <see cref="Lines(string)"/>, straight from the interpolated pieces.</summary>
    public SourceWriter Lines([InterpolatedStringHandlerArgument("")] ref TextHandler text)
    {
        WritePendingLines();
        return this;
    }

    /// <summary>Opens a brace block: the line <c>{</c>, one level deeper until the returned scope is disposed.</summary>
    public IDisposable Block()
    {
        Line("{");
        indentation++;
        return new Closer(this, "}");
    }

    /// <summary>Like <see cref="Block()"/>, closing with <paramref name="closing"/> (e.g. "};" or "});").</summary>
    public IDisposable Block(string closing)
    {
        Line("{");
        indentation++;
        return new Closer(this, closing);
    }

    /// <summary>Indents the lines written until the returned scope is disposed.</summary>
    public IDisposable Indent()
    {
        indentation++;
        return new Closer(this, null);
    }

    /// <summary>The text written so far.</summary>
    public override string ToString() => builder.ToString();

    private void BeginGathering(int length)
    {
        // A hole of an interpolated string that wrote to this writer would interleave with the text being gathered.
        if (gathering) throw new InvalidOperationException("A hole of an interpolated string wrote to the SourceWriter it is being written to.");
        gathering = true;
        pendingLength = 0;
        Reserve(length);
    }

    private void Gather(string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        Reserve(pendingLength + text!.Length);
        text.CopyTo(0, pending, pendingLength, text.Length);
        pendingLength += text.Length;
    }

    private void Reserve(int length)
    {
        if (length <= pending.Length) return;
        Array.Resize(ref pending, Math.Max(length, pending.Length * 2));
    }

    /// <summary>Splits the gathered text at LF (a CR before it is trailing whitespace) and writes each line as <see cref="Line(string)"/> would, trimmed at its end.</summary>
    private void WritePendingLines()
    {
        var start = 0;
        for (var i = 0; i <= pendingLength; i++)
        {
            if (i < pendingLength && pending[i] != '\n') continue;
            var end = i;
            while (end > start && char.IsWhiteSpace(pending[end - 1])) end--;
            if (end > start) builder.Append(' ', indentation * 4).Append(pending, start, end - start);
            builder.Append('\n');
            start = i + 1;
        }
        EndGathering();
    }

    private void EndGathering()
    {
        gathering = false;
        pendingLength = 0;
    }

    /// <summary>Gathers an interpolated string's pieces into its writer; holes are formatted with the invariant culture.</summary>
    [InterpolatedStringHandler]
    internal readonly struct TextHandler
    {
        private readonly SourceWriter writer;

        public TextHandler(int literalLength, int formattedCount, SourceWriter writer)
        {
            this.writer = writer;
            writer.BeginGathering(literalLength + formattedCount * 16);
        }

        public void AppendLiteral(string value) => writer.Gather(value);

        public void AppendFormatted(string? value) => writer.Gather(value);

        public void AppendFormatted<T>(T value) => writer.Gather(Format(value, null));

        public void AppendFormatted<T>(T value, string? format) => writer.Gather(Format(value, format));

        public void AppendFormatted<T>(T value, int alignment) => AppendFormatted(value, alignment, null);

        public void AppendFormatted<T>(T value, int alignment, string? format)
        {
            var text = Format(value, format) ?? string.Empty;
            if (alignment > text.Length) writer.Gather(new string(' ', alignment - text.Length));
            writer.Gather(text);
            if (-alignment > text.Length) writer.Gather(new string(' ', -alignment - text.Length));
        }

        private static string? Format<T>(T value, string? format) => value switch
        {
            null => null,
            string text => text,
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    private sealed class Closer(SourceWriter writer, string? closing) : IDisposable
    {
        public void Dispose()
        {
            writer.indentation--;
            if (closing is not null) writer.Line(closing);
        }
    }
}
