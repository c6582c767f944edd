using System;
using System.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>A small indentation-aware text builder: four spaces a level, LF line ends, no trailing whitespace.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder builder = new();
    private int indentation;

    /// <summary>Writes one line at the current indentation (an empty line carries no indentation).</summary>
    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0) builder.Append(' ', indentation * 4).Append(text);
        builder.Append('\n');
        return this;
    }

    /// <summary>Writes a multi-line chunk, each line at the current indentation plus its own.</summary>
    public SourceWriter Lines(string text)
    {
        foreach (var line in text.Replace("\r\n", "\n").Split('\n')) Line(line.TrimEnd());
        return this;
    }

    /// <summary>Opens a brace block: the line <c>{</c>, one level deeper until the returned scope is disposed.</summary>
    public IDisposable Block()
    {
        Line("{");
        indentation++;
        return new Closer(this, "}");
    }

    /// <summary>Like <see cref="Block"/>, closing with <paramref name="closing"/> (e.g. "};" or "});").</summary>
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

    private sealed class Closer(SourceWriter writer, string? closing) : IDisposable
    {
        public void Dispose()
        {
            writer.indentation--;
            if (closing is not null) writer.Line(closing);
        }
    }
}
