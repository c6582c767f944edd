using System.Collections.Generic;

namespace VaeGen.Data;

/// <summary>How <see cref="CsvData.Read"/> reads a CSV file: its form, and which columns are features, label and conditions.</summary>
public sealed record CsvOptions
{
    /// <summary>Whether the first line names the columns. Without a header, columns can only be chosen by index.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The character between cells: ',' (default), ';', '\t', '|' and the like.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>
    /// The columns that make an example's features, in this order. Null (the default) takes every column that is not
    /// the <see cref="LabelColumn"/> or one of the <see cref="ConditionColumns"/>, in file order.
    /// </summary>
    public IReadOnlyList<CsvColumn>? FeatureColumns { get; init; }

    /// <summary>
    /// A column of class labels (any text: "setosa", "3"), read into int64 labels 0..K-1, one per row. Null for none.
    /// The classes are <see cref="Classes"/> when given, else the distinct values found, in numeric order when all are
    /// numbers and in ordinal order otherwise.
    /// </summary>
    public CsvColumn? LabelColumn { get; init; }

    /// <summary>
    /// The classes of <see cref="LabelColumn"/>, in label order: class i is label i. Give them when two files must agree
    /// (a training and a test file, one of which may lack a class); a value outside the list is then an error.
    /// </summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Numeric columns read as a feature condition, [count, C] float32, for a model with <c>[Condition(Features = C)]</c>. Null for none.</summary>
    public IReadOnlyList<CsvColumn>? ConditionColumns { get; init; }
}
