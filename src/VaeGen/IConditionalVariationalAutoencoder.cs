using System.Threading;
using VaeGen.Training;
using static TorchSharp.torch;

namespace VaeGen;

/// <summary>
/// What every generated conditional VAE offers: the members of <see cref="IVariationalAutoencoder"/>, each taking the
/// condition c (class labels [batch] or features [batch, ConditionSize]) beside the data.
/// </summary>
public interface IConditionalVariationalAutoencoder
{
    /// <summary>Features of one example.</summary>
    int InputSize { get; }

    /// <summary>Dimension of the latent variable z.</summary>
    int LatentSize { get; }

    /// <summary>Classes of a label condition, or the width of a feature condition.</summary>
    int ConditionSize { get; }

    /// <summary>The observation model p(x|z, c).</summary>
    Likelihood Likelihood { get; }

    /// <summary>The Gaussian posterior q(z|x, c): its means and log-variances.</summary>
    (Tensor Mu, Tensor LogVar) Encode(Tensor x, Tensor condition);

    /// <summary>The mean of p(x|z, c).</summary>
    Tensor DecodeMean(Tensor z, Tensor condition);

    /// <summary>One decoded draw from the prior per row of <paramref name="condition"/>, without gradient tracking, in evaluation mode.</summary>
    Tensor Sample(Tensor condition, Generator? generator = null);

    /// <summary>The decoded posterior mean of each input, without gradient tracking, in evaluation mode.</summary>
    Tensor Reconstruct(Tensor x, Tensor condition);

    /// <summary>The importance-weighted estimate of log p(x|c) per example, in nats; the samples come from <paramref name="generator"/> (null: TorchSharp's global one).</summary>
    Tensor LogLikelihood(Tensor x, Tensor condition, int importanceSamples, Generator? generator = null);

    /// <summary>The -ELBO and its terms over a data set, per-example means in nats; the draws of z come from <paramref name="generator"/> (null: TorchSharp's global one).</summary>
    ElboSummary Evaluate(Tensor data, Tensor conditions, int batchSize = 500, Generator? generator = null);

    /// <summary>Per latent dimension over <paramref name="data"/> with its conditions: mean KL in nats and activity, with the count of active units.</summary>
    LatentUsage LatentUsage(Tensor data, Tensor conditions, int batchSize = 500, double threshold = 0.01);

    /// <summary>Trains the model on <paramref name="data"/> with its <paramref name="conditions"/>.</summary>
    TrainingHistory Fit(Tensor data, Tensor conditions, TrainingOptions? options = null, CancellationToken cancellationToken = default);
}
