using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using nietras.SeparatedValues;
using static TorchSharp.torch;

namespace VaeGen.Data;

/// <summary>
/// Reads a CSV file into tensors: the chosen numeric columns as float32 features, optionally a class-label column and
/// feature-condition columns. Parsing is Sep's (quotes, escaped quotes, line breaks inside quotes, the line numbers of
/// each row); numbers are read in the invariant culture ("1.5", "-2e-3"). Every error names the file, the line, the
/// column and the value.
/// </summary>
public static class CsvData
{
    /// <summary>Reads the whole file into memory.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Its form and the columns to read; null takes a comma-separated file with a header, every column a feature.</param>
    /// <returns>The examples; the caller disposes them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">
    /// The options name a column the file does not have (a name not in the header, an index past the last column, a
    /// name without a header), name one column twice, or leave no feature column; the message names the file and its columns.
    /// </exception>
    /// <exception cref="InvalidDataException">
    /// The file is empty or has no data rows, a row has another number of cells than the header (or the first row), a
    /// feature or condition cell is empty, not a number or not finite, or a label is not one of <see cref="CsvOptions.Classes"/>;
    /// the message names the file, the line, the column and the value.
    /// </exception>
    public static TabularData Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new CsvOptions();
        var fullPath = Path.GetFullPath(path);

        var features = new FloatRows();
        var conditions = new FloatRows();
        var labelTexts = new List<string>();
        var labelLines = new List<int>();
        Layout layout;
        using (var rows = RowReader.Open(fullPath, options))
        {
            while (rows.MoveNext())
            {
                foreach (var column in rows.Layout.Features) features.Add(rows.Number(column, "feature"));
                foreach (var column in rows.Layout.Conditions) conditions.Add(rows.Number(column, "condition"));
                if (rows.Layout.Label is { } label)
                {
                    labelTexts.Add(rows.Text(label));
                    labelLines.Add(rows.Line);
                }
            }
            layout = rows.Layout;
        }

        var count = features.Count / layout.Features.Length;
        var featureTensor = features.ToTensor(count, layout.Features.Length);
        Tensor? labels = null, conditionTensor = null;
        IReadOnlyList<string> classes = [];
        try
        {
            if (layout.Label is { } label)
            {
                var classList = options.Classes?.ToArray() ?? DistinctClasses(labelTexts);
                labels = LabelTensor(labelTexts, labelLines, classList, layout.Names[label], label, fullPath);
                classes = classList;
            }
            if (layout.Conditions.Length > 0) conditionTensor = conditions.ToTensor(count, layout.Conditions.Length);
        }
        catch
        {
            featureTensor.Dispose();
            labels?.Dispose();
            throw;
        }

