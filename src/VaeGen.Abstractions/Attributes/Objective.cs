namespace VaeGen;

/// <summary>What <c>Fit</c> minimizes. The loss the model reports is always the true negative ELBO.</summary>
public enum Objective
{
    /// <summary>The negative ELBO, with the KL term weighted by <c>Beta</c> and floored by <c>FreeBits</c> when they are set.</summary>
    Elbo = 0,

    /// <summary>
    /// The negative importance-weighted bound of Burda et al. (IWAE), -log (1/k) sum_i p(x, z_i) / q(z_i|x), with k the
    /// model's <c>Samples</c>. It equals the ELBO for k = 1 and is a tighter bound on log p(x) as k grows.
    /// </summary>
    ImportanceWeighted = 1,
}
