using System;
using System.ComponentModel;
using System.Globalization;

namespace VaeGen.Training;

/// <summary>
/// How a model weighs the KL term of its training objective: reconstruction + Beta * sum_j max(FreeBits, KL_j), where
/// KL_j is the KL of latent dimension j averaged over the batch (free bits, Kingma et al. 2016, "Improved Variational
/// Inference with Inverse Autoregressive Flow"). The model declares it; <see cref="TrainingOptions.Beta"/> may override
/// the beta, and <see cref="TrainingOptions.KlWarmupEpochs"/> ramps it. Only the objective that is optimized changes: the
/// reported -ELBO always weighs the KL by 1 with no floor.
/// </summary>
/// <param name="Beta">The weight on the KL term (beta-VAE); 1 is the ELBO.</param>
/// <param name="FreeBits">
/// The floor lambda, in nats per latent dimension, applied to each dimension's batch-mean KL (not to each example's):
/// a dimension whose batch-mean KL is below it contributes lambda and gets no gradient from the KL term. 0 disables it.
/// </param>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct KlObjective(double Beta, double FreeBits)
{
    /// <summary>The plain ELBO: beta 1, no free bits.</summary>
    public static KlObjective Elbo => new(1.0, 0.0);

    /// <summary>
    /// The importance-weighted bound (IWAE): the model gives the bound itself (<see cref="TrainingSession.BoundObjective"/>),
    /// which has no separate KL term, so no beta, warm-up or free bits apply.
    /// </summary>
    public static KlObjective ImportanceWeightedBound => new(1.0, 0.0) { ImportanceWeighted = true };

    /// <summary>True when training minimizes the negative importance-weighted bound rather than a weighted ELBO.</summary>
    public bool ImportanceWeighted { get; init; }

    /// <summary>Throws with a message naming the value when the objective cannot work.</summary>
    /// <exception cref="ArgumentException">Beta or FreeBits is negative, infinite or NaN.</exception>
    public void Validate()
    {
        static void Require(bool ok, string name, double value)
        {
            if (!ok)
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"KlObjective.{name} is {value}; it must be non-negative and finite."), name);
        }

        Require(Beta >= 0 && double.IsFinite(Beta), nameof(Beta), Beta);
        Require(FreeBits >= 0 && double.IsFinite(FreeBits), nameof(FreeBits), FreeBits);
        if (ImportanceWeighted && (Beta != 1.0 || FreeBits != 0.0))
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The importance-weighted bound has no KL term to weight or floor, but KlObjective has Beta {Beta} and FreeBits {FreeBits}."), nameof(ImportanceWeighted));
    }
}
