using System.Linq;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/VaeGen.Generators.Benchmarks [-- --job short]
// dotnet run -c Release --project benchmarks/VaeGen.Generators.Benchmarks -- alternate [BLOCKS=20] [MODELS=1,100,1000]
//   with VAEGEN_BASELINE_GENERATOR set (a path, or name=path,name=path): cold runs of this build and those alternating
//   in one process (Alternating.cs). A count of 0 models measures what a run costs before any model.
// ... -- alternate-edit [BLOCKS=20] [MODELS=1,100,1000]: the same for re-runs after an unrelated edit, with the trivial
//   [Vae] generator as the floor.
// ... -- alternate-emit [BLOCKS=20]: the same for the emitter alone, one model.
if (args.Length > 0 && args[0] == "alternate-emit")
{
    VaeGen.Generators.Benchmarks.Alternating.RunEmit(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20);
    return;
}
if (args.Length > 0 && args[0] is "alternate" or "alternate-edit")
{
    var blocks = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
    var models = (args.Length > 2 ? args[2] : "1,100,1000").Split(',').Select(m => int.Parse(m, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    VaeGen.Generators.Benchmarks.Alternating.Run(blocks, models, edit: args[0] == "alternate-edit");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(VaeGen.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
