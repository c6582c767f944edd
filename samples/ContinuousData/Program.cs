using System;
using System.Globalization;
using ContinuousData;
using TorchSharp;
using VaeGen;
using VaeGen.Maths;
using VaeGen.Training;
using static TorchSharp.torch;

// Continuous data from a known linear-Gaussian model, x = W z + b + noise with z ~ N(0, I3) and noise ~ N(0, 0.1^2 I12).
// Its marginal is N(b, W W^T + 0.01 I), so the true log-likelihood of the test set is known exactly: the VAEs'
// importance-weighted estimates are lower bounds that should come close to it from below.
const int seed = 3;
const double noise = 0.1;
var generator = new Generator(seed);
var weights = randn(12, 3, generator: generator, dtype: ScalarType.Float64);
var offset = randn(12, generator: generator, dtype: ScalarType.Float64);

Tensor Draw(long count)
{
    using var scope = NewDisposeScope();
    var z = randn(count, 3, generator: generator, dtype: ScalarType.Float64);
    var x = z.matmul(weights.T).add(offset).add(randn(count, 12, generator: generator, dtype: ScalarType.Float64).mul(noise));
    return x.MoveToOuterDisposeScope();
}

using var train = Draw(20_000);
using var test = Draw(2_000);

// log N(x; b, W W^T + s^2 I) per example, in double precision: the exact answer.
double TrueLogLikelihood(Tensor x)
{
    using var scope = NewDisposeScope();
    var covariance = weights.matmul(weights.T).add(eye(12, dtype: ScalarType.Float64).mul(noise * noise));
    var centered = x - offset;
    var solved = linalg.solve(covariance, centered.T).T;
    var mahalanobis = centered.mul(solved).sum(1);
    var logDet = linalg.slogdet(covariance).Item2;
    return mahalanobis.add(logDet).add(12 * LogDensity.LogTwoPi).mul(-0.5).mean().item<double>();
}

Console.WriteLine($"Continuous data: 20,000 training and 2,000 test vectors of 12 features from a 3-factor linear-Gaussian model (seed {seed}), noise s.d. {noise}.");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"true test log-likelihood: {TrueLogLikelihood(test):F3} nats per example"));

var trainFloat = train.to_type(ScalarType.Float32);
var testFloat = test.to_type(ScalarType.Float32);
foreach (var (name, create) in new (string, Func<IVariationalAutoencoder>)[] { ("LearnedNoiseVae", () => new LearnedNoiseVae()), ("FixedNoiseVae", () => new FixedNoiseVae()) })
{
    manual_seed(seed);
    var model = create();
    var history = model.Fit(trainFloat, new TrainingOptions { Epochs = 40, BatchSize = 128, LearningRate = 2e-3, Seed = seed, ValidationData = testFloat, EvaluateEvery = 10 });
    ((nn.Module)model).eval();
    var elbo = model.Evaluate(testFloat);
    manual_seed(seed);
    var logLikelihood = Evaluation.Mean(testFloat, 500, x => model.LogLikelihood(x, 500));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-16} after {history.Epochs.Count} epochs: test ELBO {-elbo.Loss:F3}, importance-weighted log-likelihood (k = 500) {logLikelihood:F3} nats per example"));
    ((IDisposable)model).Dispose();
}
