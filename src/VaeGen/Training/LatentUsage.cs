namespace VaeGen.Training;

/// <summary>
/// How much of the latent space a model uses on a data set, as <c>Evaluation.LatentUsage</c> measures it.
/// A dimension whose posterior mean does not move with the input carries no information, whatever its KL.
/// </summary>
/// <param name="KlPerDimension">
/// For each latent dimension j, the mean over the examples of KL(q(z_j|x) || N(0, 1)) = 0.5 (mu_j^2 + exp(logVar_j) - 1 - logVar_j), in nats.
/// Null for a model whose KL does not split per dimension (a learned prior or a flow posterior).
/// </param>
/// <param name="Activity">
/// For each latent dimension u, the variance over the data set of its posterior mean, A_u = Cov_x(E_q[z_u])
/// (Burda et al. 2016, "Importance Weighted Autoencoders"); the population variance, divided by the example count.
/// </param>
/// <param name="ActiveUnits">How many dimensions have an activity above <paramref name="Threshold"/>.</param>
/// <param name="Threshold">The activity a dimension must exceed to count as active (Burda et al. use 0.01).</param>
/// <param name="Examples">How many examples the figures are over.</param>
public sealed record LatentUsage(double[]? KlPerDimension, double[] Activity, int ActiveUnits, double Threshold, long Examples);