        return new TabularData(
            featureTensor, layout.Features.Select(i => layout.Names[i]).ToArray(),
            labels, layout.Label is { } l ? layout.Names[l] : null, classes,
            conditionTensor, layout.Conditions.Select(i => layout.Names[i]).ToArray(), fullPath);
    }

    /// <summary>
    /// Reads the feature columns row by row, lazily, for data larger than memory: each enumeration reads the file
    /// afresh and yields one new array per data row, so <c>ExampleFile.Write("train.bin", CsvData.ReadRows(path))</c>
    /// converts a CSV file of any size to a streamable example file. The label and condition columns are skipped.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">Its form and feature columns, as for <see cref="Read"/>.</param>
    /// <returns>The rows' features; errors are those of <see cref="Read"/>, raised as the offending row is reached.</returns>
    public static IEnumerable<float[]> ReadRows(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Rows(Path.GetFullPath(path), options ?? new CsvOptions());
    }

    /// <summary>The distinct label texts, in numeric order when every one is a number, else in ordinal order.</summary>
    private static string[] DistinctClasses(List<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        var numbers = new double[distinct.Length];
        var numeric = true;
        for (var i = 0; i < distinct.Length && numeric; i++)
            numeric = double.TryParse(distinct[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]);
        if (numeric) Array.Sort(numbers, distinct);
        else Array.Sort(distinct, StringComparer.Ordinal);
        return distinct;
    }

    private static Tensor LabelTensor(List<string> texts, List<int> lines, string[] classes, string columnName, int column, string path)
    {
        var index = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < classes.Length; i++)
            if (!index.TryAdd(classes[i], i))
                throw new ArgumentException($"CsvOptions.Classes names the class '{classes[i]}' twice.", "options");
        var labels = new long[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            if (!index.TryGetValue(texts[i], out labels[i]))
                throw Invalid(path, string.Create(CultureInfo.InvariantCulture,
                    $"line {lines[i]}, label column '{columnName}' (index {column}): '{texts[i]}' is not one of the classes given in CsvOptions.Classes ({string.Join(", ", classes.Select(c => $"'{c}'"))})."));
        }
        return tensor(labels, [labels.LongLength]);
    }

    private static InvalidDataException Invalid(string path, string what) => new($"{path}: {what}");

    /// <summary>Which cell of a row is a feature, a condition or the label, resolved once against the header (or the first row).</summary>
    private sealed class Layout
    {
        private Layout(string[] names, int columns, int[] features, int[] conditions, int? label)
        {
            Names = names;
            Columns = columns;
            Features = features;
            Conditions = conditions;
            Label = label;
        }

        public string[] Names { get; }

        public int Columns { get; }

        public int[] Features { get; }

        public int[] Conditions { get; }

        public int? Label { get; }

        public string Describe(int column) => Names[column].StartsWith("column ", StringComparison.Ordinal) && Names[column] == $"column {column}"
            ? string.Create(CultureInfo.InvariantCulture, $"index {column}")
            : string.Create(CultureInfo.InvariantCulture, $"'{Names[column]}' (index {column})");

        public static Layout Resolve(string[] names, int columns, CsvOptions options, string path)
        {
            var hasHeader = options.HasHeader;
            int Find(CsvColumn column, string option)
            {
                if (column.Name is { } name)
                {
                    if (!hasHeader)
                        throw new ArgumentException(
                            $"{option} names the column '{name}', but {path} is read without a header (CsvOptions.HasHeader is false); choose its columns by index.", "options");
                    var found = Array.IndexOf(names, name);
                    if (found < 0)
                        throw new ArgumentException(
                            $"{option} names the column '{name}', which the header of {path} does not have; its columns are {string.Join(", ", names.Select(n => $"'{n}'"))}.", "options");
                    if (Array.IndexOf(names, name, found + 1) >= 0)
                        throw new ArgumentException($"{option} names the column '{name}', which the header of {path} has more than once; choose it by index.", "options");
                    return found;
                }
                if (column.Index >= columns)
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture,
                            $"{option} names the column at index {column.Index}, but {path} has {columns} column{(columns == 1 ? string.Empty : "s")} (indices 0 to {columns - 1}) in its {(hasHeader ? "header" : "first row")}."),
                        "options");
                return column.Index;
            }

            int? label = options.LabelColumn is { } labelColumn ? Find(labelColumn, "CsvOptions.LabelColumn") : null;
            var conditions = (options.ConditionColumns ?? []).Select(c => Find(c, "CsvOptions.ConditionColumns")).ToArray();
            var features = options.FeatureColumns is { } chosen
                ? chosen.Select(c => Find(c, "CsvOptions.FeatureColumns")).ToArray()
                : Enumerable.Range(0, columns).Where(i => i != label && !conditions.Contains(i)).ToArray();
            if (features.Length == 0)
                throw new ArgumentException($"No feature column is left to read from {path}: {(options.FeatureColumns is null ? "every column is the label or a condition" : "CsvOptions.FeatureColumns is empty")}.", "options");

            var seen = new Dictionary<int, string>();
            void Claim(int column, string role)
            {
                if (!seen.TryAdd(column, role))
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"The column '{names[column]}' (index {column}) of {path} is chosen twice, as {seen[column]} and as {role}; a column can play one part."),
                        "options");
            }
            foreach (var c in features) Claim(c, "a feature");
            foreach (var c in conditions) Claim(c, "a condition");
            if (label is { } l) Claim(l, "the label");
            return new Layout(names, columns, features, conditions, label);
        }
    }

    /// <summary>
    /// One pass over a CSV file, shared by <see cref="Read"/> and <see cref="ReadRows"/> so each rule and message exists
    /// once: opens the file, resolves the layout against the header (or the first row), checks every row's cell count
    /// as it is reached, and parses the current row's cells.
    /// </summary>
    private sealed class RowReader : IDisposable
    {
        private readonly string path;
        private readonly CsvOptions options;
        private readonly SepReader reader;
        private Layout? layout;
        private bool any;

        private RowReader(string path, CsvOptions options, SepReader reader, Layout? layout)
        {
            this.path = path;
            this.options = options;
            this.reader = reader;
            this.layout = layout;
        }

        /// <summary>The current row's columns; resolved from the header on opening, else from the first row.</summary>
        public Layout Layout => layout ?? throw new InvalidOperationException("No row has been read yet.");

        /// <summary>The line the current row starts on. Sep 0.17.1 gives the first row of a file read without a header line 2; it is line 1.</summary>
        public int Line => reader.Current.RowIndex == 0 ? 1 : reader.Current.LineNumberFrom;

        /// <summary>Opens <paramref name="path"/> (a full path) and, when it has a header, resolves the layout against it.</summary>
        public static RowReader Open(string path, CsvOptions options)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"The CSV file {path} does not exist.", path);
            if (new FileInfo(path).Length == 0) throw Invalid(path, "the file is empty.");
            var reader = Sep.New(options.Delimiter)
                .Reader(o => o with { HasHeader = options.HasHeader, DisableColCountCheck = true, Unescape = true, Trim = SepTrim.Outer })
                .FromFile(path);
            try
            {
                Layout? layout = null;
                if (options.HasHeader)
                {
                    var header = reader.Header.ColNames.ToArray();
                    layout = Layout.Resolve(header, header.Length, options, path);
                }
                return new RowReader(path, options, reader, layout);
            }
            catch
            {
                reader.Dispose();
                throw;
            }
        }

        /// <summary>Moves to the next data row and checks its cell count; false at the end, an error if the file had no data row.</summary>
        public bool MoveNext()
        {
            if (!reader.MoveNext())
            {
                if (!any) throw Invalid(path, options.HasHeader ? "the file has a header but no data rows." : "the file has no data rows.");
                return false;
            }
            var row = reader.Current;
            layout ??= Layout.Resolve(Enumerable.Range(0, row.ColCount).Select(i => $"column {i}").ToArray(), row.ColCount, options, path);
            if (row.ColCount != layout.Columns)
                throw Invalid(path, string.Create(CultureInfo.InvariantCulture,
                    $"line {Line} has {row.ColCount} cell{(row.ColCount == 1 ? string.Empty : "s")}, but {(options.HasHeader ? "the header has" : "the first row has")} {layout.Columns}: every row needs one cell per column{(row.ColCount == 1 && row.Span.IsEmpty ? " (the line is empty)" : string.Empty)}."));
            any = true;
            return true;
        }

        /// <summary>The current row's cell as a finite float, or an error naming the file, line, column and text.</summary>
        /// <param name="column">The cell's index.</param>
        /// <param name="role">"feature" or "condition", for the message.</param>
        public float Number(int column, string role)
        {
            var cell = reader.Current[column].Span;
            if (cell.IsEmpty)
                throw Bad(column, role, "the cell is empty. Missing values are not filled in; remove the row or fill the cell.");
            if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw Bad(column, role, $"'{cell.ToString()}' is not a number (numbers are read in the invariant culture: 1.5, -2e-3).");
            if (!float.IsFinite(value))
                throw Bad(column, role, $"'{cell.ToString()}' is {value.ToString(CultureInfo.InvariantCulture)}, which no likelihood describes; replace it with a finite number or drop the row.");
            return value;
        }

        /// <summary>The current row's cell as text.</summary>
        public string Text(int column) => reader.Current[column].ToString();

        public void Dispose() => reader.Dispose();

        /// <summary>An error about a cell of the current row, naming the file, line and column.</summary>
        private InvalidDataException Bad(int column, string role, string what) =>
            Invalid(path, $"line {Line.ToString(CultureInfo.InvariantCulture)}, {role} column {Layout.Describe(column)}: {what}");
    }

    /// <summary>A CSV file's feature rows, parsed as they are enumerated; each enumeration opens the file afresh.</summary>
    private sealed class Rows(string path, CsvOptions options) : IEnumerable<float[]>
    {
        public IEnumerator<float[]> GetEnumerator() => new Enumerator(RowReader.Open(path, options));

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private sealed class Enumerator(RowReader rows) : IEnumerator<float[]>
        {
            public float[] Current { get; private set; } = [];

            object System.Collections.IEnumerator.Current => Current;

            public bool MoveNext()
            {
                if (!rows.MoveNext()) return false;
                var columns = rows.Layout.Features;
                var features = new float[columns.Length];
                for (var i = 0; i < features.Length; i++) features[i] = rows.Number(columns[i], "feature");
                Current = features;
                return true;
            }

            public void Reset() => throw new NotSupportedException("Enumerate the rows again instead: each enumeration reads the file afresh.");

            public void Dispose() => rows.Dispose();
        }
    }

    /// <summary>A growable float buffer, filled row by row and handed to TorchSharp once.</summary>
    private sealed class FloatRows
    {
        private float[] values = new float[1024];

        public long Count { get; private set; }

        public void Add(float value)
        {
            if (Count == values.Length)
            {
                if (values.Length == Array.MaxLength)
                    throw new InvalidDataException($"The file holds more than {Array.MaxLength} numbers, more than one array can hold; convert it to a binary example file and stream it.");
                Array.Resize(ref values, (int)Math.Min(Array.MaxLength, 2L * values.Length));
            }
            values[Count++] = value;
        }

        public Tensor ToTensor(long rows, int width)
        {
            if (values.Length != Count) Array.Resize(ref values, (int)Count);
            return tensor(values, [rows, width]);
        }
    }
}
