using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Package.Tests;

/// <summary>
/// A user's own data through the packed packages: a fresh project (Consumers/OwnData/Program.cs) that references
/// VaeGen, VaeGen.Visualization, ONNX Runtime and ML.NET's ONNX transformer, and nothing of this repository, reads a CSV
/// file into a standardized model and scores its rows as anomalies, saves and loads it, loads a folder of PNG files into
/// an image model and trains it in memory and streamed from an example file, exports the tabular model to ONNX and runs
/// its graphs in ONNX Runtime and its encoder in an ML.NET pipeline.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed class OwnDataConsumerTests(PackedVaeGen packed, ITestOutputHelper output)
{
    /// <summary>
    /// The agreement required of every exported value, |onnx - torch| &lt;= Absolute + Relative |torch|: the tolerance of
    /// the repository's export tests (tests/VaeGen.Tests/Export/OnnxHarness.cs), float32 round-off with margin.
    /// </summary>
    private const double Absolute = 1e-4;

    /// <inheritdoc cref="Absolute"/>
    private const double Relative = 1e-4;

    private const int Rows = 400;

    private static readonly string[] Columns = ["temperature_c", "pressure_kpa", "flow_l_min", "vibration_mm_s", "current_a", "speed_rpm"];

    [Fact]
    public void A_fresh_project_scores_a_csv_file_trains_on_png_files_and_runs_the_export_in_onnx_runtime_and_mlnet()
    {
        var program = File.ReadAllText(Path.Combine(Cli.RepositoryRoot(), "tests", "VaeGen.Package.Tests", "Consumers", "OwnData", "Program.cs"));
        var consumer = ConsumerProject.Create(packed, "OwnData", program,
            ["Microsoft.ML.OnnxRuntime", "Microsoft.ML", "Microsoft.ML.OnnxTransformer"], implicitUsings: true);
        var planted = WriteSensorCsv(Path.Combine(consumer.Directory, "sensors.csv"), seed: 3);
        File.WriteAllText(Path.Combine(consumer.Directory, "sensors-bad.csv"),
            string.Join(',', Columns) + ",state\n60.1,351.2,12.3,2.41,18.2,1481,normal\n59.8,n/a,12.1,2.38,18.0,1476,normal\n");

        var clock = Stopwatch.StartNew();
        consumer.Build();
        var built = clock.Elapsed;
        var printed = consumer.Run("sensors.csv", "sensors-bad.csv", Absolute.ToString("R", CultureInfo.InvariantCulture), Relative.ToString("R", CultureInfo.InvariantCulture));
        output.WriteLine($"build {built.TotalSeconds:F1} s, run {(clock.Elapsed - built).TotalSeconds:F1} s\n{printed}");

        // The CSV file: its columns as features, the state column as classes in the order given.
        Assert.Contains($"csv {Rows} rows, features {string.Join(' ', Columns)}, classes normal planted", printed);
        var (first, last) = Pair(printed, @"sensors -ELBO first epoch (\S+) last epoch (\S+)");
        Assert.True(last < first, $"training on the CSV file did not lower the -ELBO: {first} -> {last}");

        // Anomaly scores: the planted rows rank above the normal ones and cross the training scores' 0.95 quantile.
        var auc = Number(printed, @"roc auc (\S+)");
        Assert.True(auc >= 0.95, $"the planted rows do not stand out: ROC AUC {auc}\n{printed}");
        var flagged = Regex.Match(printed, @"flagged planted (\d+) of (\d+), normal (\d+) of (\d+)");
        Assert.True(flagged.Success, "the consumer printed no flagged counts:\n" + printed);
        Assert.Equal(planted, int.Parse(flagged.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(int.Parse(flagged.Groups[1].Value, CultureInfo.InvariantCulture) >= planted - 1, $"the threshold misses planted rows: {flagged.Value}");
        Assert.True(int.Parse(flagged.Groups[3].Value, CultureInfo.InvariantCulture) <= Rows / 10, $"the threshold flags too many normal rows: {flagged.Value}");
        var (normalMedian, plantedMedian) = Pair(printed, @"median score normal (\S+) planted (\S+)");
        Assert.True(plantedMedian > normalMedian + 5, $"planted rows score {plantedMedian} nats at the median, normal rows {normalMedian}");
        Assert.Contains("loaded model scores the same True", printed);
        Assert.Matches(@"bad csv refused: \S*sensors-bad\.csv: line 3, feature column 'pressure_kpa' \(index 1\): 'n/a' is not a number", printed);

        // The export, run in ONNX Runtime and in ML.NET, against the model on the same inputs.
        Assert.Contains("onnx files encoder.onnx decoder.onnx score.onnx prior.onnx", printed);
        var latent = Rows * 2;
        var expected = new Dictionary<string, int>
        {
            ["encoder mu"] = latent, ["encoder log_var"] = latent,
            ["decoder scaled_mean"] = Rows * Columns.Length, ["decoder log_var"] = Rows * Columns.Length, ["decoder mean"] = Rows * Columns.Length,
            ["score negative_elbo"] = Rows, ["score negative_elbo at eps 0"] = Rows,
            ["ml.net LatentFeatures"] = latent,
        };
        foreach (var (what, count) in expected)
        {
            var agreement = Regex.Match(printed, $@"agree {Regex.Escape(what)}: (\d+) values, largest difference (\S+), share of tolerance (\S+)");
            Assert.True(agreement.Success, $"the consumer printed no agreement for {what}:\n{printed}");
            Assert.Equal(count, int.Parse(agreement.Groups[1].Value, CultureInfo.InvariantCulture));
            var share = double.Parse(agreement.Groups[3].Value, CultureInfo.InvariantCulture);
            Assert.True(share <= 1, $"{what} from ONNX is off by up to {agreement.Groups[2].Value}, beyond {Absolute} + {Relative} |value|");
        }
        Assert.Contains("ml.net ids in order True", printed);

        // The PNG folder: every file in, values in [0, 1], and both ways of training lower the -ELBO.
        var images = Regex.Match(printed, @"images 48 of 3x16x16, values (\S+) to (\S+)");
        Assert.True(images.Success, "the consumer did not load 48 3x16x16 images:\n" + printed);
        Assert.Equal(20 / 255f, float.Parse(images.Groups[1].Value, CultureInfo.InvariantCulture), 1e-6f);
        Assert.True(float.Parse(images.Groups[2].Value, CultureInfo.InvariantCulture) <= 1);
        var (memoryBefore, memoryAfter) = Pair(printed, @"icons in memory -ELBO before (\S+) after (\S+)");
        Assert.True(memoryAfter < memoryBefore, $"training on the PNG files did not lower the -ELBO: {memoryBefore} -> {memoryAfter}");
        var (streamedBefore, streamedAfter) = Pair(printed, @"icons streamed 48 examples -ELBO before (\S+) after (\S+)");
        Assert.True(streamedAfter < streamedBefore, $"training streamed from the example file did not lower the -ELBO: {streamedBefore} -> {streamedAfter}");
        Assert.Contains("streamed evaluation equals in-memory True", printed);
        Assert.Matches(@"mixed folder refused: \S*icons-mixed/large\.png is 20x20 pixels", printed);

        ConsumerProject.AssertRestoredApartFromTheUsersCache(packed);
    }

    /// <summary>
    /// Sensor readings of a machine: six columns in units of their own, driven by two hidden factors plus a little noise.
    /// In one row of every 50 a reading breaks from what the factors say by three of its standard deviations; the state
    /// column says which. Returns the number of planted rows.
    /// </summary>
    private static int WriteSensorCsv(string path, int seed)
    {
        (double Mean, double Spread, double A, double B)[] readings =
            [(60, 8, 0.9, 0.3), (350, 40, 0.2, 0.95), (12, 2, -0.7, 0.6), (2.5, 0.6, 0.5, -0.8), (18, 3, 0.95, 0.1), (1480, 60, -0.3, -0.9)];
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        var text = new StringBuilder(string.Join(',', Columns) + ",state\n");
        var planted = 0;
        for (var row = 0; row < Rows; row++)
        {
            var (u, v) = (Normal(), Normal());
            var isPlanted = row % 50 == 25;
            for (var j = 0; j < readings.Length; j++)
            {
                var (mean, spread, a, b) = readings[j];
                var standard = a * u + b * v + 0.15 * Normal();
                if (isPlanted && j == row / 50 % readings.Length) standard += row / 50 % 2 == 0 ? 3 : -3;
                text.Append((mean + spread * standard).ToString("F3", CultureInfo.InvariantCulture)).Append(',');
            }
            text.Append(isPlanted ? "planted\n" : "normal\n");
            if (isPlanted) planted++;
        }
        File.WriteAllText(path, text.ToString());
        return planted;
    }

    private static double Number(string printed, string pattern)
    {
        var match = Regex.Match(printed, pattern);
        Assert.True(match.Success, $"the consumer printed nothing like '{pattern}':\n{printed}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static (double First, double Second) Pair(string printed, string pattern)
    {
        var match = Regex.Match(printed, pattern);
        Assert.True(match.Success, $"the consumer printed nothing like '{pattern}':\n{printed}");
        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}
