using System;
using System.IO;
using System.Linq;
using VaeGen.Data;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Data;

/// <summary>CSV files become feature, label and condition tensors; every malformed cell or option is refused with file, line, column and value.</summary>
public sealed class CsvDataTests : IDisposable
{
    private readonly TempDirectory temp = new("csv");

    public void Dispose() => temp.Dispose();

    private string Csv(string text, string name = "data.csv") => temp.Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Every_column_is_a_feature_by_default()
    {
        using var data = CsvData.Read(Csv("a,b,c\n1,2,3\n4.5,-5e-1,6\n"));
        Assert.Equal(new long[] { 2, 3 }, data.Features.shape);
        Assert.Equal(ScalarType.Float32, data.Features.dtype);
        Assert.Equal(new float[] { 1, 2, 3, 4.5f, -0.5f, 6 }, data.Features.data<float>().ToArray());
        Assert.Equal(["a", "b", "c"], data.FeatureNames);
        Assert.Null(data.Labels);
        Assert.Null(data.Conditions);
        Assert.Equal((2L, 3), (data.Count, data.Width));
    }

    [Fact]
    public void Features_by_name_keep_the_order_asked_and_the_label_maps_to_sorted_classes()
    {
        var path = Csv("id;species;x;y\n7;virginica;1;2\n8;setosa;3;4\n9;virginica;5;6\n");
        using var data = CsvData.Read(path, new CsvOptions { Delimiter = ';', FeatureColumns = ["y", "x"], LabelColumn = "species" });
        Assert.Equal(new float[] { 2, 1, 4, 3, 6, 5 }, data.Features.data<float>().ToArray());
        Assert.Equal(["setosa", "virginica"], data.Classes);
        Assert.Equal(new long[] { 1, 0, 1 }, data.Labels!.data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, data.Labels.dtype);
        Assert.Equal("species", data.LabelName);
    }

    [Fact]
    public void Numeric_classes_sort_as_numbers_and_given_classes_fix_the_mapping()
    {
        var path = Csv("10,1\n9,2\n2,3\n");
        using var sorted = CsvData.Read(path, new CsvOptions { HasHeader = false, LabelColumn = 0 });
        Assert.Equal(["2", "9", "10"], sorted.Classes);
        Assert.Equal(new long[] { 2, 1, 0 }, sorted.Labels!.data<long>().ToArray());
        Assert.Equal(["column 1"], sorted.FeatureNames);

        using var given = CsvData.Read(path, new CsvOptions { HasHeader = false, LabelColumn = 0, Classes = ["10", "9", "2", "11"] });
        Assert.Equal(new long[] { 0, 1, 2 }, given.Labels!.data<long>().ToArray());
    }

