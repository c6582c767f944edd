using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace VaeGen.Benchmarks;

/// <summary>
/// The 784-400-20 Bernoulli VAE written by hand the way a TorchSharp user would, as the baseline the generated code is
/// measured against: the same layers and initialization order, the same loss, TorchSharp's own Adam.
/// </summary>
internal sealed class HandWrittenVae : Module<Tensor, (Tensor Logits, Tensor Mu, Tensor LogVar)>
{
    private readonly Linear encoder = Linear(784, 400);
    private readonly Linear mu = Linear(400, 20);
    private readonly Linear logVar = Linear(400, 20);
    private readonly Linear decoder = Linear(20, 400);
    private readonly Linear logits = Linear(400, 784);

    public HandWrittenVae() : base(nameof(HandWrittenVae)) => RegisterComponents();

    public override (Tensor Logits, Tensor Mu, Tensor LogVar) forward(Tensor x)
    {
        var h = functional.relu(encoder.forward(x));
        var m = mu.forward(h);
        var v = logVar.forward(h);
        var z = m + (0.5 * v).exp() * randn_like(m);
        return (logits.forward(functional.relu(decoder.forward(z))), m, v);
    }

    /// <summary>Per-example means of -E_q[log p(x|z)] and KL(q(z|x) || N(0, I)).</summary>
    public static (Tensor Reconstruction, Tensor Kl) Loss(Tensor x, Tensor logits, Tensor mu, Tensor logVar)
    {
        var batch = x.shape[0];
        var reconstruction = functional.binary_cross_entropy_with_logits(logits, x, reduction: Reduction.Sum) / batch;
        var kl = -0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum() / batch;
        return (reconstruction, kl);
    }

    /// <summary>One epoch: shuffle, then a dispose scope, forward, loss, backward and Adam step per batch.</summary>
    public static double TrainEpoch(HandWrittenVae model, optim.Optimizer optimizer, Tensor data, int batchSize)
    {
        double total = 0;
        var count = data.shape[0];
        using var epochScope = NewDisposeScope();
        var shuffled = data.index_select(0, randperm(count));
        for (long start = 0; start < count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var x = bernoulli(shuffled.narrow(0, start, System.Math.Min(batchSize, count - start)));
            var (logits, mu, logVar) = model.forward(x);
            var (reconstruction, kl) = Loss(x, logits, mu, logVar);
            var loss = reconstruction + kl;
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            total += loss.item<float>() * x.shape[0];
        }
        return total / count;
    }
}
