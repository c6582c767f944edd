using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Log-densities summed over the last (feature) dimension, in nats. Each returns one value per example: the input
/// shape without its last dimension. Observations broadcast against the parameters, so one batch x can be scored
/// against parameters with a leading sample dimension.
/// </summary>
public static class LogDensity
{
    /// <summary>log(2 pi), the constant of every Gaussian log-density.</summary>
    public const double LogTwoPi = 1.8378770664093454835606594728112;

    /// <summary>
    /// Bernoulli: log p(x) = sum_j x_j * l_j - softplus(l_j) for logits l. Targets may lie anywhere in [0, 1].
    /// </summary>
    /// <remarks>
    /// When the logits need a gradient, libtorch's binary-cross-entropy-with-logits computes it, whose backward is
    /// its own formula, sigmoid(l) - x. Without one (evaluation, importance sampling with k decoder outputs per
    /// example), float32 CPU tensors are scored row by row in C# (<see cref="BernoulliRows"/>: one pass over each row, float32
    /// polynomials for exp and log, no tensor beyond the result, large tensors on two threads); other dtypes and
    /// devices take two libtorch passes over the logits instead of the kernel's five: softplus(l) as logaddexp(l, 0) =
    /// max(l, 0) + log1p(exp(-|l|)), stable at both ends, then x * l subtracted in place. The three agree to float
    /// rounding (tested).
    /// </remarks>
    /// <param name="x">Targets in [0, 1], shape [..., features].</param>
    /// <param name="logits">Logits, shape [..., features]; may have extra leading dimensions.</param>
    public static Tensor Bernoulli(Tensor x, Tensor logits)
    {
        if (is_grad_enabled() && (logits.requires_grad || x.requires_grad))
        {
            using var scope = NewDisposeScope();
            var target = SameShape(x, logits) ? x : x.expand_as(logits);
            var negativeLogDensity = nn.functional.binary_cross_entropy_with_logits(logits, target, reduction: nn.Reduction.None);
            return negativeLogDensity.sum(-1).neg_().MoveToOuterDisposeScope();
        }
        return BernoulliRows.Covers(x, logits) ? BernoulliRows.LogDensity(x, logits) : BernoulliWithoutGradient(x, logits);
    }

    /// <summary>The Bernoulli log-density by libtorch's element-wise passes, for tensors <see cref="BernoulliRows"/> does not cover.</summary>
    internal static Tensor BernoulliWithoutGradient(Tensor x, Tensor logits)
    {
        using var scope = NewDisposeScope();
        // softplus(l) - x * l = -log p(x | l), per feature, with softplus(l) = log(exp(l) + exp(0)). TorchSharp's
        // softplus makes temporary Scalars for beta and threshold that can be finalized during the call.
        using var zero = zeros(Array.Empty<long>(), dtype: logits.dtype, device: logits.device);
        var negativeLogDensity = logits.logaddexp(zero).addcmul_(x, logits, value: MinusOne);
        return negativeLogDensity.sum(-1).neg_().MoveToOuterDisposeScope();
    }

    private static readonly Scalar MinusOne = (-1.0).ToScalar();

