using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>Full-batch Adam on a Bernoulli model, and the loss averaged over several reparameterized passes.</summary>
internal static class AdamLoop
{
    public static void Fit(BernoulliVae model, Tensor data, int steps, double learningRate)
    {
        using var optimizer = optim.Adam(model.parameters(), lr: learningRate);
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.Loss(data, model.forward(data));
            loss.Total.backward();
            optimizer.step();
        }
    }

    /// <summary>The negative ELBO of the whole data set, averaged over <paramref name="passes"/> independent forward passes.</summary>
    public static double MeanLoss(BernoulliVae model, Tensor data, int passes)
    {
        using var noGrad = no_grad();
        var sum = 0.0;
        for (var pass = 0; pass < passes; pass++)
        {
            using var scope = NewDisposeScope();
            sum += Hand.Scalar(model.Loss(data, model.forward(data)).Total);
        }
        return sum / passes;
    }
}
