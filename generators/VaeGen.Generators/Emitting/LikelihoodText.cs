using System.Globalization;
using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// Everything the generated code says differently per likelihood: the decoder's output names, the log-density call
/// and its formula, the mean of p(x|z), and the run-time data check. Chosen once per model.
/// </summary>
internal sealed class LikelihoodText
{
    private LikelihoodText(LikelihoodSpec spec, string description, string locationDescription, string meanDescription)
    {
        Kind = spec.Kind;
        Location = spec.Location;
        Second = spec.Second;
        Description = description;
        LocationDescription = locationDescription;
        MeanDescription = meanDescription;
    }

    public LikelihoodKind Kind { get; }

    /// <summary>The decoder's location parameter: the Output property, e.g. Logits or Mean.</summary>
    public string Location { get; }

    /// <summary>The location parameter as a local variable, e.g. logits.</summary>
    public string LocationLocal => char.ToLowerInvariant(Location[0]) + Location.Substring(1);

    /// <summary>The field of the decoder's location head in a dense decoder, e.g. decoderLogits.</summary>
    public string LocationField => "decoder" + Location;

    /// <summary>The learned second parameter's name in the tuple DecodeWith... returns (LogVar, LogScale), or null.</summary>
    public string? Second { get; }

    /// <summary>The Output property of the second parameter, e.g. ObservationLogVar.</summary>
    public string? SecondOutput => Second is null ? null : "Observation" + Second;

    /// <summary>The second parameter as a local variable, e.g. observationLogVar.</summary>
    public string? SecondLocal => Second is null ? null : "observation" + Second;

    /// <summary>The field of the second head in a dense decoder, e.g. decoderLogVar.</summary>
    public string? SecondField => Second is null ? null : "decoder" + Second;

    /// <summary>The method that decodes both parameters, e.g. DecodeWithLogVar.</summary>
    public string? DecodeBoth => Second is null ? null : "DecodeWith" + Second;

    /// <summary>"a Bernoulli likelihood", for the class summary.</summary>
    public string Description { get; }

    /// <summary>What Decode returns.</summary>
    public string LocationDescription { get; }

    /// <summary>What DecodeMean, Sample and Reconstruct return.</summary>
    public string MeanDescription { get; }

    /// <summary>Decoder outputs per feature: 2 with a learned second parameter, 256 for the categorical.</summary>
    public int PerFeature => Validation.LikelihoodContract.ParametersPerFeature(Kind);

    /// <summary>True when the location has a trailing level dimension: [..., features, 256].</summary>
    public bool PerLevel => Kind == LikelihoodKind.Categorical256;

    /// <summary>The location's shape for a given leading shape text, e.g. "[..., 784]" or "[..., 784, 256]".</summary>
    public string LocationShape(string leading, int features) =>
        PerLevel ? $"[{leading}, {features}, 256]" : $"[{leading}, {features}]";

    /// <summary>What the decoder outputs, in a few words for the class summary: "784 logits".</summary>
    public string OutputSummary(int features) => Kind switch
    {
        LikelihoodKind.Bernoulli or LikelihoodKind.ContinuousBernoulli => $"{features} logits",
        LikelihoodKind.Categorical256 => $"{features} x 256 level logits",
        LikelihoodKind.Poisson => $"{features} log-rates",
        LikelihoodKind.GaussianLearnedVariance => $"{features} means and log-variances",
        LikelihoodKind.Laplace => $"{features} locations",
        LikelihoodKind.LaplaceLearnedScale => $"{features} locations and log-scales",
        _ => $"{features} means",
    };

    /// <summary>The expression for the mean of p(x|z) from the location local, or null when the location is the mean.</summary>
    public string? MeanExpression => Kind switch
    {
        LikelihoodKind.Bernoulli => "global::TorchSharp.torch.sigmoid(logits)",
        LikelihoodKind.ContinuousBernoulli => $"{Maths}.LogDensity.ContinuousBernoulliMean(logits)",
        LikelihoodKind.Categorical256 => $"{Maths}.LogDensity.CategoricalMean(logits)",
        LikelihoodKind.Poisson => "global::TorchSharp.torch.exp(logRate)",
        _ => null,
    };

