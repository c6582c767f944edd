using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace VaeGen.Tests;

/// <summary>
/// Independent reference computations in plain C# double arithmetic. Nothing here calls VaeGen: the tests compare the
/// generated models and the runtime maths against these.
/// </summary>
internal static class Hand
{
    /// <summary>log(2 pi), computed here rather than taken from VaeGen.Maths.LogDensity.</summary>
    public static readonly double LogTwoPi = Math.Log(2.0 * Math.PI);

    /// <summary>The values of a tensor, row-major, as doubles.</summary>
    public static double[] Values(Tensor tensor)
    {
        using var copy = tensor.detach().to_type(ScalarType.Float64).contiguous();
        return copy.data<double>().ToArray();
    }

    /// <summary>The single value of a scalar tensor, as a double.</summary>
    public static double Scalar(Tensor tensor)
    {
        Assert.Equal(0, tensor.dim());
        return Values(tensor)[0];
    }

    /// <summary>A float64 tensor of the given values and shape.</summary>
    public static Tensor Tensor(double[] values, params long[] shape) => torch.tensor(values, shape, dtype: ScalarType.Float64);

    /// <summary>Weights and biases of a fully connected layer from <paramref name="inputs"/> to <paramref name="outputs"/> units.</summary>
    public static long LinearParameters(long inputs, long outputs) => inputs * outputs + outputs;

    /// <summary>y = W x + b for one example, W stored [outputs, inputs] row-major as TorchSharp's Linear keeps it.</summary>
    public static double[] Affine(double[] input, double[] weight, double[] bias)
    {
        Assert.Equal(bias.Length * input.Length, weight.Length);
        var output = new double[bias.Length];
        for (var o = 0; o < bias.Length; o++)
        {
            var sum = bias[o];
            for (var i = 0; i < input.Length; i++) sum += weight[o * input.Length + i] * input[i];
            output[o] = sum;
        }
        return output;
    }

    /// <summary>Row <paramref name="row"/> of a row-major [rows, width] array.</summary>
    public static double[] Row(double[] values, int row, int width) => values.Skip(row * width).Take(width).ToArray();

    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    public static double ReLU(double x) => Math.Max(0.0, x);

    public static double LeakyReLU(double x) => x >= 0 ? x : 0.01 * x;

    public static double Tanh(double x) => Math.Tanh(x);

    public static double SiLU(double x) => x * Sigmoid(x);

    public static double Elu(double x) => x > 0 ? x : Math.Exp(x) - 1.0;

    public static double Softplus(double x) => Math.Log(1.0 + Math.Exp(x));

    /// <summary>Exact GELU: x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0)));

    /// <summary>
    /// erf by the series 2/sqrt(pi) exp(-x^2) sum_n 2^n x^(2n+1) / (1*3*...*(2n+1)): every term is positive, so it
    /// converges without cancellation; beyond |x| = 6, erf is +-1 to double precision.
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) > 6) return Math.Sign(x);
        var term = x;
        var sum = x;
        for (var n = 1; n < 500 && Math.Abs(term) > 1e-17 * Math.Abs(sum); n++)
        {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
    }

    /// <summary>sum_j x_j log sigmoid(l_j) + (1 - x_j) log(1 - sigmoid(l_j)), the Bernoulli log-likelihood of one example.</summary>
    public static double BernoulliLogLikelihood(double[] x, double[] logits)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var p = Sigmoid(logits[j]);
            sum += x[j] * Math.Log(p) + (1 - x[j]) * Math.Log(1 - p);
        }
        return sum;
    }

    /// <summary>sum_j log N(x_j; m_j, s^2) = sum_j -(x_j - m_j)^2 / (2 s^2) - 0.5 log(2 pi s^2).</summary>
    public static double GaussianLogLikelihood(double[] x, double[] mean, double variance)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var d = x[j] - mean[j];
            sum += -d * d / (2 * variance) - 0.5 * Math.Log(2 * Math.PI * variance);
        }
        return sum;
    }

    /// <summary>sum_j log N(x_j; m_j, exp(v_j)).</summary>
    public static double GaussianLogLikelihood(double[] x, double[] mean, double[] logVar)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            var variance = Math.Exp(logVar[j]);
            var d = x[j] - mean[j];
            sum += -d * d / (2 * variance) - 0.5 * Math.Log(2 * Math.PI * variance);
        }
        return sum;
    }

    /// <summary>log N(z; mu, diag(exp(logVar))) for one point.</summary>
    public static double DiagonalGaussianLogDensity(double[] z, double[] mu, double[] logVar) => GaussianLogLikelihood(z, mu, logVar);

    /// <summary>log N(z; 0, I) for one point.</summary>
    public static double StandardNormalLogDensity(double[] z) => GaussianLogLikelihood(z, new double[z.Length], 1.0);

    /// <summary>KL(N(mu, diag(exp(logVar))) || N(0, I)) = 0.5 sum_j (mu_j^2 + exp(logVar_j) - 1 - logVar_j).</summary>
    public static double KlFromStandardNormal(double[] mu, double[] logVar)
    {
        var sum = 0.0;
        for (var j = 0; j < mu.Length; j++) sum += mu[j] * mu[j] + Math.Exp(logVar[j]) - 1 - logVar[j];
        return 0.5 * sum;
    }

    /// <summary>
    /// A fixed binary data set: <paramref name="count"/> examples, each one of <paramref name="prototypes"/> random
    /// 12-bit patterns with every bit flipped with probability <paramref name="flip"/>. Seeded System.Random, so the same
    /// every run.
    /// </summary>
    public static Tensor BinaryPatterns(int count = 64, int features = 12, int prototypes = 4, double flip = 0.05, int seed = 12345)
    {
        var random = new Random(seed);
        var patterns = new double[prototypes][];
        for (var p = 0; p < prototypes; p++)
            patterns[p] = Enumerable.Range(0, features).Select(_ => random.NextDouble() < 0.5 ? 1.0 : 0.0).ToArray();
        var values = new float[count * features];
        for (var n = 0; n < count; n++)
        {
            var pattern = patterns[n % prototypes];
            for (var j = 0; j < features; j++)
            {
                var bit = pattern[j];
                if (random.NextDouble() < flip) bit = 1 - bit;
                values[n * features + j] = (float)bit;
            }
        }
        return torch.tensor(values, new long[] { count, features });
    }

    /// <summary>Mean and standard error of the mean of a sample.</summary>
    public static (double Mean, double StandardError) MeanAndStandardError(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }

    /// <summary>Asserts |expected - actual| &lt;= absolute + relative * |expected|.</summary>
    public static void Close(double expected, double actual, double absolute = 1e-5, double relative = 1e-5, string what = "value")
    {
        var tolerance = absolute + relative * Math.Abs(expected);
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E3}, tolerance {tolerance:E3}).");
    }

    /// <summary>Asserts two equal-length sequences agree element by element.</summary>
    public static void Close(double[] expected, double[] actual, double absolute = 1e-5, double relative = 1e-5, string what = "values")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Close(expected[i], actual[i], absolute, relative, $"{what}[{i}]");
    }
}
