using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using SampleData;
using VaeGen;
using VaeGen.Data;
using VaeGen.StreamingBenchmarks;
using VaeGen.Training;
using static TorchSharp.torch;

// Two measurements of Fit on a streamed data set (VaeGen.Data.ExampleFile) for the 784-400-20 Bernoulli model, batch 128:
//   time [rounds] [threads]       on Fashion-MNIST's training images: one epoch in memory and one streamed from an example
//                                 file, alternating which goes first, a warm-up round not counted; medians and their ratio.
//   memory [GiB] [limit MiB] [threads]
//                                 writes a file of that many GiB of random grey rows, trains one streamed epoch of a
//                                 784-32-8 model on it, and
//                                 samples the process's resident memory (VmRSS, native libtorch memory included) every
//                                 50 ms; prints the peak beside the file's size and fails if the peak passes the limit.
// Files go to a fresh folder under the system temp folder, deleted at the end.
var mode = args.Length > 0 ? args[0] : "time";
var folder = Path.Combine(Path.GetTempPath(), $"vaegen-streaming-{Guid.NewGuid():N}");
Directory.CreateDirectory(folder);
try
{
    return mode switch
    {
        "time" => Time(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 4, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount),
        "memory" => Memory(args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3, args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 768,
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : Environment.ProcessorCount),
        _ => throw new ArgumentException($"Unknown mode '{mode}': time [rounds] [threads], or memory [GiB] [limit MiB] [threads]."),
    };
}
finally
{
    Directory.Delete(folder, recursive: true);
}

int Time(int rounds, int threads)
{
    set_num_threads(threads);
    using var data = FashionMnist.Load(null, null);
    var file = ExampleFile.Write(Path.Combine(folder, "train.bin"), data.Train.Images);
    Console.WriteLine($"{data.Description}; {threads} threads; {rounds} counted rounds after 1 warm-up; stream {file.Source}, {new FileInfo(file.Source).Length:N0} bytes, shuffle buffer 10,000");
    var options = new TrainingOptions { Epochs = 1, BatchSize = 128, DynamicBinarization = true };

    double InMemory(int round)
    {
        manual_seed(round);
        using var model = new StreamedVae();
        var clock = Stopwatch.StartNew();
        model.Fit(data.Train.Images, options with { Seed = round });
        return clock.Elapsed.TotalSeconds;
    }

    double Streamed(int round)
    {
        manual_seed(round);
        using var model = new StreamedVae();
        var clock = Stopwatch.StartNew();
        model.Fit(file, options with { Seed = round });
        return clock.Elapsed.TotalSeconds;
    }

    var memory = new List<double>();
    var streamed = new List<double>();
    for (var round = 0; round <= rounds; round++)
    {
        double m, s;
        if (round % 2 == 0) { m = InMemory(round); s = Streamed(round); }
        else { s = Streamed(round); m = InMemory(round); }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: in memory {m:F3} s, streamed {s:F3} s"));
        if (round == 0) continue;
        memory.Add(m);
        streamed.Add(s);
    }

    // The streamed path's own cost, without the model: one pass read, shuffled and made into batch tensors.
    var reading = Stopwatch.StartNew();
    using (var reader = file.OpenReader())
    {
        var chunk = new float[128 * file.Features];
        int rows;
        while ((rows = reader.Read(chunk)) > 0)
        {
            using var batch = tensor(chunk, [128, file.Features]);
        }
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reading the file into batch tensors alone: {reading.Elapsed.TotalSeconds:F3} s per pass"));

    var ratio = Median(streamed) / Median(memory);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median epoch: in memory {Median(memory):F3} s, streamed {Median(streamed):F3} s; streamed / in memory = {ratio:F3} (goal: at most 1.10)"));
    return 0;
}

int Memory(double gib, int limitMib, int threads)
{
    set_num_threads(threads);
    const int features = 784;
    var count = (long)(gib * (1L << 30) / (4L * features));
    var path = Path.Combine(folder, "large.bin");
    var random = new Random(1);
    var clock = Stopwatch.StartNew();
    var file = ExampleFile.Write(path, Rows());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"wrote {file.Count:N0} random grey examples of {features} features, {new FileInfo(path).Length / (double)(1L << 30):F2} GiB, in {clock.Elapsed.TotalSeconds:F0} s"));

    IEnumerable<float[]> Rows()
    {
        var row = new float[features];
        for (long i = 0; i < count; i++)
        {
            for (var j = 0; j < features; j++) row[j] = random.NextSingle();
            yield return row;
        }
    }

    var before = Resident();
    long peak = before;
    using var stop = new CancellationTokenSource();
    var sampler = new Thread(() =>
    {
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, Resident());
            Thread.Sleep(50);
        }
    }) { IsBackground = true };
    sampler.Start();
    manual_seed(1);
    // A small model: the memory of a streamed epoch does not depend on it, and the whole file is read in minutes.
    using var model = new SmallVae();
    clock.Restart();
    var history = model.Fit(file, new TrainingOptions { Epochs = 1, BatchSize = 128, Seed = 1 });
    stop.Cancel();
    sampler.Join();
    peak = Math.Max(peak, Resident());
    var fileMib = new FileInfo(path).Length / (double)(1 << 20);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"one streamed epoch: {clock.Elapsed.TotalSeconds:F0} s, -ELBO {history.Epochs[0].TrainLoss:F2} nats; resident memory before training {before / (double)(1 << 20):F0} MiB, peak {peak / (double)(1 << 20):F0} MiB; managed heap {GC.GetGCMemoryInfo().HeapSizeBytes / (double)(1 << 20):F0} MiB; file {fileMib:F0} MiB = {fileMib / limitMib:F1} x the {limitMib} MiB limit"));
    if (peak > (long)limitMib << 20)
    {
        Console.WriteLine($"FAIL: the peak passed the {limitMib} MiB limit");
        return 1;
    }
    Console.WriteLine($"ok: the peak stayed under the {limitMib} MiB limit");
    return 0;
}

// VmRSS of this process: pages of the heap, libtorch and mapped libraries in memory now; file pages read through the page cache are not in it.
static long Resident()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
    return 0;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

namespace VaeGen.StreamingBenchmarks
{
    /// <summary>The sample's 784-400-20 Bernoulli model.</summary>
    [Vae(784, 20)] [Encoder(400)] [Decoder(400)]
    public partial class StreamedVae;

    /// <summary>A small model over the same 784 features, for the memory measurement.</summary>
    [Vae(784, 8)] [Encoder(32)] [Decoder(32)]
    public partial class SmallVae;
}