    /// <summary>The call that gives log p(x|z) per example, summed over features, and its formula for the comment.</summary>
    public (string Comment, string Call) LogDensity(string x, string location, string? second) => Kind switch
    {
        LikelihoodKind.Bernoulli => (
            "log p(x|z) = sum_j x_j * l_j - softplus(l_j), l = logits (stable with-logits form)",
            $"{Maths}.LogDensity.Bernoulli({x}, {location})"),
        LikelihoodKind.Gaussian => (
            "log p(x|z) = -0.5 * sum_j ((x_j - mean_j)^2 / s^2 + log(2 pi s^2)), s^2 = ObservationVariance",
            $"{Maths}.LogDensity.Gaussian({x}, {location}, ObservationVariance)"),
        LikelihoodKind.GaussianLearnedVariance => (
            "log p(x|z) = -0.5 * sum_j ((x_j - mean_j)^2 * exp(-v_j) + v_j + log(2 pi)), v = decoder log-variance",
            $"{Maths}.LogDensity.GaussianWithLogVar({x}, {location}, {second})"),
        LikelihoodKind.Laplace => (
            "log p(x|z) = -sum_j (|x_j - m_j| / b + log(2 b)), b = ObservationScale",
            $"{Maths}.LogDensity.Laplace({x}, {location}, ObservationScale)"),
        LikelihoodKind.LaplaceLearnedScale => (
            "log p(x|z) = -sum_j (|x_j - m_j| * exp(-s_j) + s_j + log 2), s = decoder log-scale",
            $"{Maths}.LogDensity.LaplaceWithLogScale({x}, {location}, {second})"),
        LikelihoodKind.ContinuousBernoulli => (
            "log p(x|z) = sum_j x_j * l_j - softplus(l_j) + log C(l_j), C(l) = l / tanh(l / 2) the normalizing constant",
            $"{Maths}.LogDensity.ContinuousBernoulli({x}, {location})"),
        LikelihoodKind.Categorical256 => (
            "log p(x|z) = sum_j log softmax(l_j)[k_j], k_j = round(255 * x_j) the level of feature j",
            $"{Maths}.LogDensity.Categorical({x}, {location})"),
        _ => (
            "log p(x|z) = sum_j x_j * r_j - exp(r_j) - log(x_j!), r = log-rate",
            $"{Maths}.LogDensity.Poisson({x}, {location})"),
    };

    /// <summary>The statement that checks a data set against what the likelihood can describe.</summary>
    public string DataCheck(string tensor, string parameter, string model) => Kind switch
    {
        LikelihoodKind.Bernoulli => $"{TensorChecks}.RequireUnitInterval({tensor}, \"{parameter}\", \"{model}\");",
        LikelihoodKind.ContinuousBernoulli => $"{TensorChecks}.RequireUnitInterval({tensor}, \"{parameter}\", \"{model}\", \"Continuous Bernoulli\");",
        LikelihoodKind.Categorical256 => $"{TensorChecks}.RequireLevels({tensor}, 256, \"{parameter}\", \"{model}\");",
        LikelihoodKind.Poisson => $"{TensorChecks}.RequireCounts({tensor}, \"{parameter}\", \"{model}\");",
        _ => $"{TensorChecks}.RequireFinite({tensor}, \"{parameter}\", \"{model}\");",
    };

    /// <summary>What the data must hold, for the Fit documentation.</summary>
    public string DataRule => Kind switch
    {
        LikelihoodKind.Bernoulli or LikelihoodKind.ContinuousBernoulli => "values in [0, 1]",
        LikelihoodKind.Categorical256 => "8-bit levels k / 255",
        LikelihoodKind.Poisson => "non-negative integer counts",
        _ => "finite values",
    };

    public static LikelihoodText For(VaeSpec spec) => spec.Likelihood.Kind switch
    {
        LikelihoodKind.Bernoulli => new(spec.Likelihood, "a Bernoulli likelihood",
            "the logits of the Bernoulli likelihood p(x|z)", "the Bernoulli probabilities sigmoid(logits)"),
        LikelihoodKind.Gaussian => new(spec.Likelihood, $"a Gaussian likelihood of fixed variance {DoubleLiteral(((LikelihoodSpec.FixedGaussian)spec.Likelihood).Variance)}",
            "the mean of the Gaussian likelihood p(x|z)", "the decoder means"),
        LikelihoodKind.GaussianLearnedVariance => new(spec.Likelihood, "a Gaussian likelihood with a learned per-feature variance",
            "the mean of the Gaussian likelihood p(x|z)", "the decoder means"),
        LikelihoodKind.Laplace => new(spec.Likelihood, $"a Laplace likelihood of fixed scale {DoubleLiteral(((LikelihoodSpec.FixedLaplace)spec.Likelihood).Scale)}",
            "the location (mean and median) of the Laplace likelihood p(x|z)", "the decoder locations"),
        LikelihoodKind.LaplaceLearnedScale => new(spec.Likelihood, "a Laplace likelihood with a learned per-feature scale",
            "the location (mean and median) of the Laplace likelihood p(x|z)", "the decoder locations"),
        LikelihoodKind.ContinuousBernoulli => new(spec.Likelihood, "a Continuous Bernoulli likelihood",
            "the logits of the Continuous Bernoulli likelihood p(x|z)", "the Continuous Bernoulli means"),
        LikelihoodKind.Categorical256 => new(spec.Likelihood, "a categorical likelihood over 256 levels per feature",
            "the logits of the per-feature categorical likelihood p(x|z) over the 256 levels k / 255",
            "the expected level of each feature, in [0, 1]"),
        _ => new(spec.Likelihood, "a Poisson likelihood",
            "the log-rates of the Poisson likelihood p(x|z)", "the Poisson rates exp(logRate)"),
    };
}
