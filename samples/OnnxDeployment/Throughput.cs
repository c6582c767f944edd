using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace OnnxDeployment;

/// <summary>
/// The throughput measurement both programs share: for each operation and batch size, a warm-up, then calls for a fixed
/// time; the figure is examples per second. One line per figure, "throughput OPERATION BATCH EXAMPLES_PER_SECOND", for
/// measure.sh to read.
/// </summary>
internal static class Throughput
{
    public static readonly int[] Batches = [1, 256];

    /// <param name="run">Runs the operation once on a batch of the given size, from managed input arrays to managed output arrays.</param>
    /// <param name="seconds">How long each figure is measured.</param>
    public static void Measure(string operation, Action<int> run, double seconds)
    {
        foreach (var batch in Batches)
        {
            for (var i = 0; i < 20; i++) run(batch);
            var calls = 0L;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                run(batch);
                calls++;
            }
            var perSecond = calls * batch / watch.Elapsed.TotalSeconds;
            Console.WriteLine(FormattableString.Invariant($"throughput {operation} {batch} {perSecond:F0}"));
        }
    }

    /// <summary>The options both programs read: --threads N (intra-op threads, default one per core) and --seconds S (default 3).</summary>
    public static (int Threads, double Seconds) Options(IReadOnlyList<string> args)
    {
        var threads = Environment.ProcessorCount;
        var seconds = 3.0;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] is not ("--threads" or "--seconds")) continue;
            var value = i + 1 < args.Count ? args[i + 1] : "";
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            if (args[i] == "--threads" && !(int.TryParse(value, System.Globalization.NumberStyles.None, culture, out threads) && threads >= 1))
                throw new ArgumentException($"--threads (argument {i + 2}) takes a whole number of at least 1; got '{value}'.", nameof(args));
            if (args[i] == "--seconds" && !(double.TryParse(value, System.Globalization.NumberStyles.Float, culture, out seconds) && seconds > 0))
                throw new ArgumentException($"--seconds (argument {i + 2}) takes a positive number; got '{value}'.", nameof(args));
        }
        return (threads, seconds);
    }
}
