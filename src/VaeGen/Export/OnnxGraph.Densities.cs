using System;
using System.Linq;
using VaeGen.Maths;

namespace VaeGen.Export;

// The log-densities of VaeGen.Maths.LogDensity as graph nodes, each summed over the last (feature) dimension to one
// value per example, in nats. Constants are added per feature before the sum rather than once after it: the same
// value up to float32 rounding, without the graph having to know the width.
public sealed partial class OnnxGraph
{
    private const double LogTwoPi = LogDensity.LogTwoPi;

    private const double LogTwo = LogDensity.LogTwo;

    /// <summary>z = mu + exp(0.5 logVar) eps, the reparameterized draw from N(mu, diag(exp(logVar))).</summary>
    public OnnxValue Reparameterize(OnnxValue mu, OnnxValue logVar, OnnxValue eps) =>
        Add(Mul(Unary("Exp", Mul(logVar, 0.5)), eps), mu);

    /// <summary>log N(z; mu, diag(exp(logVar))) at z = mu + exp(0.5 logVar) eps, from the noise: -0.5 sum_j (eps_j^2 + logVar_j + log 2 pi).</summary>
    public OnnxValue DiagonalGaussianAtSample(OnnxValue eps, OnnxValue logVar) =>
        Mul(SumLast(Add(Add(Square(eps), logVar), LogTwoPi)), -0.5);

    /// <summary>log N(z; 0, I) = -0.5 sum_j (z_j^2 + log 2 pi).</summary>
    public OnnxValue StandardNormalLogDensity(OnnxValue z) => Mul(SumLast(Add(Square(z), LogTwoPi)), -0.5);

    /// <summary>
    /// log p(z) = logsumexp_k (log w_k + log N(z; m_k, diag(exp(v_k)))), every point against every component; equal weights
    /// 1/K when <paramref name="logWeights"/> is null.
    /// </summary>
    /// <param name="z">Points, [batch, D].</param>
    /// <param name="means">Component means m_k, [K, D].</param>
    /// <param name="logVars">Component log-variances v_k, [K, D].</param>
    /// <param name="logWeights">Normalized log-weights, [K], or null for equal weights.</param>
    /// <param name="components">K, for the equal weights' log K.</param>
    public OnnxValue GaussianMixtureLogDensity(OnnxValue z, OnnxValue means, OnnxValue logVars, OnnxValue? logWeights, int components)
    {
        // [batch, 1, D] against [K, D]: [batch, K] log-densities.
        var perComponent = GaussianWithLogVarLogDensity(Unsqueeze(z, -2), means, logVars);
        return logWeights is { } weights
            ? LogSumExpLast(Add(perComponent, weights))
            : Sub(LogSumExpLast(perComponent), Scalar(Math.Log(components)));
    }

    /// <summary>
    /// The learned mixture prior of <see cref="MixturePrior"/> named <paramref name="prior"/> in the state_dict: its
    /// parameters <c>means</c>, <c>log_vars</c> and <c>logits</c>, with w = softmax(logits) in the graph.
    /// </summary>
    public OnnxValue MixturePriorLogDensity(OnnxValue z, string prior, int components)
    {
        var logWeights = Node("LogSoftmax", new[] { Parameter(prior + ".logits") }, Attribute("axis", 0L));
        return GaussianMixtureLogDensity(z, Parameter(prior + ".means"), Parameter(prior + ".log_vars"), logWeights, components);
    }

    /// <summary>
    /// A draw from a mixture of diagonal Gaussians by inverse transform: component k is the first whose cumulative
    /// weight exceeds <paramref name="u"/> (the last for u at or above the total, which rounding can leave below 1),
    /// then z = m_k + exp(v_k / 2) eps. With u ~ U[0, 1) and eps ~ N(0, I) it is a draw from the mixture.
    /// </summary>
    /// <param name="u">Uniform numbers in [0, 1), [batch].</param>
    /// <param name="eps">Standard normal noise, [batch, D].</param>
    /// <param name="means">Component means, [K, D].</param>
    /// <param name="logVars">Component log-variances, [K, D].</param>
    /// <param name="logWeights">Normalized log-weights, [K], or null for equal weights.</param>
    /// <param name="components">K.</param>
    public OnnxValue GaussianMixtureSample(OnnxValue u, OnnxValue eps, OnnxValue means, OnnxValue logVars, OnnxValue? logWeights, int components)
    {
        var weights = logWeights is { } log ? Unary("Exp", log) : Floats(Enumerable.Repeat(1f / components, components).ToArray());
        var cumulative = Node("CumSum", new[] { weights, Int64s(0) });
        // [K] against [batch, 1]: how many cumulative weights are at or below u, the index of the chosen component.
        var passed = Node("Cast", new[] { Node("LessOrEqual", new[] { cumulative, Unsqueeze(u, -1) }) }, Attribute("to", (long)Onnx.TensorProto.Types.DataType.Int64));
        var component = Node("Min", new[] { Node("ReduceSum", new[] { passed, Int64s(-1) }, Attribute("keepdims", 0L)), Int64s(components - 1) });
        var mean = Node("Gather", new[] { means, component }, Attribute("axis", 0L));
        var logVar = Node("Gather", new[] { logVars, component }, Attribute("axis", 0L));
        return Reparameterize(mean, logVar, eps);
    }

