using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using TorchSharp;
using VaeGen.Anomaly;
using VaeGen.Training;
using WineAnomaly;
using static TorchSharp.torch;

// Anomaly detection on the UCI wine data: a VAE learns the wines of the normal classes, then scores held-out rows of
// every class by -log p(x) (importance-weighted, in nats of the raw measurements); the rows of the other class should
// score higher. Prints the ROC AUC and the precision and recall of a threshold at a quantile of the training scores.
string? dataPath = null;
int[] seeds = [1, 2, 3, 4, 5];
int[] normalClasses = [0, 1];
var epochs = 300;
var importanceSamples = 1000;
var quantile = 0.95;
var output = Path.Combine("out", "wine-anomaly");
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    int[] Integers(string text) => text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    switch (args[i])
    {
        case "--data": dataPath = Next(); break;
        case "--seeds": seeds = Integers(Next()); break;
        case "--normal": normalClasses = Integers(Next()); break;
        case "--epochs": epochs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--k": importanceSamples = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--quantile": quantile = double.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--output": output = Next(); break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; options: --data FILE, --seeds 1,2,3, --normal 0,1, --epochs N, --k N, --quantile Q, --output DIR");
            return 2;
    }
}

var data = WineData.Load(dataPath);
var rows = data.Classes.Length;
var normal = data.Classes.Select(c => normalClasses.Contains(c)).ToArray();
Console.WriteLine($"data: {data.Origin}: {rows} wines, 13 measurements each");
var cpu = File.Exists("/proc/cpuinfo")
    ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
    : null;
Console.WriteLine($"machine: {cpu ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, TorchSharp threads {get_num_threads()}");
Console.WriteLine($"normal: class {string.Join(" and ", normalClasses)} ({normal.Count(n => n)} wines); anomalies: the other class(es) ({normal.Count(n => !n)} wines)");
Console.WriteLine($"each seed: 70% of the normal wines train ({epochs} epochs), the other 30% and every anomaly are scored with k = {importanceSamples}; threshold: the {quantile:0.##} quantile of the training scores");
Console.WriteLine();

using var all = tensor(data.Features);
var results = new (double Auc, double Precision, double Recall)[seeds.Length];
var clock = Stopwatch.StartNew();
for (var s = 0; s < seeds.Length; s++)
{
    var seed = seeds[s];
    using var scope = NewDisposeScope();
    // The split follows the seed: a seeded shuffle of the normal rows, the first 70% for training.
    var random = new Random(seed);
    var normalRows = Enumerable.Range(0, rows).Where(r => normal[r]).OrderBy(_ => random.Next()).ToArray();
    var trainCount = (int)Math.Round(normalRows.Length * 0.7);
    var trainRows = normalRows.Take(trainCount).ToArray();
    var testRows = normalRows.Skip(trainCount).Concat(Enumerable.Range(0, rows).Where(r => !normal[r])).ToArray();
    var train = all.index_select(0, tensor(trainRows.Select(r => (long)r).ToArray()));
    var test = all.index_select(0, tensor(testRows.Select(r => (long)r).ToArray()));
    var testAnomalous = testRows.Select(r => !normal[r]).ToArray();

    manual_seed(seed);
    using var model = new WineVae();
    var history = model.Fit(train, new TrainingOptions { Epochs = epochs, BatchSize = 32, LearningRate = 3e-3, Seed = seed });

    // Scores in nats of the raw measurements; the model standardizes the rows itself with its training statistics.
    var trainScores = model.AnomalyScores(train, importanceSamples, generator: new Generator((ulong)seed));
    var threshold = AnomalyThreshold.FromScores(trainScores, quantile);
    var testScores = model.AnomalyScores(test, importanceSamples, generator: new Generator((ulong)seed + 1000));
    var scores = testScores.to(ScalarType.Float64).data<double>().ToArray();
    var auc = AnomalyMetrics.RocAuc(scores, testAnomalous);
    var (precision, recall, flagged, truePositives, anomalies) = AnomalyMetrics.AtThreshold(scores, testAnomalous, threshold.Value);
    results[s] = (auc, precision, recall);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seed {seed}: train -ELBO {history.Epochs[^1].TrainLoss:F2} nats; test -log p(x): normal median {Median(scores, testAnomalous, false):F2}, anomalies median {Median(scores, testAnomalous, true):F2}; " +
        $"ROC AUC {auc:F4}; threshold {threshold.Value:F2} nats flags {flagged} of {testRows.Length}: precision {precision:F3}, recall {recall:F3} ({truePositives} of {anomalies} anomalies)"));

    if (s == 0)
    {
        // What another process would do: save the model (its scaling inside), load it, score again.
        Directory.CreateDirectory(output);
        var file = Path.Combine(output, "wine.vaegen");
        model.Save(file);
        using var loaded = WineVae.Load(file);
        var again = loaded.AnomalyScores(test, importanceSamples, generator: new Generator((ulong)seed + 1000));
        Console.WriteLine($"        saved to {file} and loaded again: {(again.equal(testScores).all().item<bool>() ? "the same scores, bit for bit" : "DIFFERENT scores")}");
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"over {seeds.Length} seeds ({string.Join(", ", seeds)}): ROC AUC mean {results.Average(r => r.Auc):F4} (min {results.Min(r => r.Auc):F4}), " +
    $"precision mean {results.Average(r => r.Precision):F3}, recall mean {results.Average(r => r.Recall):F3}; {clock.Elapsed.TotalSeconds:F0} s"));
return 0;

static double Median(double[] scores, bool[] anomalous, bool which)
{
    var chosen = scores.Where((_, i) => anomalous[i] == which).Order().ToArray();
    return chosen.Length % 2 == 1 ? chosen[chosen.Length / 2] : (chosen[chosen.Length / 2 - 1] + chosen[chosen.Length / 2]) / 2;
}
