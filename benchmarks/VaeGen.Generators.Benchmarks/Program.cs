using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/VaeGen.Generators.Benchmarks [-- --job short]
BenchmarkSwitcher.FromAssembly(typeof(VaeGen.Generators.Benchmarks.GeneratorBenchmarks).Assembly).Run(args);
