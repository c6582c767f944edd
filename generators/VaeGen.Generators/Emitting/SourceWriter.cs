using System;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// A small indentation-aware text builder: four spaces a level, LF line ends, no trailing whitespace.
/// </summary>
/// <remarks>
/// Interpolated strings passed to <see cref="Line(ref TextHandler)"/> and <see cref="Lines(ref TextHandler)"/> are written
/// through <see cref="TextHandler"/>: the compiler splits them into literal pieces and holes, so no format string is parsed
/// and no intermediate string is built. That is most of the emitter's work, so it is most of a cold run's.
/// <para>
/// The text is kept in one char array that a disposed writer hands on to the next writer on its thread. A model's
/// file is about as long as the large-object heap's threshold (42,500 characters) or longer, and allocating it there for every model
/// (a growing StringBuilder and then its string) set off a full collection every few models: more than half of a cold
/// run went to the collector. <see cref="ToSourceText"/> copies the text out in small chunks, a byte a character.
/// </para>
/// </remarks>
internal sealed class SourceWriter : IDisposable
{
    // Buffers of the last disposed writer on this thread, reused by the next one.
    [ThreadStatic] private static char[]? spareText;
    [ThreadStatic] private static char[]? sparePending;

    // The text written so far: written[0 .. length).
    private char[] written;
    private int length;

    // The text of the interpolated string being handed to Line or Lines, gathered before it is indented and written.
    private char[] pending;
    private int pendingLength;
    private bool gathering;
    private int indentation;

    /// <summary>A writer with the buffers a disposed writer left on this thread, or new ones.</summary>
    public SourceWriter()
    {
        written = spareText ?? new char[32 * 1024];
        pending = sparePending ?? new char[4 * 1024];
        spareText = null;
        sparePending = null;
    }

    /// <summary>Writes one line at the current indentation (an empty line carries no indentation).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            AppendIndentation();
            Append(text, 0, text.Length);
        }
        Append('\n');
        return this;
    }

    /// <summary>Writes one line at the current indentation, straight from its interpolated pieces.</summary>
    public SourceWriter Line([InterpolatedStringHandlerArgument("")] ref TextHandler text)
    {
        if (pendingLength > 0)
        {
            AppendIndentation();
            Append(pending, 0, pendingLength);
        }
        Append('\n');
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
    public override string ToString() => new(written, 0, length);

    /// <summary>
    /// The text written so far as UTF-8 source text, copied out at once (so the writer may be disposed after): a byte a
    /// character when it is all ASCII (<see cref="AsciiSourceText"/>), else Roslyn's own text, which stores a text this
    /// long in chunks below the large-object heap's threshold.
    /// </summary>
    public SourceText ToSourceText() =>
        AsciiSourceText.TryCreate(written, length) ?? SourceText.From(new BufferReader(written, length), length, Encoding.UTF8);

    /// <summary>Leaves this writer's buffers to the next writer on this thread; the writer must not be used after.</summary>
    public void Dispose()
    {
        spareText = written;
        sparePending = pending;
        written = pending = [];
        length = pendingLength = 0;
    }

    private void AppendIndentation()
    {
        var count = indentation * 4;
        Reserve(ref written, length + count);
        for (var i = 0; i < count; i++) written[length + i] = ' ';
        length += count;
    }

    private void Append(char character)
    {
        Reserve(ref written, length + 1);
        written[length++] = character;
    }

    private void Append(string source, int start, int count)
    {
        Reserve(ref written, length + count);
        source.CopyTo(start, written, length, count);
        length += count;
    }

    private void Append(char[] source, int start, int count)
    {
        Reserve(ref written, length + count);
        Array.Copy(source, start, written, length, count);
        length += count;
    }

    private static void Reserve(ref char[] buffer, int needed)
    {
        if (needed <= buffer.Length) return;
        Array.Resize(ref buffer, Math.Max(needed, buffer.Length * 2));
    }

    private void BeginGathering(int length)
    {
        // A hole of an interpolated string that wrote to this writer would interleave with the text being gathered.
        if (gathering) throw new InvalidOperationException("A hole of an interpolated string wrote to the SourceWriter it is being written to.");
        gathering = true;
        pendingLength = 0;
        Reserve(ref pending, length);
    }

    private void Gather(string? text)
    {
        if (string.IsNullOrEmpty(text)) return;
        Reserve(ref pending, pendingLength + text!.Length);
        text.CopyTo(0, pending, pendingLength, text.Length);
        pendingLength += text.Length;
    }

    /// <summary>Splits the gathered text at LF (a CR before it is trailing whitespace) and writes each line as <see cref="Line(string)"/> would, trimmed at its end.</summary>
    private void WritePendingLines()
    {
        var start = 0;
        while (start <= pendingLength)
        {
            // The next LF, found by the runtime's vectorized search; the text's end closes the last line.
            var i = start < pendingLength ? Array.IndexOf(pending, '\n', start, pendingLength - start) : -1;
            if (i < 0) i = pendingLength;
            var end = i;
            while (end > start && char.IsWhiteSpace(pending[end - 1])) end--;
            if (end > start)
            {
                AppendIndentation();
                Append(pending, start, end - start);
            }
            Append('\n');
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

        public void AppendFormatted<T>(T value) => writer.Gather(Format(value));

        private static string? Format<T>(T value) => value switch
        {
            null => null,
            string text => text,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
    }

    /// <summary>Reads a prefix of a char array, as <see cref="SourceText.From(TextReader, int, Encoding, SourceHashAlgorithm)"/> needs.</summary>
    private sealed class BufferReader(char[] buffer, int length) : TextReader
    {
        private int position;

        public override int Peek() => position < length ? buffer[position] : -1;

        public override int Read() => position < length ? buffer[position++] : -1;

        public override int Read(char[] destination, int index, int count)
        {
            count = Math.Min(count, length - position);
            Array.Copy(buffer, position, destination, index, count);
            position += count;
            return count;
        }

        public override string ReadToEnd()
        {
            var rest = new string(buffer, position, length - position);
            position = length;
            return rest;
        }
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
