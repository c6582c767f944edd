using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using nietras.SeparatedValues;

namespace WineAnomaly;

/// <summary>The UCI wine data as scikit-learn ships it: a first line "178,13,class_0,class_1,class_2", then 13 measurements and the class per row.</summary>
internal sealed record WineData(float[,] Features, int[] Classes, string Origin)
{
    /// <summary>Where Debian's python3-sklearn installs the file.</summary>
    public const string DebianPath = "/usr/lib/python3/dist-packages/sklearn/datasets/data/wine_data.csv";

    public const int FeatureCount = 13;

    /// <summary>The file given, else Debian's, else the copy bundled with the sample; says which.</summary>
    public static WineData Load(string? path)
    {
        if (path is not null) return Read(path, $"{path} (--data)");
        if (File.Exists(DebianPath)) return Read(DebianPath, $"{DebianPath} (Debian's python3-sklearn)");
        var bundled = Path.Combine(AppContext.BaseDirectory, "data", "wine_data.csv");
        return Read(bundled, $"{bundled} (bundled copy; apt-get install -y python3-sklearn to read Debian's)");
    }

    /// <summary>Reads the file with Sep; every error names the file, the line, the column and the value.</summary>
    private static WineData Read(string path, string origin)
    {
        using var reader = Sep.Reader(o => o with { HasHeader = false, DisableColCountCheck = true }).FromFile(path);
        var rows = new List<float[]>();
        var classes = new List<int>();
        var expected = -1;
        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (expected < 0)
            {
                // The first line gives the row and feature counts, then the class names.
                if (row.ColCount < 2 || !int.TryParse(row[0].Span, CultureInfo.InvariantCulture, out expected)
                    || !int.TryParse(row[1].Span, CultureInfo.InvariantCulture, out var features) || features != FeatureCount)
                    throw new InvalidDataException($"{path}, line {line}: expected \"<rows>,{FeatureCount},class_0,...\", found \"{row.Span}\".");
                continue;
            }
            if (row.ColCount != FeatureCount + 1)
                throw new InvalidDataException($"{path}, line {line}: expected {FeatureCount + 1} columns (13 measurements and the class), found {row.ColCount}.");
            var values = new float[FeatureCount];
            for (var column = 0; column < FeatureCount; column++)
            {
                if (!float.TryParse(row[column].Span, NumberStyles.Float, CultureInfo.InvariantCulture, out values[column]) || !float.IsFinite(values[column]))
                    throw new InvalidDataException($"{path}, line {line}, column {column + 1}: \"{row[column].ToString()}\" is not a finite number.");
            }
            if (!int.TryParse(row[FeatureCount].Span, CultureInfo.InvariantCulture, out var label) || label is < 0 or > 2)
                throw new InvalidDataException($"{path}, line {line}, column {FeatureCount + 1}: the class \"{row[FeatureCount].ToString()}\" is not 0, 1 or 2.");
            rows.Add(values);
            classes.Add(label);
        }
        if (rows.Count != expected)
            throw new InvalidDataException($"{path}: the first line announces {expected} rows, but the file holds {rows.Count}.");
        var features2d = new float[rows.Count, FeatureCount];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < FeatureCount; j++) features2d[i, j] = rows[i][j];
        return new WineData(features2d, classes.ToArray(), origin);
    }
}
