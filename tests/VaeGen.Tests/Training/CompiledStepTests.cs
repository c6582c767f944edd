using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using VaeGen.Training;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests.Training;

/// <summary>
/// The compiled training step (closed-form gradients, element-wise work in C#) against autograd: the loss terms, every
/// gradient and the parameters after Adam, step by step, for each activation it covers and for batches of two sizes.
/// </summary>
public sealed class CompiledStepTests
{
    /// <summary>
    /// Gradients may differ from autograd's by float32 rounding: the products are the same kernels, but the bias is
    /// added after the product instead of inside it, and exp, log and tanh come from another library.
    /// </summary>
    private const double GradientTolerance = 2e-4;

    /// <summary>A model's layers as the generated Fit hands them over, found by their module names.</summary>
    private static DenseBernoulliStep StepFor(nn.Module model, int encoderLayers, Activation encoderActivation, int decoderLayers, Activation decoderActivation)
    {
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        DenseBernoulliStep.Layer[] Stack(string name, int count, Activation activation) =>
            Enumerable.Range(1, count).Select(i => new DenseBernoulliStep.Layer((Linear)modules[$"{name}.linear{i}"], activation)).ToArray();
        return new DenseBernoulliStep(
            Stack("encoder", encoderLayers, encoderActivation), (Linear)modules["encoderMu"], (Linear)modules["encoderLogVar"],
            Stack("decoder", decoderLayers, decoderActivation), (Linear)modules["decoderLogits"]);
    }

    public static IEnumerable<object[]> Models() =>
    [
        ["BernoulliVae"],
        ["LinearVae"],
        ["TanhSigmoidVae"],
        ["LeakyIdentityVae"],
    ];

    private static (nn.Module Model, Func<Tensor, (Tensor Reconstruction, Tensor Kl)> Loss, Func<nn.Module, DenseBernoulliStep> Step, long Width) Create(string name)
    {
        switch (name)
        {
            case "BernoulliVae":
            {
                var model = new BernoulliVae();
                return (model, x => { using var o = model.forward(x); var e = model.Loss(x, o); return (e.Reconstruction, e.Kl); },
                    m => StepFor(m, 1, Activation.ReLU, 1, Activation.ReLU), BernoulliVae.InputSize);
            }
            case "LinearVae":
            {
                var model = new LinearVae();
                return (model, x => { using var o = model.forward(x); var e = model.Loss(x, o); return (e.Reconstruction, e.Kl); },
                    m => StepFor(m, 0, Activation.ReLU, 0, Activation.ReLU), LinearVae.InputSize);
            }
            case "TanhSigmoidVae":
            {
                var model = new TanhSigmoidVae();
                return (model, x => { using var o = model.forward(x); var e = model.Loss(x, o); return (e.Reconstruction, e.Kl); },
                    m => StepFor(m, 2, Activation.Tanh, 2, Activation.Sigmoid), TanhSigmoidVae.InputSize);
            }
            default:
            {
                var model = new LeakyIdentityVae();
                return (model, x => { using var o = model.forward(x); var e = model.Loss(x, o); return (e.Reconstruction, e.Kl); },
                    m => StepFor(m, 1, Activation.LeakyReLU, 2, Activation.Identity), LeakyIdentityVae.InputSize);
            }
        }
    }

    /// <summary>
    /// The model twice from the same seed, so with the same parameters: one for the compiled step (and the maker of its
    /// step), one for autograd (and its loss).
    /// </summary>
    private static (nn.Module Compiled, nn.Module Autograd, Func<Tensor, (Tensor Reconstruction, Tensor Kl)> Loss, Func<nn.Module, DenseBernoulliStep> MakeStep, long Width) Twins(string name)
    {
        manual_seed(31);
        var (compiled, _, makeStep, width) = Create(name);
        manual_seed(31);
        var (autograd, loss, _, _) = Create(name);
        return (compiled, autograd, loss, makeStep, width);
    }

    /// <summary>Each model with batches of 40 split between two threads (DenseBernoulliStep.StepInParts), and taken whole.</summary>
    public static IEnumerable<object[]> ModelsAndSplits() => Models().SelectMany(m => new[] { m.Append(true).ToArray(), m.Append(false).ToArray() });

