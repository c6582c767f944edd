using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// Generated models switch train()/eval() where a trainer would, so layers that behave differently in the two modes
/// (dropout, batch norm) do the right thing: Fit trains, evaluation and sampling evaluate. Each gives the caller's mode
/// back when it returns.
/// </summary>
public sealed class ModeTests
{
    /// <summary>A BernoulliVae that records each mode switch of the whole model and the mode each call of forward ran in.</summary>
    private sealed class ModeSpy : BernoulliVae
    {
        public List<bool> Switches { get; } = new();

        public List<bool> ForwardModes { get; } = new();

        public override void train(bool on = true)
        {
            Switches.Add(on);
            base.train(on);
        }

        public override Output forward(Tensor x)
        {
            ForwardModes.Add(training);
            return base.forward(x);
        }

        public void Forget()
        {
            Switches.Clear();
            ForwardModes.Clear();
        }
    }

    private static ModeSpy NewSpy()
    {
        manual_seed(70);
        var spy = new ModeSpy();
        spy.Forget();
        return spy;
    }

    [Fact]
    public void Evaluate_runs_in_eval_mode_and_restores_the_callers_mode()
    {
        using var scope = NewDisposeScope();
        using var spy = NewSpy();
        var data = rand(10, 12);

        Assert.True(spy.training);
        spy.Evaluate(data, batchSize: 4);
        // Into eval mode for the passes, then back to training, where the caller had the model.
        Assert.Equal(new[] { false, true }, spy.Switches);
        Assert.True(spy.training);
        Assert.True(spy.modules().All(m => m.training));

        spy.eval();
        spy.Forget();
        spy.Evaluate(data, batchSize: 4);
        Assert.Empty(spy.Switches);
        Assert.False(spy.training);
    }

    [Fact]
    public void Sampling_and_scoring_evaluate_and_switch_back()
    {
        using var scope = NewDisposeScope();
        using var spy = NewSpy();
        var x = rand(3, 12);
        foreach (var (what, call) in new (string, Action)[]
        {
            ("Sample", () => spy.Sample(2)),
            ("Reconstruct", () => spy.Reconstruct(x)),
            ("Interpolate", () => spy.Interpolate(x, x, 3)),
            ("LogLikelihood", () => spy.LogLikelihood(x, 4)),
            ("LatentUsage", () => spy.LatentUsage(x)),
        })
        {
            spy.Forget();
            call();
            // Into eval mode, then back to training, which is where the model was.
            Assert.True(spy.Switches.SequenceEqual(new[] { false, true }), $"{what} switched {string.Join(", ", spy.Switches)}");
            Assert.True(spy.training, what);
        }
    }

    [Fact]
    public void A_submodule_the_caller_froze_in_eval_mode_stays_frozen()
    {
        using var scope = NewDisposeScope();
        using var spy = NewSpy();
        var encoder = spy.named_modules().Single(m => m.name == "encoder").module;
        encoder.eval();
        spy.Reconstruct(rand(2, 12));
        Assert.True(spy.training);
        Assert.False(encoder.training);
        Assert.All(encoder.modules(), m => Assert.False(m.training));
    }

    [Fact]
    public void Fit_trains_in_train_mode_validates_in_eval_mode_and_restores_the_callers_mode()
    {
        using var scope = NewDisposeScope();
        using var spy = NewSpy();
        spy.eval();
        spy.Forget();
        var stepModes = new List<bool>();
        var options = new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 8,
            ValidationData = rand(6, 12),
            Progress = new SynchronousProgress(report =>
            {
                if (report.CompletedEpoch is null) stepModes.Add(spy.training);
            }),
        };
        spy.Fit(rand(16, 12), options);

        Assert.Equal(4, stepModes.Count);
        Assert.All(stepModes, mode => Assert.True(mode));
        Assert.Equal(new[] { true, true, true, true }, spy.ForwardModes);
        // Train for the run, eval around each epoch's validation, and back to eval, where the caller had the model.
        Assert.Equal(new[] { true, false, true, false, true, false }, spy.Switches);
        Assert.False(spy.training);
    }
}
