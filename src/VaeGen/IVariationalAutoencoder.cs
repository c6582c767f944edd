using System.Threading;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen;

/// <summary>
/// What every generated VAE offers, whatever its sizes and likelihood, so tools (samples, benchmarks, reports) can work
/// with any of them. Generated classes implement it; the class itself adds its typed forward pass and loss.
/// </summary>
public interface IVariationalAutoencoder
{
    /// <summary>Features of one example.</summary>
    int InputSize { get; }

    /// <summary>Dimension of the latent variable z.</summary>
    int LatentSize { get; }

    /// <summary>The observation model p(x|z).</summary>
    Likelihood Likelihood { get; }

    /// <summary>The Gaussian posterior q(z|x): its means and log-variances.</summary>
    (Tensor Mu, Tensor LogVar) Encode(Tensor x);

    /// <summary>The mean of p(x|z): Bernoulli probabilities, or Gaussian means.</summary>
    Tensor DecodeMean(Tensor z);

    /// <summary>Decoded draws from the prior, without gradient tracking, in evaluation mode.</summary>
    Tensor Sample(long count, Generator? generator = null);

    /// <summary>The decoded posterior mean of each input, without gradient tracking, in evaluation mode.</summary>
    Tensor Reconstruct(Tensor x);

    /// <summary>The importance-weighted estimate of log p(x) per example, in nats; the samples come from <paramref name="generator"/> (null: TorchSharp's global one).</summary>
    Tensor LogLikelihood(Tensor x, int importanceSamples, Generator? generator = null);

    /// <summary>The -ELBO and its terms over a data set, per-example means in nats; the draws of z come from <paramref name="generator"/> (null: TorchSharp's global one).</summary>
    ElboSummary Evaluate(Tensor data, int batchSize = 500, Generator? generator = null);

    /// <summary>Per latent dimension over <paramref name="data"/>: mean KL in nats and activity, with the count of active units.</summary>
    LatentUsage LatentUsage(Tensor data, int batchSize = 500, double threshold = 0.01);

    /// <summary>Trains the model on <paramref name="data"/>.</summary>
    TrainingHistory Fit(Tensor data, TrainingOptions? options = null, CancellationToken cancellationToken = default);
}
