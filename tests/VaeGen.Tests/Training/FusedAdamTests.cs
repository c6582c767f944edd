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
/// The fused Adam update (one SIMD pass over the flat buffers) against the general path (eight tensor operations):
/// the same update to float rounding, step by step, in a model trained by autograd, and over whole Fit runs.
/// </summary>
public sealed class FusedAdamTests
{
    /// <summary>
    /// Tolerance between the paths after each step, relative to the update's size: the paths round differently (libtorch
    /// may fuse a multiply and an add), a few float32 ulps of the parameter, which is far below one step (lr = 1e-2).
    /// </summary>
    private const double StepTolerance = 1e-6;

    /// <summary>Parameters of lengths that are not multiples of any vector width, so the scalar tail runs too.</summary>
    private static List<Parameter> OddParameters(long seed)
    {
        var generator = new Generator((ulong)seed);
        return [
            new Parameter(randn(37, generator: generator)),
            new Parameter(randn(5, 3, generator: generator)),
            new Parameter(randn(64, 9, generator: generator)),
        ];
    }

    /// <summary>Copies the same gradient into each optimizer's parameters (views of its flat gradient buffer).</summary>
    private static void SetGradients(IReadOnlyList<Parameter> parameters, IReadOnlyList<Tensor> gradients)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            using var grad = parameters[i].grad!;
            grad.copy_(gradients[i]);
        }
    }

    [Fact]
    public void The_update_shared_with_the_second_thread_gives_the_same_bits_as_on_one()
    {
        // 80,007 values, above AdamOptimizer.ShareFrom; the two parts meet inside the second parameter (at 40,003).
        List<Parameter> Parameters() => new[] { 40_000L, 40_007L }.Select(n => new Parameter(randn(n, generator: new Generator(2)))).ToList();
        var alone = Parameters();
        var shared = Parameters();
        using var one = new AdamOptimizer(alone, 1e-2);
        using var two = new AdamOptimizer(shared, 1e-2) { SharesUpdate = true };
        Assert.True(alone.Sum(p => p.numel()) >= AdamOptimizer.ShareFrom);
        var generator = new Generator(3);
        for (var step = 1; step <= 5; step++)
        {
            using var scope = NewDisposeScope();
            var gradients = alone.Select(p => randn(p.shape, generator: generator)).ToList();
            SetGradients(alone, gradients);
            SetGradients(shared, gradients);
            one.Step();
            two.Step();
            for (var i = 0; i < alone.Count; i++) Assert.Equal(Hand.Values(alone[i]), Hand.Values(shared[i]));
        }
    }

    [Fact]
    public void The_fused_update_matches_the_general_path_step_by_step()
    {
        var fusedParameters = OddParameters(3);
        var generalParameters = OddParameters(3);
        var initial = OddParameters(3);
        using var fused = new AdamOptimizer(fusedParameters, 1e-2);
        using var general = new AdamOptimizer(generalParameters, 1e-2, allowFused: false);
        Assert.True(fused.IsFused);
        Assert.False(general.IsFused);

        var generator = new Generator(5);
        for (var step = 1; step <= 12; step++)
        {
            using var scope = NewDisposeScope();
            // Gradients of very different sizes, some near zero, so that eps and the bias corrections matter.
            var scale = Math.Pow(10, -(step % 7));
            var gradients = fusedParameters.Select(p => randn(p.shape, generator: generator).mul_(scale)).ToList();
            SetGradients(fusedParameters, gradients);
            SetGradients(generalParameters, gradients);
            fused.Step();
            general.Step();

            for (var i = 0; i < fusedParameters.Count; i++)
            {
                var difference = (fusedParameters[i] - generalParameters[i]).abs().max().item<float>();
                // One step moves a parameter by about lr; the paths may differ by rounding only.
                Assert.True(difference <= StepTolerance * (1 + generalParameters[i].abs().max().item<float>()),
                    $"parameter {i} differs by {difference} after step {step}");
                Assert.False(fusedParameters[i].equal(initial[i]).all().item<bool>(), "the fused update changed nothing");
            }
        }
        Assert.Equal(12, fused.StepCount);
    }

    [Fact]
    public void Every_element_gets_the_same_update_whether_a_vector_lane_or_the_scalar_tail_computes_it()
    {
        // 37 equal elements with equal gradients: lanes and the tail (elements 32 to 36) must agree bit for bit.
        var parameter = new Parameter(full(37, 0.25f));
        using var optimizer = new AdamOptimizer([parameter], 3e-3);
        for (var step = 0; step < 5; step++)
        {
            using (var noGrad = no_grad())
            using (var grad = parameter.grad!)
                grad.fill_(0.37f * (step + 1) * (step % 2 == 0 ? 1 : -1));
            optimizer.Step();
        }
        using var first = parameter[0];
        Assert.NotEqual(0.25f, first.item<float>());
        Assert.True(parameter.eq(first).all().item<bool>(), $"elements differ: {string.Join(", ", parameter.data<float>().ToArray())}");
    }

    [Fact]
    public void Gradients_and_parameters_of_a_trained_model_follow_the_general_path()
    {
        using var data = rand(64, 12, generator: new Generator(9));
        manual_seed(21);
        using var fusedModel = new BernoulliVae();
        manual_seed(21);
        using var generalModel = new BernoulliVae();
        using var fused = new AdamOptimizer(fusedModel.parameters(), 1e-2);
        using var general = new AdamOptimizer(generalModel.parameters(), 1e-2, allowFused: false);
        var noise = new Generator(4);
        for (var step = 0; step < 20; step++)
        {
            using var scope = NewDisposeScope();
            var batch = data.narrow(0, (step * 16) % 64, 16);
            var eps = randn(16, 3, generator: noise);
            foreach (var (model, optimizer) in new[] { (fusedModel, fused), (generalModel, general) })
            {
                var (mu, logVar) = model.Encode(batch);
                var z = model.Reparameterize(mu, logVar, eps);
                var loss = model.Loss(batch, new BernoulliVae.Output(mu, logVar, z, model.Decode(z))).Total;
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
            }

            // The gradients autograd wrote into each flat buffer, and the parameters after the update.
            foreach (var ((name, ours), (_, theirs)) in fusedModel.named_parameters().Zip(generalModel.named_parameters()))
            {
                Assert.True(ours.grad!.allclose(theirs.grad!, rtol: 1e-4, atol: 1e-6), $"gradient of {name} differs at step {step}");
                Assert.True(ours.allclose(theirs, rtol: 1e-5, atol: 1e-6), $"{name} differs after step {step}");
            }
        }
    }

    [Fact]
    public void Float64_parameters_and_a_turned_off_fused_update_take_the_general_path_and_say_why()
    {
        var wide = new Parameter(zeros(4, dtype: ScalarType.Float64));
        using (var optimizer = new AdamOptimizer([wide]))
        {
            Assert.False(optimizer.IsFused);
            Assert.StartsWith("general:", optimizer.UpdatePath);
            Assert.Contains("Float64", optimizer.UpdatePath);
        }

        var narrow = new Parameter(zeros(4));
        using (var optimizer = new AdamOptimizer([narrow], allowFused: false))
        {
            Assert.False(optimizer.IsFused);
            Assert.Contains("turned off", optimizer.UpdatePath);
        }

        using (var optimizer = new AdamOptimizer([new Parameter(zeros(4))]))
        {
            Assert.True(optimizer.IsFused);
            Assert.StartsWith("fused:", optimizer.UpdatePath);
        }
    }

    [Fact]
    public void Fit_with_and_without_the_fused_update_follows_the_same_loss_curve()
    {
        using var data = rand(160, 12, generator: new Generator(17));
        var options = new TrainingOptions { Epochs = 4, BatchSize = 16, LearningRate = 5e-3, Seed = 3 };
        manual_seed(8);
        using var fusedModel = new BernoulliVae();
        manual_seed(8);
        using var generalModel = new BernoulliVae();
        var fused = fusedModel.Fit(data, options);
        var general = generalModel.Fit(data, options with { FusedAdam = false });

        Assert.True(fused.Epochs[^1].TrainLoss < fused.Epochs[0].TrainLoss);
        foreach (var (ours, theirs) in fused.Epochs.Zip(general.Epochs))
        {
            // The paths part by float rounding only (measured: 2e-8 relative in the second epoch); 1e-6 relative is the bound.
            Assert.True(Math.Abs(ours.TrainLoss - theirs.TrainLoss) <= 1e-6 * Math.Abs(theirs.TrainLoss),
                $"epoch {ours.Epoch}: -ELBO {ours.TrainLoss} with the fused update, {theirs.TrainLoss} without");
        }
    }
}
