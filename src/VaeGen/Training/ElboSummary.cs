namespace VaeGen.Training;

/// <summary>The negative ELBO of a data set and its two terms: per-example means in nats.</summary>
/// <param name="Loss">-ELBO = Reconstruction + Kl.</param>
/// <param name="Reconstruction">-E_q[log p(x|z)].</param>
/// <param name="Kl">KL(q(z|x) || p(z)).</param>
/// <param name="Examples">How many examples the means are over.</param>
public sealed record ElboSummary(double Loss, double Reconstruction, double Kl, long Examples);