    /// <summary>
    /// Gaussian with a fixed variance s^2 for every feature:
    /// log p(x) = -0.5 * sum_j ((x_j - m_j)^2 / s^2 + log(2 pi s^2)).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="mean">Means, shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="variance">The fixed observation variance s^2; must be positive and finite.</param>
    public static Tensor Gaussian(Tensor x, Tensor mean, double variance)
    {
        if (!(variance > 0) || double.IsInfinity(variance))
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "The observation variance must be positive and finite.");
        using var scope = NewDisposeScope();
        var features = mean.shape[^1];
        using var scale = (-0.5 / variance).ToScalar();
        using var constant = (0.5 * features * (LogTwoPi + Math.Log(variance))).ToScalar();
        var squaredError = (x - mean).pow(CachedScalars.Two).sum(-1);
        return squaredError.mul_(scale).sub_(constant).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gaussian with a per-feature log-variance v:
    /// log p(x) = -0.5 * sum_j ((x_j - m_j)^2 * exp(-v_j) + v_j + log(2 pi)).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="mean">Means, shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="logVar">Log-variances, the shape of <paramref name="mean"/>.</param>
    public static Tensor GaussianWithLogVar(Tensor x, Tensor mean, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        using var constant = (mean.shape[^1] * LogTwoPi).ToScalar();
        // Not in place: the product's backward needs both factors as they were.
        var scaledError = (x - mean).pow(CachedScalars.Two).mul(logVar.neg().exp_()).Plus_(logVar);
        return scaledError.sum(-1).Plus_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>log 2, the constant of every Laplace log-density and the Continuous Bernoulli normalizer at logit 0.</summary>
    public const double LogTwo = 0.69314718055994530941723212145818;

    /// <summary>
    /// Below this |logit| the Continuous Bernoulli normalizer and mean are taken from their Taylor series. The closed
    /// forms cancel near 0 with an absolute error of about eps / |l| (eps the dtype's rounding unit): log(l / tanh(l / 2))
    /// stays accurate in value, but its gradient, and the mean 1/2 + 1 / (2 tanh(l / 2)) - 1 / l, do not. In float32 the
    /// gradient of log C is off by up to 2e-6 near |l| = 0.05 and 5e-5 at |l| = 1e-3, and the mean's gradient is wholly wrong below
    /// |l| = 1e-2. From 0.25 up, measured float32 errors are at most 2e-7 in log C, 7e-7 in its gradient, 5e-7 in the mean
    /// and 3e-6 in the mean's gradient (float64: 2e-16, 5e-16, 4e-16, 3e-15). Below it the series, to the terms listed,
    /// are exact to double precision (the first omitted terms are under 4e-19) with 7 and 6 Horner steps; reaching
    /// |l| = 0.5 in double would take 11 and 9.
    /// </summary>
    internal const double SeriesBound = 0.25;

    private static readonly Scalar SeriesBoundScalar = SeriesBound.ToScalar();

    /// <summary>
    /// log C(l) = log 2 + sum_n c_n l^(2n) with c_n = (2^(2n) - 2) B_(2n) / (2n (2n)!), B the Bernoulli numbers: the
    /// coefficients of 1, l^2, ..., l^14.
    /// </summary>
    internal static readonly double[] LogNormalizerCoefficients =
    {
        LogTwo, 1.0 / 12, -7.0 / 1440, 31.0 / 90720, -127.0 / 4838400, 73.0 / 34214400, -1414477.0 / 7846046208000, 8191.0 / 523069747200,
    };

    private static readonly Scalar[] LogNormalizerSeries = Array.ConvertAll(LogNormalizerCoefficients, c => c.ToScalar());

    /// <summary>
    /// (E[x] - 1/2) / l = sum_n B_(2n) / (2n)! * l^(2n - 2): the coefficients of 1, l^2, ..., l^10, so the mean's series
    /// runs to l^11.
    /// </summary>
    internal static readonly double[] MeanCoefficients =
    {
        1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000,
    };

    private static readonly Scalar[] MeanSeries = Array.ConvertAll(MeanCoefficients, c => c.ToScalar());

    /// <summary>
    /// Laplace with a fixed scale b for every feature: log p(x) = -sum_j (|x_j - m_j| / b + log(2 b)).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="location">Locations (the means), shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="scale">The fixed scale b; must be positive and finite.</param>
    public static Tensor Laplace(Tensor x, Tensor location, double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The Laplace scale must be positive and finite.");
        using var scope = NewDisposeScope();
        using var inverse = (-1.0 / scale).ToScalar();
        // log 2 + log b rather than log(2 b): 2 b overflows for b above half the largest double.
        using var constant = (location.shape[^1] * (LogTwo + Math.Log(scale))).ToScalar();
        var absoluteError = (x - location).abs().sum(-1);
        return absoluteError.mul_(inverse).sub_(constant).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Laplace with a per-feature log-scale s: log p(x) = -sum_j (|x_j - m_j| * exp(-s_j) + s_j + log 2).
    /// </summary>
    /// <param name="x">Observations, shape [..., features].</param>
    /// <param name="location">Locations (the means), shape [..., features]; may have extra leading dimensions.</param>
    /// <param name="logScale">Log-scales, the shape of <paramref name="location"/>.</param>
    public static Tensor LaplaceWithLogScale(Tensor x, Tensor location, Tensor logScale)
    {
        using var scope = NewDisposeScope();
        using var constant = (location.shape[^1] * LogTwo).ToScalar();
        // Not in place: the product's backward needs both factors as they were.
        var scaledError = (x - location).abs().mul(logScale.neg().exp_()).Plus_(logScale);
        return scaledError.sum(-1).Plus_(constant).neg_().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Continuous Bernoulli (Loaiza-Ganem and Cunningham, 2019), a proper density on [0, 1]:
    /// log p(x) = sum_j x_j * l_j - softplus(l_j) + log C(l_j), the Bernoulli term plus the log normalizer
    /// <see cref="ContinuousBernoulliLogNormalizer"/>.
    /// </summary>
    /// <param name="x">Observations in [0, 1], shape [..., features].</param>
    /// <param name="logits">Logits, shape [..., features]; may have extra leading dimensions.</param>
    public static Tensor ContinuousBernoulli(Tensor x, Tensor logits)
    {
        using var scope = NewDisposeScope();
        // The stable binary-cross-entropy kernel for x l - softplus(l), on x and logits broadcast either way.
        var shape = BroadcastShape(x.shape, logits.shape);
        var crossEntropy = nn.functional.binary_cross_entropy_with_logits(logits.expand(shape), x.expand(shape), reduction: nn.Reduction.None);
        var logNormalizer = ContinuousBernoulliLogNormalizer(logits).sum(-1);
        return crossEntropy.sum(-1).neg_().Plus_(logNormalizer).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Continuous Bernoulli log normalizer, elementwise: log C(l) with C(l) = l / tanh(l / 2), which is
    /// 2 artanh(1 - 2 lambda) / (1 - 2 lambda) for lambda = sigmoid(l). C is even and C(0) = 2. Near 0 it is taken from
    /// its Taylor series log 2 + l^2/12 - 7 l^4/1440 + 31 l^6/90720 - ..., elsewhere as log(l / tanh(l / 2)), which
    /// cannot overflow: tanh saturates to +-1 and the ratio tends to |l|. Values and gradients are finite everywhere.
    /// </summary>
    /// <param name="logits">Logits, any shape.</param>
    /// <returns>log C(l), the shape of <paramref name="logits"/>.</returns>
    public static Tensor ContinuousBernoulliLogNormalizer(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var nearZero = logits.abs().lt(SeriesBoundScalar);
        // Each branch sees only inputs it handles: where() sends a zero gradient to the branch it does not pick, and
        // zero times the 0/0 of l / tanh(l / 2) at l = 0, or times an overflowing power of l, would still be NaN.
        var small = logits.masked_fill(nearZero.logical_not(), CachedScalars.Zero);
        var large = logits.masked_fill(nearZero, CachedScalars.One);
        var series = Polynomial(small.pow(CachedScalars.Two), LogNormalizerSeries);
        var closedForm = large.div(large.mul(CachedScalars.Half).tanh()).log();
        return torch.where(nearZero, series, closedForm).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Continuous Bernoulli mean, elementwise: E[x] = lambda / (2 lambda - 1) + 1 / (2 artanh(1 - 2 lambda)) for
    /// lambda = sigmoid(l), which in the logit is 1 / (1 - exp(-l)) - 1 / l = 1/2 + 1 / (2 tanh(l / 2)) - 1 / l. It rises
    /// from 0 (l to -infinity) through 1/2 (l = 0) to 1 (l to +infinity). Near 0 it is taken from its Taylor series
    /// 1/2 + l/12 - l^3/720 + l^5/30240 - ...; values and gradients are finite everywhere.
    /// </summary>
    /// <param name="logits">Logits, any shape.</param>
    /// <returns>The means, in [0, 1], the shape of <paramref name="logits"/>.</returns>
    public static Tensor ContinuousBernoulliMean(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var nearZero = logits.abs().lt(SeriesBoundScalar);
        // As in ContinuousBernoulliLogNormalizer: each branch is evaluated only where its gradient is finite.
        var small = logits.masked_fill(nearZero.logical_not(), CachedScalars.Zero);
        var large = logits.masked_fill(nearZero, CachedScalars.One);
        var series = Polynomial(small.pow(CachedScalars.Two), MeanSeries).mul(small).Plus_(CachedScalars.Half);
        // Not in place on the reciprocals: their backward needs their own results.
        var closedForm = large.mul(CachedScalars.Half).tanh().reciprocal().Plus(CachedScalars.One).mul_(CachedScalars.Half)
            .sub_(large.reciprocal());
        return torch.where(nearZero, series, closedForm).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Categorical over L quantized levels per feature: log p(x) = sum_j log softmax(l_j)[k_j] with
    /// k_j = round(x_j * (L - 1)). Level k stands for the value k / (L - 1), so 8-bit pixels divided by 255 have L = 256.
    /// </summary>
    /// <param name="x">
    /// Observations k / (L - 1) for integers k in [0, L - 1], shape [..., features]; other values fail the gather or
    /// are rounded to the nearest level (see <see cref="Checks.TensorChecks.RequireLevels"/>).
    /// </param>
    /// <param name="logits">Logits, shape [..., features, L]; may have extra leading dimensions.</param>
    /// <exception cref="ArgumentException">The logits have fewer than two levels in their last dimension.</exception>
    public static Tensor Categorical(Tensor x, Tensor logits)
    {
        var levels = Levels(logits);
        using var scope = NewDisposeScope();
        using var top = ((double)(levels - 1)).ToScalar();
        var rows = BroadcastShape(x.shape, logits.shape[..^1]);
        var index = x.mul(top).round_().to_type(ScalarType.Int64).expand(rows).unsqueeze(-1);
        var logProbabilities = logits.log_softmax(-1).expand(rows.Append(levels).ToArray());
        return logProbabilities.gather(-1, index).squeeze(-1).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The Categorical mean in the data's [0, 1] scale: E[x_j] = sum_k softmax(l_j)_k * k / (L - 1).
    /// </summary>
    /// <param name="logits">Logits, shape [..., features, L].</param>
    /// <returns>The means, shape [..., features].</returns>
    /// <exception cref="ArgumentException">The logits have fewer than two levels in their last dimension.</exception>
    public static Tensor CategoricalMean(Tensor logits)
    {
        var levels = Levels(logits);
        using var scope = NewDisposeScope();
        using var top = ((double)(levels - 1)).ToScalar();
        using var end = levels.ToScalar(); // kept alive by the using: a temporary Scalar can be freed during the call
        var values = arange(CachedScalars.Zero, end, CachedScalars.One, dtype: logits.dtype, device: logits.device).div_(top);
        return logits.softmax(-1).matmul(values).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Poisson with a per-feature log-rate r: log p(x) = sum_j x_j * r_j - exp(r_j) - log(x_j!), with
    /// log(x_j!) = lgamma(x_j + 1).
    /// </summary>
    /// <param name="x">Counts: non-negative integers, shape [..., features].</param>
    /// <param name="logRate">Log-rates, shape [..., features]; may have extra leading dimensions.</param>
    public static Tensor Poisson(Tensor x, Tensor logRate)
    {
        using var scope = NewDisposeScope();
        var logFactorials = x.Plus(CachedScalars.One).lgamma().sum(-1);
        var terms = x.mul(logRate).sub_(logRate.exp());
        return terms.sum(-1).sub_(logFactorials).MoveToOuterDisposeScope();
    }

    /// <summary>Standard normal: log N(z; 0, I) = -0.5 * sum_j (z_j^2 + log(2 pi)).</summary>
    /// <param name="z">Points, shape [..., latent].</param>
    public static Tensor StandardNormal(Tensor z)
    {
        using var scope = NewDisposeScope();
        using var constant = (z.shape[^1] * LogTwoPi).ToScalar();
        return z.pow(CachedScalars.Two).sum(-1).Plus_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The diagonal Gaussian N(mu, diag(exp(logVar))) at its own reparameterized sample z = mu + exp(0.5 * logVar) * eps:
    /// log q(z) = -0.5 * sum_j (eps_j^2 + logVar_j + log(2 pi)). Exact, not an approximation: (z - mu)^2 * exp(-logVar) is
    /// eps^2, and recovering eps from z would only add rounding. Its gradients with respect to logVar are those of
    /// <see cref="GaussianWithLogVar"/> at that z.
    /// </summary>
    /// <param name="eps">The standard normal noise that produced the sample, shape [..., latent].</param>
    /// <param name="logVar">Log-variances, broadcastable to <paramref name="eps"/>.</param>
    public static Tensor DiagonalGaussianAtSample(Tensor eps, Tensor logVar)
    {
        using var scope = NewDisposeScope();
        using var constant = (eps.shape[^1] * LogTwoPi).ToScalar();
        return eps.pow(CachedScalars.Two).Plus_(logVar).sum(-1).Plus_(constant).mul_(CachedScalars.MinusHalf).MoveToOuterDisposeScope();
    }

    /// <summary>c_0 + c_1 u + ... + c_n u^n by Horner's rule; n must be at least 1.</summary>
    private static Tensor Polynomial(Tensor u, Scalar[] coefficients)
    {
        // Each product is a new tensor: mul's backward needs the factors as they were, and add_ leaves them alone.
        var sum = u.mul(coefficients[^1]);
        for (var i = coefficients.Length - 2; i > 0; i--) sum = sum.Plus_(coefficients[i]).mul(u);
        return sum.Plus_(coefficients[0]);
    }

    /// <summary>The number of levels L in the last dimension of Categorical logits; at least 2.</summary>
    private static long Levels(Tensor logits)
    {
        var shape = logits.shape;
        if (shape.Length == 0 || shape[^1] < 2)
            throw new ArgumentException(
                $"Categorical logits need at least two levels in their last dimension, but their shape is {Checks.ShapeText.Of(shape)}.",
                nameof(logits));
        return shape[^1];
    }

    /// <summary>The shape two shapes broadcast to, aligned at their last dimensions as torch aligns them.</summary>
    private static long[] BroadcastShape(long[] a, long[] b)
    {
        var result = new long[Math.Max(a.Length, b.Length)];
        for (var i = 1; i <= result.Length; i++)
        {
            var da = i <= a.Length ? a[^i] : 1;
            var db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"Shapes {Checks.ShapeText.Of(a)} and {Checks.ShapeText.Of(b)} do not broadcast: {da} against {db} in dimension -{i}.");
            result[^i] = da == 1 ? db : da;
        }
        return result;
    }

    private static bool SameShape(Tensor a, Tensor b) => a.shape.AsSpan().SequenceEqual(b.shape);
}