    [Theory]
    [MemberData(nameof(ModelsAndSplits))]
    public void Loss_gradients_and_updates_follow_autograd_step_by_step(string name, bool inHalves)
    {
        var (compiledModel, autogradModel, loss, makeStep, width) = Twins(name);
        using var compiledAdam = new AdamOptimizer(compiledModel.parameters(), 1e-2);
        using var autogradAdam = new AdamOptimizer(autogradModel.parameters(), 1e-2);
        using var step = makeStep(compiledModel);
        step.InHalves = inHalves;
        if (inHalves && !SplitRuns) return; // one thread or one core here: the split is not taken, and the other case covers the whole batch
        using var data = rand(200, width, generator: new Generator(5));
        for (var i = 0; i < 12; i++)
        {
            using var scope = NewDisposeScope();
            // Batches of 40 and, every third step, of 7 (a short last batch, its own buffers), with a KL weight below, at
            // and above 1.
            var size = i % 3 == 2 ? 7 : 40;
            // Odd steps take the grey levels themselves as targets (Fit without binarization), even steps binary ones.
            var x = data.narrow(0, (i * 40) % 160, size);
            if (i % 2 == 0) x = x.lt(0.4).to(ScalarType.Float32);
            var klWeight = new[] { 0.25, 1.0, 3.0 }[i % 3];

            manual_seed(100 + i);
            var (reconstruction, kl) = step.Step(x, klWeight);
            manual_seed(100 + i);
            var (autogradReconstruction, autogradKl) = loss(x);
            autogradAdam.ZeroGrad();
            autogradReconstruction.add(autogradKl.mul(klWeight)).backward();

            // The same noise, so the same terms: any difference is rounding.
            AssertClose(autogradReconstruction.item<float>(), reconstruction.item<float>(), 1e-5, $"{name} reconstruction, step {i}");
            AssertClose(autogradKl.item<float>(), kl.item<float>(), 1e-5, $"{name} KL, step {i}");
            AssertGradientsFollow(compiledModel, autogradModel, $"{name}, step {i}");

            compiledAdam.Step();
            autogradAdam.Step();
            foreach (var ((parameter, ours), (_, theirs)) in compiledModel.named_parameters().Zip(autogradModel.named_parameters()))
            {
                // Adam divides by the gradient's root mean square, so a tiny gradient's rounding moves a parameter by up
                // to about a tenth of a step (lr = 1e-2): 2e-3 absolute, far below the 1e-2 a step moves.
                var difference = (ours - theirs).abs().max().item<float>();
                Assert.True(difference <= 2e-3, $"{name}: {parameter} differs by {difference} after step {i}");
            }
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(40)] // batches split between two threads where libtorch has two, and a last batch of 30 taken whole
    public void Fit_with_and_without_the_compiled_step_follows_the_same_loss_curve(int batchSize)
    {
        // Grey levels, dynamically binarized, a KL warm-up and a short last batch (150 = 9 * 16 + 6 = 3 * 40 + 30); the
        // step-by-step test above covers grey targets without binarization.
        using var data = rand(150, 12, generator: new Generator(17));
        var options = new TrainingOptions { Epochs = 4, BatchSize = batchSize, LearningRate = 5e-3, Seed = 3, DynamicBinarization = true, KlWarmupEpochs = 2 };
        manual_seed(8);
        using var compiledModel = new BernoulliVae();
        manual_seed(8);
        using var autogradModel = new BernoulliVae();
        var compiled = compiledModel.Fit(data, options);
        var autograd = autogradModel.Fit(data, options with { CompiledStep = false });

        Assert.True(compiled.Epochs[^1].TrainLoss < compiled.Epochs[0].TrainLoss);
        // Rounding differs between the paths, so identical figures would mean the compiled step never ran.
        Assert.Contains(compiled.Epochs.Zip(autograd.Epochs), pair => pair.First.TrainLoss != pair.Second.TrainLoss);
        foreach (var (ours, theirs) in compiled.Epochs.Zip(autograd.Epochs))
        {
            // The same batches and noise; the paths part by float rounding only (measured: at most 3e-8 relative over
            // the four epochs); 1e-6 relative is the bound.
            Assert.True(Math.Abs(ours.TrainLoss - theirs.TrainLoss) <= 1e-6 * Math.Abs(theirs.TrainLoss),
                $"epoch {ours.Epoch}: -ELBO {ours.TrainLoss} with the compiled step, {theirs.TrainLoss} with autograd");
        }
        foreach (var ((name, ours), (_, theirs)) in compiledModel.named_parameters().Zip(autogradModel.named_parameters()))
        {
            var difference = (ours - theirs).abs().max().item<float>();
            Assert.True(difference <= 1e-4, $"{name} differs by {difference} after the runs");
        }
    }

    [Fact]
    public void A_frozen_parameter_stays_where_it_was_as_autograd_leaves_it()
    {
        // The compiled step would write a gradient for every layer parameter; Fit must see the frozen one and train
        // through autograd, which gives it none.
        using var data = rand(64, 12, generator: new Generator(3));
        manual_seed(5);
        using var model = new BernoulliVae();
        var frozen = model.named_parameters().Single(p => p.name == "encoderMu.bias").parameter;
        frozen.requires_grad_(false);
        using var before = frozen.detach().clone();
        var history = model.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 1e-2 });
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss, "the other parameters did not train");
        Assert.True(frozen.equal(before).all().item<bool>(), "the frozen parameter moved");
    }

    [Fact]
    public void A_weight_moved_after_the_first_step_is_read_where_it_now_is()
    {
        // The step keeps a transposed view of each weight from its first call. An optimizer created afterwards moves
        // the parameters into its own flat buffer; halving them there leaves the old memory with the old values, so a
        // step that still read it would no longer follow autograd.
        var (compiledModel, autogradModel, loss, makeStep, width) = Twins("TanhSigmoidVae");
        using var earlierAdam = new AdamOptimizer(compiledModel.parameters(), 1e-2); // the gradient buffers of the first step
        using var step = makeStep(compiledModel);
        using var x = rand(40, width, generator: new Generator(5)).lt(0.4).to(ScalarType.Float32);
        manual_seed(7);
        var (first, firstKl) = step.Step(x, 1.0);
        first.Dispose();
        firstKl.Dispose();

        using var compiledAdam = new AdamOptimizer(compiledModel.parameters(), 1e-2);
        using var autogradAdam = new AdamOptimizer(autogradModel.parameters(), 1e-2);
        using (no_grad())
        {
            foreach (var parameter in compiledModel.parameters().Concat(autogradModel.parameters())) parameter.mul_(0.5);
        }

        manual_seed(8);
        var (reconstruction, kl) = step.Step(x, 1.0);
        manual_seed(8);
        var (autogradReconstruction, autogradKl) = loss(x);
        autogradAdam.ZeroGrad();
        autogradReconstruction.add(autogradKl).backward();
        AssertClose(autogradReconstruction.item<float>(), reconstruction.item<float>(), 1e-5, "reconstruction after the move");
        AssertClose(autogradKl.item<float>(), kl.item<float>(), 1e-5, "KL after the move");
        AssertGradientsFollow(compiledModel, autogradModel, "after the move");
    }

    [Fact]
    public void A_weight_that_is_a_transposed_view_is_read_as_it_is()
    {
        // A weight that is not contiguous has no span to tell where it lives: the step makes its view again at every
        // step, and follows autograd as with a contiguous weight. No optimizer here (it would move the weights into its
        // contiguous buffer): the gradients are the parameters' own.
        var (compiledModel, autogradModel, loss, makeStep, width) = Twins("TanhSigmoidVae");
        foreach (var model in new[] { compiledModel, autogradModel })
        {
            var first = (Linear)model.named_modules().Single(m => m.name == "encoder.linear1").module;
            using (no_grad())
                first.weight = new Parameter(first.weight!.t().contiguous().t());
            Assert.False(first.weight!.is_contiguous());
            foreach (var parameter in model.parameters()) parameter.grad = zeros(parameter.shape);
        }
        using var step = makeStep(compiledModel);
        using var x = rand(40, width, generator: new Generator(5)).lt(0.4).to(ScalarType.Float32);
        for (var i = 0; i < 2; i++)
        {
            manual_seed(9 + i);
            var (reconstruction, kl) = step.Step(x, 1.0);
            manual_seed(9 + i);
            var (autogradReconstruction, autogradKl) = loss(x);
            foreach (var parameter in autogradModel.parameters()) parameter.grad!.zero_();
            autogradReconstruction.add(autogradKl).backward();
            AssertClose(autogradReconstruction.item<float>(), reconstruction.item<float>(), 1e-5, $"reconstruction, step {i}");
            AssertClose(autogradKl.item<float>(), kl.item<float>(), 1e-5, $"KL, step {i}");
            AssertGradientsFollow(compiledModel, autogradModel, $"step {i}");
        }
    }

    [Fact]
    public void A_weight_replaced_after_a_step_gets_its_gradient_in_its_own_buffer()
    {
        // The step from a session writes into the optimizer's views of its flat gradient buffer, looked up at the first
        // step. A layer given a new weight afterwards is not among the optimizer's parameters: the step must write that
        // weight's gradient into its own .grad, and leave the old weight's view of the flat buffer alone.
        manual_seed(31);
        using var model = new BernoulliVae();
        using var data = rand(64, BernoulliVae.InputSize, generator: new Generator(3)).lt(0.5).to(ScalarType.Float32);
        using var session = new TrainingSession(model, nameof(BernoulliVae), BernoulliVae.InputSize, data, new TrainingOptions { BatchSize = 32 });
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        using var step = DenseBernoulliStep.For(
            session,
            [new((Linear)modules["encoder.linear1"], Activation.ReLU)], (Linear)modules["encoderMu"], (Linear)modules["encoderLogVar"],
            [new((Linear)modules["decoder.linear1"], Activation.ReLU)], (Linear)modules["decoderLogits"])!;
        using var x = data.narrow(0, 0, 32);
        manual_seed(4);
        step.StepMeans(x, 1.0);

        var first = (Linear)modules["encoder.linear1"];
        using var oldGradient = first.weight!.grad!;
        using var oldAfterFirstStep = oldGradient.clone();
        using (no_grad())
            first.weight = new Parameter(first.weight!.detach().clone());
        first.weight!.grad = zeros(first.weight.shape);
        manual_seed(5);
        step.StepMeans(x, 1.0);

        using var newGradient = first.weight.grad!;
        Assert.True(newGradient.abs().max().item<float>() > 0, "the new weight received no gradient");
        Assert.True(oldGradient.equal(oldAfterFirstStep).all().item<bool>(), "the old weight's view of the flat buffer was written after the swap");
    }

    /// <summary>Every parameter's gradient in <paramref name="compiled"/> within <see cref="GradientTolerance"/> of its largest value in <paramref name="autograd"/>'s.</summary>
    private static void AssertGradientsFollow(nn.Module compiled, nn.Module autograd, string when)
    {
        foreach (var ((parameter, ours), (_, theirs)) in compiled.named_parameters().Zip(autograd.named_parameters()))
        {
            using var ourGradient = ours.grad!;
            using var theirGradient = theirs.grad!;
            var difference = (ourGradient - theirGradient).abs().max().item<float>();
            var largest = theirGradient.abs().max().item<float>();
            Assert.True(difference <= GradientTolerance * (1e-3 + largest), $"{when}: gradient of {parameter} differs by {difference} (largest {largest})");
        }
    }

    [Fact]
    public void Gradients_set_to_null_between_steps_are_pointed_at_the_flat_buffer_again()
    {
        // A progress callback that calls zero_grad() (which sets every gradient to null) after each step: the next
        // compiled step must find the optimizer's buffers again, and the run must follow one that was left alone.
        using var data = rand(64, 12, generator: new Generator(4));
        var options = new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 1e-2, Seed = 9 };
        manual_seed(6);
        using var plain = new BernoulliVae();
        var expected = plain.Fit(data, options);
        manual_seed(6);
        using var cleared = new BernoulliVae();
        var actual = cleared.Fit(data, options with { Progress = new SynchronousProgress(_ => cleared.zero_grad()) });
        Assert.Equal(expected.Epochs.Select(e => e.TrainLoss), actual.Epochs.Select(e => e.TrainLoss));
        foreach (var ((name, ours), (_, theirs)) in cleared.named_parameters().Zip(plain.named_parameters()))
            Assert.True(ours.equal(theirs).all().item<bool>(), $"{name} differs");
    }

    /// <summary>Whether batches are split here: the step's own test (libtorch has more than one thread and the machine more than one core).</summary>
    private static bool SplitRuns => VaeGen.Maths.SecondThread.Worthwhile();

    [Fact]
    public async System.Threading.Tasks.Task The_split_step_gives_the_same_bits_whether_the_second_thread_takes_a_half_or_not()
    {
        // Once with the second thread free (it takes a half), once with it held by another caller (the step then does
        // both halves on its own thread): the same gradients to the bit, and libtorch's threads given back on disposal.
        if (!SplitRuns) return; // the split is not taken here
        var threads = get_num_threads();
        using var data = rand(64, TanhSigmoidVae.InputSize, generator: new Generator(8));

        // Twenty steps from the same start; returns every gradient and how many halves the second thread took.
        (List<double[]> Gradients, long Taken) Run()
        {
            manual_seed(41);
            using var model = new TanhSigmoidVae();
            using var adam = new AdamOptimizer(model.parameters(), 1e-2);
            var gradients = new List<double[]>();
            long taken;
            using (var step = StepFor(model, 2, Activation.Tanh, 2, Activation.Sigmoid))
            {
                for (var i = 0; i < 20; i++)
                {
                    manual_seed(200 + i);
                    using var scope = NewDisposeScope();
                    step.Step(data.narrow(0, 0, 50).lt(0.5).to(ScalarType.Float32), 1.0);
                    gradients.AddRange(model.parameters().Select(p => Hand.Values(p.grad!)));
                    adam.Step();
                }
                Assert.Equal(1, get_num_threads()); // lowered for the split steps until the step is disposed
                taken = step.HalvesOnSecondThread;
            }
            Assert.Equal(threads, get_num_threads());
            return (gradients, taken);
        }

        // The second thread is the process's: tests running beside this one may keep it busy through a whole run, so
        // the free run is tried again (the same run, the same bits) until the second thread has taken a half.
        var free = Run();
        for (var attempt = 1; attempt < 10 && free.Taken == 0; attempt++) free = Run();
        Assert.True(free.Taken > 0, "the second thread took no half in ten runs of 20 steps: the split was not tested");

        (List<double[]> Gradients, long Taken)? held = null;
        for (var attempt = 0; attempt < 10 && held is null; attempt++)
        {
            using var release = new System.Threading.ManualResetEventSlim();
            using var holding = new System.Threading.CountdownEvent(2);
            // Another caller holds the second thread: both of its calls wait until released. When the second thread is
            // serving a step of another test, Run calls the work once, on the holder's thread alone: release it and try
            // again.
            var holder = System.Threading.Tasks.Task.Run(() => VaeGen.Maths.SecondThread.Shared.Run(() => { holding.Signal(); release.Wait(); }));
            try
            {
                if (holding.Wait(TimeSpan.FromSeconds(5))) held = Run();
            }
            finally
            {
                release.Set();
                await holder;
            }
        }
        Assert.True(held is not null, "no caller could hold the second thread in ten tries: the whole-batch case was not tested");
        Assert.Equal(0, held.Value.Taken);
        Assert.Equal(free.Gradients.Count, held.Value.Gradients.Count);
        for (var i = 0; i < free.Gradients.Count; i++) Assert.Equal(free.Gradients[i], held.Value.Gradients[i]);
    }

    [Fact]
    public void Fit_with_split_steps_gives_libtorch_its_threads_back_at_each_epochs_end()
    {
        if (!SplitRuns) return; // the split is not taken here
        var threads = get_num_threads();
        using var data = rand(200, 12, generator: new Generator(9));
        manual_seed(7);
        using var model = new BernoulliVae();
        var seenInSteps = new List<int>();
        var seenAtEpochEnd = new List<int>();
        var history = model.Fit(data, new TrainingOptions
        {
            Epochs = 3, BatchSize = 64, LearningRate = 1e-2, Seed = 2,
            Progress = new SynchronousProgress(p => (p.CompletedEpoch is null ? seenInSteps : seenAtEpochEnd).Add(get_num_threads())),
        });
        Assert.Equal(3, history.Epochs.Count);
        Assert.Contains(1, seenInSteps); // the steps were split, with libtorch on one thread
        Assert.Equal(3, seenAtEpochEnd.Count);
        Assert.All(seenAtEpochEnd, n => Assert.Equal(threads, n)); // given back before each epoch's report
        Assert.Equal(threads, get_num_threads());
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * (1 + Math.Abs(expected)), $"{what}: autograd {expected}, compiled {actual}");
}
