using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>The generated loss is trainable: Adam lowers it on a small fixed data set.</summary>
public sealed class TrainingTests
{
    private readonly ITestOutputHelper log;

    public TrainingTests(ITestOutputHelper log) => this.log = log;

    [Fact]
    public void Adam_lowers_the_negative_ELBO_of_the_synthetic_patterns()
    {
        manual_seed(40);
        using var data = Hand.BinaryPatterns();
        using var model = new BernoulliVae();
        // Averaged over 20 reparameterized passes so one lucky draw cannot decide the outcome.
        var before = AdamLoop.MeanLoss(model, data, passes: 20);
        AdamLoop.Fit(model, data, steps: 300, learningRate: 1e-2);
        var after = AdamLoop.MeanLoss(model, data, passes: 20);
        // An untrained model sits near 12 ln 2 = 8.3 nats; four noisy prototypes are far more predictable than that.
        log.WriteLine($"-ELBO before {before:F3}, after {after:F3}");
        Assert.True(after < 0.8 * before, $"-ELBO before {before:F3}, after {after:F3}");
    }

    [Fact]
    public void Adam_lowers_the_loss_of_a_multi_sample_model_too()
    {
        manual_seed(41);
        using var data = Hand.BinaryPatterns(seed: 777);
        using var model = new MultiSampleVae();
        double MeanLoss()
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var sum = 0.0;
            for (var i = 0; i < 10; i++) sum += Hand.Scalar(model.Loss(data, model.forward(data)).Total);
            return sum / 10;
        }
        var before = MeanLoss();
        using (var optimizer = optim.Adam(model.parameters(), lr: 1e-2))
        {
            for (var step = 0; step < 200; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                model.Loss(data, model.forward(data)).Total.backward();
                optimizer.step();
            }
        }
        var after = MeanLoss();
        log.WriteLine($"-ELBO before {before:F3}, after {after:F3}");
        Assert.True(after < 0.8 * before, $"-ELBO before {before:F3}, after {after:F3}");
    }
}