    /// <summary>A draw from the learned mixture prior named <paramref name="prior"/>, w = softmax(logits); see <see cref="GaussianMixtureSample"/>.</summary>
    public OnnxValue MixturePriorSample(OnnxValue u, OnnxValue eps, string prior, int components)
    {
        var logWeights = Node("LogSoftmax", new[] { Parameter(prior + ".logits") }, Attribute("axis", 0L));
        return GaussianMixtureSample(u, eps, Parameter(prior + ".means"), Parameter(prior + ".log_vars"), logWeights, components);
    }

    /// <summary>Bernoulli: log p(x|z) = sum_j x_j l_j - softplus(l_j), l the logits (softplus as ONNX computes it, stably).</summary>
    public OnnxValue BernoulliLogDensity(OnnxValue x, OnnxValue logits) => SumLast(Sub(Mul(x, logits), Unary("Softplus", logits)));

    /// <summary>Gaussian of fixed variance s^2: -0.5 sum_j ((x_j - m_j)^2 / s^2 + log(2 pi s^2)).</summary>
    public OnnxValue GaussianLogDensity(OnnxValue x, OnnxValue mean, double variance)
    {
        if (!(variance > 0) || double.IsInfinity(variance))
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "The observation variance must be positive and finite.");
        return Mul(SumLast(Add(Mul(Square(Sub(x, mean)), 1.0 / variance), LogTwoPi + Math.Log(variance))), -0.5);
    }

    /// <summary>Gaussian with a per-feature log-variance v: -0.5 sum_j ((x_j - m_j)^2 exp(-v_j) + v_j + log 2 pi).</summary>
    public OnnxValue GaussianWithLogVarLogDensity(OnnxValue x, OnnxValue mean, OnnxValue logVar)
    {
        var scaled = Mul(Square(Sub(x, mean)), Unary("Exp", Unary("Neg", logVar)));
        return Mul(SumLast(Add(Add(scaled, logVar), LogTwoPi)), -0.5);
    }

    /// <summary>Laplace of fixed scale b: -sum_j (|x_j - m_j| / b + log 2 + log b).</summary>
    public OnnxValue LaplaceLogDensity(OnnxValue x, OnnxValue location, double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The Laplace scale must be positive and finite.");
        return Mul(SumLast(Add(Mul(Unary("Abs", Sub(x, location)), 1.0 / scale), LogTwo + Math.Log(scale))), -1.0);
    }

    /// <summary>Laplace with a per-feature log-scale s: -sum_j (|x_j - m_j| exp(-s_j) + s_j + log 2).</summary>
    public OnnxValue LaplaceWithLogScaleLogDensity(OnnxValue x, OnnxValue location, OnnxValue logScale)
    {
        var scaled = Mul(Unary("Abs", Sub(x, location)), Unary("Exp", Unary("Neg", logScale)));
        return Mul(SumLast(Add(Add(scaled, logScale), LogTwo)), -1.0);
    }

    /// <summary>
    /// Continuous Bernoulli: sum_j x_j l_j - softplus(l_j) + log C(l_j), C(l) = l / tanh(l / 2), with log C taken from its
    /// Taylor series for |l| below 0.25 as <see cref="LogDensity.ContinuousBernoulliLogNormalizer"/> does.
    /// </summary>
    public OnnxValue ContinuousBernoulliLogDensity(OnnxValue x, OnnxValue logits)
    {
        var (nearZero, small, large) = SeriesSplit(logits);
        var series = Polynomial(Square(small), LogDensity.LogNormalizerCoefficients);
        var closedForm = Unary("Log", Div(large, Unary("Tanh", Mul(large, 0.5))));
        var logNormalizer = Node("Where", new[] { nearZero, series, closedForm });
        return Add(BernoulliLogDensity(x, logits), SumLast(logNormalizer));
    }

    /// <summary>
    /// The Continuous Bernoulli mean 1/2 + 1 / (2 tanh(l / 2)) - 1 / l, from its series 1/2 + l/12 - l^3/720 + ... for
    /// |l| below 0.25, as <see cref="LogDensity.ContinuousBernoulliMean"/> computes it.
    /// </summary>
    public OnnxValue ContinuousBernoulliMean(OnnxValue logits)
    {
        var (nearZero, small, large) = SeriesSplit(logits);
        var series = Add(Mul(Polynomial(Square(small), LogDensity.MeanCoefficients), small), 0.5);
        var closedForm = Sub(Mul(Add(Unary("Reciprocal", Unary("Tanh", Mul(large, 0.5))), 1.0), 0.5), Unary("Reciprocal", large));
        return Node("Where", new[] { nearZero, series, closedForm });
    }

    /// <summary>
    /// Categorical over L levels per feature: sum_j log softmax(l_j)[k_j], k_j = round((L - 1) x_j), rounding half to even
    /// as torch.round does. A level outside [0, L) makes ONNX Runtime fail the gather.
    /// </summary>
    /// <param name="x">Observations k / (L - 1), [batch, features].</param>
    /// <param name="logits">Logits, [batch, features, L].</param>
    /// <param name="levels">L.</param>
    public OnnxValue CategoricalLogDensity(OnnxValue x, OnnxValue logits, int levels)
    {
        var level = Node("Cast", new[] { Unary("Round", Mul(x, levels - 1)) }, Attribute("to", (long)Onnx.TensorProto.Types.DataType.Int64));
        var logProbabilities = Node("LogSoftmax", new[] { logits }, Attribute("axis", -1L));
        var picked = Node("GatherElements", new[] { logProbabilities, Unsqueeze(level, -1) }, Attribute("axis", -1L));
        return SumLast(SumLast(picked));
    }

    /// <summary>The Categorical mean in the data's scale: sum_k softmax(l_j)_k k / (L - 1), [batch, features, L] to [batch, features].</summary>
    public OnnxValue CategoricalMean(OnnxValue logits, int levels)
    {
        var values = new float[levels];
        for (var k = 0; k < levels; k++) values[k] = (float)k / (levels - 1);
        return Node("MatMul", new[] { Node("Softmax", new[] { logits }, Attribute("axis", -1L)), Floats(values) });
    }

    /// <summary>
    /// Poisson: sum_j x_j r_j - exp(r_j) - log(x_j!), r the log-rate. ONNX has no lgamma: log(x!) = lgamma(x + 1) is
    /// written as Stirling's series at x + 9 less the logs of x + 1, ..., x + 8, accurate to float32 rounding for every
    /// count x &gt;= 0 (the truncation error is below 1e-10).
    /// </summary>
    public OnnxValue PoissonLogDensity(OnnxValue x, OnnxValue logRate)
    {
        var terms = Sub(Mul(x, logRate), Unary("Exp", logRate));
        return Sub(SumLast(terms), SumLast(LogGamma(Add(x, 1.0))));
    }

    /// <summary>-(log p(x|z) + log p(z) - log q(z|x)): the one-sample negative ELBO per example.</summary>
    public OnnxValue NegativeElbo(OnnxValue logLikelihood, OnnxValue logPrior, OnnxValue logPosterior) =>
        Unary("Neg", Sub(Add(logLikelihood, logPrior), logPosterior));

    /// <summary>log q(z|x) after a flow: the base density less the flow's log-determinant.</summary>
    public OnnxValue SubtractLogDeterminant(OnnxValue logBase, OnnxValue logDet) => Sub(logBase, logDet);

    /// <summary>
    /// lgamma(y) for y &gt;= 1 by recurrence and Stirling: lgamma(y) = lgamma(y + 8) - sum_{i&lt;8} log(y + i), and at
    /// w = y + 8 &gt;= 9, lgamma(w) = (w - 1/2) log w - w + log(2 pi) / 2 + 1/(12 w) - 1/(360 w^3) + 1/(1260 w^5).
    /// </summary>
    private OnnxValue LogGamma(OnnxValue y)
    {
        var logs = Unary("Log", y);
        for (var i = 1; i < 8; i++) logs = Add(logs, Unary("Log", Add(y, i)));
        var w = Add(y, 8.0);
        var inverse = Unary("Reciprocal", w);
        var inverseSquared = Square(inverse);
        // 1/(12 w) - 1/(360 w^3) + 1/(1260 w^5) = (1/w) (1/12 + (1/w^2) (-1/360 + (1/w^2) / 1260)).
        var correction = Mul(Polynomial(inverseSquared, new[] { 1.0 / 12, -1.0 / 360, 1.0 / 1260 }), inverse);
        var stirling = Add(Sub(Mul(Add(w, -0.5), Unary("Log", w)), w), 0.5 * LogTwoPi);
        return Sub(Add(stirling, correction), logs);
    }

    /// <summary>
    /// For the Continuous Bernoulli's two branches: where |l| is below the series bound, l with zeros elsewhere (for the
    /// series), and l with ones where it is near zero (for the closed form, which is 0/0 at 0).
    /// </summary>
    private (OnnxValue NearZero, OnnxValue Small, OnnxValue Large) SeriesSplit(OnnxValue logits)
    {
        var nearZero = Node("Less", new[] { Unary("Abs", logits), Scalar(LogDensity.SeriesBound) });
        var small = Node("Where", new[] { nearZero, logits, Scalar(0) });
        var large = Node("Where", new[] { nearZero, Scalar(1), logits });
        return (nearZero, small, large);
    }
}