    [Fact]
    public void Condition_columns_are_read_beside_the_features_and_quoted_cells_unescaped()
    {
        using var data = CsvData.Read(Csv("\"x, first\",t,y\n\"1\",0.5,2\n3,0.25,4\n"), new CsvOptions { ConditionColumns = ["t"] });
        Assert.Equal(["x, first", "y"], data.FeatureNames);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, data.Features.data<float>().ToArray());
        Assert.Equal(new long[] { 2, 1 }, data.Conditions!.shape);
        Assert.Equal(new float[] { 0.5f, 0.25f }, data.Conditions.data<float>().ToArray());
    }

    [Fact]
    public void A_non_numeric_cell_names_file_line_column_and_value()
    {
        var path = Csv("a,b\n1,2\n3,abc\n");
        var error = Assert.Throws<InvalidDataException>(() => CsvData.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3, feature column 'b' (index 1): 'abc' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_in_another_culture_is_not_read_as_something_else()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("1;2,5\n"), new CsvOptions { HasHeader = false, Delimiter = ';' }));
        Assert.True(error.Message.Contains("line 1, feature column index 1: '2,5' is not a number", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Empty_and_non_finite_cells_are_refused_where_they_are()
    {
        var empty = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b\n1,\n")));
        Assert.Contains("line 2, feature column 'b' (index 1): the cell is empty", empty.Message, StringComparison.Ordinal);
        var nan = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b\n1,2\n2,3\nNaN,1\n")));
        Assert.Contains("line 4, feature column 'a' (index 0): 'NaN' is NaN", nan.Message, StringComparison.Ordinal);
        var overflow = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a\n1e39\n")));
        Assert.Contains("'1e39' is ∞", overflow.Message.Replace("Infinity", "∞", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_ragged_row_names_its_line_and_both_counts()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b,c\n1,2,3\n4,5\n")));
        Assert.Contains("line 3 has 2 cells, but the header has 3", error.Message, StringComparison.Ordinal);
        var noHeader = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("1,2\n1,2,3\n"), new CsvOptions { HasHeader = false }));
        Assert.Contains("line 2 has 3 cells, but the first row has 2", noHeader.Message, StringComparison.Ordinal);
        var blank = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b\n1,2\n\n3,4\n")));
        Assert.Contains("line 3 has 1 cell, but the header has 2", blank.Message, StringComparison.Ordinal);
        Assert.Contains("the line is empty", blank.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_line_break_counts_in_the_line_numbers()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b\n\"1\",\"x\ny\"\n2,oops\n"), new CsvOptions { FeatureColumns = ["a"], ConditionColumns = ["b"] }));
        Assert.Contains("line 2, condition column 'b' (index 1): 'x\ny' is not a number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_files_and_header_only_files_are_refused()
    {
        Assert.Contains("the file is empty", Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv(string.Empty))).Message, StringComparison.Ordinal);
        Assert.Contains("a header but no data rows", Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("a,b\n"))).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => CsvData.Read(temp.File("missing.csv")));
    }

    [Fact]
    public void A_missing_column_name_lists_the_header()
    {
        var path = Csv("alcohol,ash\n1,2\n");
        var error = Assert.Throws<ArgumentException>(() => CsvData.Read(path, new CsvOptions { FeatureColumns = ["alcohol", "Ash"] }));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("CsvOptions.FeatureColumns names the column 'Ash', which the header of " + path + " does not have; its columns are 'alcohol', 'ash'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Indices_past_the_last_column_names_without_a_header_and_double_roles_are_refused()
    {
        var path = Csv("1,2\n");
        Assert.Contains("index 5, but " + path + " has 2 columns (indices 0 to 1) in its first row",
            Assert.Throws<ArgumentException>(() => CsvData.Read(path, new CsvOptions { HasHeader = false, LabelColumn = 5 })).Message, StringComparison.Ordinal);
        Assert.Contains("read without a header",
            Assert.Throws<ArgumentException>(() => CsvData.Read(path, new CsvOptions { HasHeader = false, FeatureColumns = ["a"] })).Message, StringComparison.Ordinal);
        Assert.Contains("chosen twice, as a feature and as the label",
            Assert.Throws<ArgumentException>(() => CsvData.Read(Csv("a,b\n1,2\n"), new CsvOptions { FeatureColumns = ["a", "b"], LabelColumn = "b" })).Message, StringComparison.Ordinal);
        Assert.Contains("No feature column",
            Assert.Throws<ArgumentException>(() => CsvData.Read(Csv("a\n1\n"), new CsvOptions { LabelColumn = "a" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_outside_the_given_classes_names_its_line()
    {
        var error = Assert.Throws<InvalidDataException>(() => CsvData.Read(Csv("x,kind\n1,a\n2,b\n3,c\n"), new CsvOptions { LabelColumn = "kind", Classes = ["a", "b"] }));
        Assert.Contains("line 4, label column 'kind' (index 1): 'c' is not one of the classes given in CsvOptions.Classes ('a', 'b')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_read_lazily_match_the_whole_read_and_convert_to_an_example_file()
    {
        var path = Csv("x,kind,y\n1,a,2\n3,b,4\n5,a,6\n");
        var options = new CsvOptions { LabelColumn = "kind" };
        using var whole = CsvData.Read(path, options);
        var rows = CsvData.ReadRows(path, options);
        Assert.Equal(whole.Features.data<float>().ToArray(), rows.SelectMany(r => r).ToArray());
        // Each enumeration reads the file afresh.
        Assert.Equal(3, rows.Count());
        var file = ExampleFile.Write(temp.File("rows.bin"), rows);
        Assert.Equal((2, 3L), (file.Features, file.Count));

        var bad = Csv("x,y\n1,2\n3,four\n", "bad.csv");
        var error = Assert.Throws<InvalidDataException>(() => CsvData.ReadRows(bad).ToList());
        Assert.Contains("line 3, feature column 'y' (index 1): 'four' is not a number", error.Message, StringComparison.Ordinal);
        Assert.Contains("a header but no data rows", Assert.Throws<InvalidDataException>(() => CsvData.ReadRows(Csv("a\n", "empty.csv")).ToList()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_read_lazily_refuse_bad_files_with_the_whole_read_s_messages()
    {
        (string Text, CsvOptions Options)[] bad =
        [
            ("a,b\n1,2\n\n3,4\n", new CsvOptions()),
            ("1,2\n1,2,3\n", new CsvOptions { HasHeader = false }),
            ("a,b\n1,\n", new CsvOptions()),
            ("a,b\n1,2\n2,1e39\n", new CsvOptions()),
            ("a,b\n1,2\n", new CsvOptions { FeatureColumns = ["c"] }),
            ("1,2\n", new CsvOptions { HasHeader = false, FeatureColumns = [2] }),
            ("a,b\n", new CsvOptions()),
            ("", new CsvOptions()),
        ];
        for (var i = 0; i < bad.Length; i++)
        {
            var path = Csv(bad[i].Text, $"bad{i}.csv");
            var whole = Assert.ThrowsAny<Exception>(() => CsvData.Read(path, bad[i].Options).Dispose());
            var lazy = Assert.ThrowsAny<Exception>(() => CsvData.ReadRows(path, bad[i].Options).ToList());
            Assert.Equal(whole.GetType(), lazy.GetType());
            Assert.Equal(whole.Message, lazy.Message);
        }
        Assert.Contains("(the line is empty)", Assert.Throws<InvalidDataException>(() => CsvData.ReadRows(Csv(bad[0].Text, "blank.csv")).ToList()).Message, StringComparison.Ordinal);

        var missing = Path.Combine(Path.GetDirectoryName(Csv("a\n1\n"))!, "missing.csv");
        Assert.Equal(
            Assert.Throws<FileNotFoundException>(() => CsvData.Read(missing)).Message,
            Assert.Throws<FileNotFoundException>(() => CsvData.ReadRows(missing).ToList()).Message);
    }

    [Fact]
    public void A_refused_column_choice_leaves_the_file_closed()
    {
        var path = Csv("a,b\n1,2\n");
        var rows = CsvData.ReadRows(path, new CsvOptions { FeatureColumns = ["c"] });
        Assert.Throws<ArgumentException>(() => rows.GetEnumerator());
        Assert.Throws<ArgumentException>(() => CsvData.Read(path, new CsvOptions { FeatureColumns = ["c"] }));
        // Opening for exclusive use fails while any reader still holds the file.
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        Assert.Equal(8, exclusive.Length);
    }
}
