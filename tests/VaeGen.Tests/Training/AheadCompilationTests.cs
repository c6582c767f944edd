using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using VaeGen.Training;
using Xunit;

namespace VaeGen.Tests.Training;

/// <summary>
/// The compilation the generated Fit starts before its data checks: which methods it takes (those the runtime would
/// compile fully optimized at their first call, nested types included, generic ones left out).
/// </summary>
public sealed class AheadCompilationTests
{
    [Fact]
    public async Task The_compiled_step_compiles_its_optimized_methods_ahead()
    {
        DenseBernoulliStep.CompileAhead();
        var outcome = await DenseBernoulliStep.Ahead.Start();
        Assert.Empty(outcome.Failed);
        // One method of each kind a training step runs through: the step's passes and kernels, the session's batches,
        // the binarization draw, the optimizer and its fused update, and the second thread that shares the halves.
        foreach (var name in new[]
                 {
                     "DenseBernoulliStep.StepMeans", "DenseBernoulliStep.Pass", "DenseBernoulliStep.FusedLikelihoodPass", "DenseBernoulliStep.AddInto",
                     "DenseBernoulliStep.Relu", "DenseBernoulliStep.OptimizerGradients", "DenseBernoulliStep.Halves", "TrainingSession.NextBatch",
                     "TrainingSession.Advance", "TrainingSession.Gather", "TrainingSession.Binarize",
                     "TrainingSession.Record", "TrainingSession.Keep", "TrainingSession.ReadBack", "BinarizationDraw.DrawEightAtATime", "AdamOptimizer.Step",
                     "FusedAdamUpdate.Apply", "SecondThread.Run", "SecondThread.Serve",
                 })
            Assert.Contains(name, outcome.Compiled);
        // Both forms of Record: the tensors' and the numbers' (the compiled step's).
        Assert.Equal(2, outcome.Compiled.Count(name => name == "TrainingSession.Record"));
        // The work each thread of a split step runs is a lambda: the attribute on it reaches the compiler's method, in
        // the closure class nested in its type. Both of the step's (the halves, the halves' sum), the shared For's and the
        // optimizer's shared update.
        Assert.Equal(2, outcome.Compiled.Count(name => name.Contains("<StepInParts>", StringComparison.Ordinal)));
        Assert.Contains(outcome.Compiled, name => name.Contains("<For>", StringComparison.Ordinal));
        Assert.Contains(outcome.Compiled, name => name.Contains("<Step>", StringComparison.Ordinal));
        // Methods without AggressiveOptimization start in the runtime's quick tier, as they would without this.
        Assert.DoesNotContain("DenseBernoulliStep.For", outcome.Compiled);
        Assert.DoesNotContain("TrainingSession.NextEpoch", outcome.Compiled);
    }

    [Fact]
    public async Task Only_methods_marked_for_aggressive_optimization_are_compiled_nested_types_included_generic_ones_left_out()
    {
        var outcome = await new AheadCompilation(typeof(Sample)).Start();
        Assert.Empty(outcome.Failed);
        Assert.Equal(new[] { "Inner.AlsoOptimized", "Sample.Optimized" }, outcome.Compiled.Order(StringComparer.Ordinal));
    }

    private static class Sample
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static int Optimized(int x) => x + 1;

        public static int Plain(int x) => x + 2;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static T Generic<T>(T x) => x;

        public static class Inner
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static int AlsoOptimized(int x) => x * 3;
        }

        public static class Open<T>
        {
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public static T Same(T x) => x;
        }
    }
}
