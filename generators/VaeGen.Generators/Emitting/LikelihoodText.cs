using VaeGen.Generators.Model;

using static VaeGen.Generators.Emitting.TypeNames;
using static VaeGen.Generators.Text;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// Everything the generated code says differently per likelihood: the decoder's output names, the log-density call
/// and its formula, the mean of p(x|z), and the run-time data check. One nested class per likelihood, chosen once per
/// model; a new likelihood is one class here, one entry in <see cref="LikelihoodFacts"/> and its maths in VaeGen.Maths.
/// </summary>
internal abstract class LikelihoodText
{
    private LikelihoodText(LikelihoodSpec spec)
    {
        Kind = spec.Kind;
        Location = spec.Location;
        Second = spec.Second;
        PerFeature = spec.OutputsPerFeature;
    }

    /// <summary>The component for the model's likelihood.</summary>
    public static LikelihoodText For(VaeSpec spec) => spec.Likelihood switch
    {
        LikelihoodSpec.FixedGaussian gaussian => new Gaussian(gaussian),
        LikelihoodSpec.FixedLaplace laplace => new Laplace(laplace),
        { Kind: LikelihoodKind.Bernoulli } bernoulli => new Bernoulli(bernoulli),
        { Kind: LikelihoodKind.GaussianLearnedVariance } gaussian => new GaussianLearnedVariance(gaussian),
        { Kind: LikelihoodKind.LaplaceLearnedScale } laplace => new LaplaceLearnedScale(laplace),
        { Kind: LikelihoodKind.ContinuousBernoulli } continuous => new ContinuousBernoulli(continuous),
        { Kind: LikelihoodKind.Categorical256 } categorical => new Categorical256(categorical),
        var poisson => new Poisson(poisson),
    };

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

    /// <summary>What the second parameter is, in the plural: "log-variances"; empty without one.</summary>
    public virtual string SecondDescription => string.Empty;

    /// <summary>The distribution in terms of both decoder outputs, e.g. "N(mean, diag(exp(logVar)))"; empty without a second.</summary>
    public virtual string LearnedForm => string.Empty;

    /// <summary>"a Bernoulli likelihood", for the class summary.</summary>
    public abstract string Description { get; }

    /// <summary>What Decode returns.</summary>
    public abstract string LocationDescription { get; }

    /// <summary>What DecodeMean, Sample and Reconstruct return.</summary>
    public abstract string MeanDescription { get; }

    /// <summary>Decoder outputs per feature: 2 with a learned second parameter, 256 for the categorical.</summary>
    public int PerFeature { get; }

    /// <summary>True when the location has a trailing level dimension: [..., features, 256].</summary>
    public virtual bool PerLevel => false;

    /// <summary>The location's shape for a given leading shape text, e.g. "[..., 784]" or "[..., 784, 256]".</summary>
    public string LocationShape(string leading, int features) =>
        PerLevel ? $"[{leading}, {features}, 256]" : $"[{leading}, {features}]";

    /// <summary>What the decoder outputs, in a few words for the class summary: "784 logits".</summary>
    public abstract string OutputSummary(int features);

    /// <summary>The expression for the mean of p(x|z) from the location local, or null when the location is the mean.</summary>
    public virtual string? MeanExpression => null;

    /// <summary>The call that gives log p(x|z) per example, summed over features, and its formula for the comment.</summary>
    public abstract (string Comment, string Call) LogDensity(string x, string location, string? second);

    /// <summary>A decoder output's name in the exported decoder graph: the Output property in snake case, e.g. "logits", "log_var".</summary>
    public static string OnnxName(string output)
    {
        var name = new System.Text.StringBuilder();
        foreach (var c in output)
        {
            if (char.IsUpper(c) && name.Length > 0) name.Append('_');
            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }

    /// <summary>
    /// The call on an ONNX graph that gives the mean of p(x|z) from the location local, or null when the location is the
    /// mean (the Gaussian's and the Laplace's).
    /// </summary>
    public virtual string? OnnxMean(string graph) => null;

    /// <summary>The call on an ONNX graph that gives log p(x|z) per example, as <see cref="LogDensity"/> does in TorchSharp.</summary>
    public abstract string OnnxLogDensity(string graph, string x, string location, string? second);

    /// <summary>The call (an expression, no semicolon) that checks a data set against what the likelihood can describe.</summary>
    public virtual string DataCheckCall(string tensor, string parameter, string model) =>
        $"{TensorChecks}.RequireFinite({tensor}, \"{parameter}\", \"{model}\")";

    /// <summary>What the data must hold, for the Fit documentation.</summary>
    public virtual string DataRule => "finite values";

    /// <summary>The same rule as <see cref="DataCheckCall"/>, as the value a streamed data set is checked against while it is read.</summary>
    public virtual string ValueRule => "global::VaeGen.Checks.ValueRule.Finite";

    private sealed class Bernoulli(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string? OnnxMean(string graph) => $"{graph}.Sigmoid(logits)";

        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.BernoulliLogDensity({x}, {location})";

        public override string Description => "a Bernoulli likelihood";

        public override string LocationDescription => "the logits of the Bernoulli likelihood p(x|z)";

        public override string MeanDescription => "the Bernoulli probabilities sigmoid(logits)";

        public override string OutputSummary(int features) => $"{features} logits";

        public override string? MeanExpression => "global::TorchSharp.torch.sigmoid(logits)";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = sum_j x_j * l_j - softplus(l_j), l = logits (stable with-logits form)",
            $"{Maths}.LogDensity.Bernoulli({x}, {location})");

        public override string DataCheckCall(string tensor, string parameter, string model) =>
            $"{TensorChecks}.RequireUnitInterval({tensor}, \"{parameter}\", \"{model}\")";

        public override string DataRule => "values in [0, 1]";

        public override string ValueRule => "global::VaeGen.Checks.ValueRule.UnitInterval(\"Bernoulli\")";
    }

    private sealed class Gaussian(LikelihoodSpec.FixedGaussian spec) : LikelihoodText(spec)
    {
        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.GaussianLogDensity({x}, {location}, ObservationVariance)";

        public override string Description => $"a Gaussian likelihood of fixed variance {DoubleLiteral(spec.Variance)}";

        public override string LocationDescription => "the mean of the Gaussian likelihood p(x|z)";

        public override string MeanDescription => "the decoder means";

        public override string OutputSummary(int features) => $"{features} means";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = -0.5 * sum_j ((x_j - mean_j)^2 / s^2 + log(2 pi s^2)), s^2 = ObservationVariance",
            $"{Maths}.LogDensity.Gaussian({x}, {location}, ObservationVariance)");
    }

    private sealed class GaussianLearnedVariance(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.GaussianWithLogVarLogDensity({x}, {location}, {second})";

        public override string Description => "a Gaussian likelihood with a learned per-feature variance";

        public override string LocationDescription => "the mean of the Gaussian likelihood p(x|z)";

        public override string MeanDescription => "the decoder means";

        public override string SecondDescription => "log-variances";

        public override string LearnedForm => "N(mean, diag(exp(logVar)))";

        public override string OutputSummary(int features) => $"{features} means and log-variances";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = -0.5 * sum_j ((x_j - mean_j)^2 * exp(-v_j) + v_j + log(2 pi)), v = decoder log-variance",
            $"{Maths}.LogDensity.GaussianWithLogVar({x}, {location}, {second})");
    }

    private sealed class Laplace(LikelihoodSpec.FixedLaplace spec) : LikelihoodText(spec)
    {
        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.LaplaceLogDensity({x}, {location}, ObservationScale)";

        public override string Description => $"a Laplace likelihood of fixed scale {DoubleLiteral(spec.Scale)}";

        public override string LocationDescription => "the location (mean and median) of the Laplace likelihood p(x|z)";

        public override string MeanDescription => "the decoder locations";

        public override string OutputSummary(int features) => $"{features} locations";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = -sum_j (|x_j - m_j| / b + log(2 b)), b = ObservationScale",
            $"{Maths}.LogDensity.Laplace({x}, {location}, ObservationScale)");
    }

    private sealed class LaplaceLearnedScale(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.LaplaceWithLogScaleLogDensity({x}, {location}, {second})";

        public override string Description => "a Laplace likelihood with a learned per-feature scale";

        public override string LocationDescription => "the location (mean and median) of the Laplace likelihood p(x|z)";

        public override string MeanDescription => "the decoder locations";

        public override string SecondDescription => "log-scales";

        public override string LearnedForm => "Laplace(location, exp(logScale))";

        public override string OutputSummary(int features) => $"{features} locations and log-scales";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = -sum_j (|x_j - m_j| * exp(-s_j) + s_j + log 2), s = decoder log-scale",
            $"{Maths}.LogDensity.LaplaceWithLogScale({x}, {location}, {second})");
    }

    private sealed class ContinuousBernoulli(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string? OnnxMean(string graph) => $"{graph}.ContinuousBernoulliMean(logits)";

        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.ContinuousBernoulliLogDensity({x}, {location})";

        public override string Description => "a Continuous Bernoulli likelihood";

        public override string LocationDescription => "the logits of the Continuous Bernoulli likelihood p(x|z)";

        public override string MeanDescription => "the Continuous Bernoulli means";

        public override string OutputSummary(int features) => $"{features} logits";

        public override string? MeanExpression => $"{Maths}.LogDensity.ContinuousBernoulliMean(logits)";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = sum_j x_j * l_j - softplus(l_j) + log C(l_j), C(l) = l / tanh(l / 2) the normalizing constant",
            $"{Maths}.LogDensity.ContinuousBernoulli({x}, {location})");

        public override string DataCheckCall(string tensor, string parameter, string model) =>
            $"{TensorChecks}.RequireUnitInterval({tensor}, \"{parameter}\", \"{model}\", \"Continuous Bernoulli\")";

        public override string DataRule => "values in [0, 1]";

        public override string ValueRule => "global::VaeGen.Checks.ValueRule.UnitInterval(\"Continuous Bernoulli\")";
    }

    private sealed class Categorical256(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string? OnnxMean(string graph) => $"{graph}.CategoricalMean(logits, 256)";

        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.CategoricalLogDensity({x}, {location}, 256)";

        public override string Description => "a categorical likelihood over 256 levels per feature";

        public override string LocationDescription => "the logits of the per-feature categorical likelihood p(x|z) over the 256 levels k / 255";

        public override string MeanDescription => "the expected level of each feature, in [0, 1]";

        public override bool PerLevel => true;

        public override string OutputSummary(int features) => $"{features} x 256 level logits";

        public override string? MeanExpression => $"{Maths}.LogDensity.CategoricalMean(logits)";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = sum_j log softmax(l_j)[k_j], k_j = round(255 * x_j) the level of feature j",
            $"{Maths}.LogDensity.Categorical({x}, {location})");

        public override string DataCheckCall(string tensor, string parameter, string model) =>
            $"{TensorChecks}.RequireLevels({tensor}, 256, \"{parameter}\", \"{model}\")";

        public override string DataRule => "8-bit levels k / 255";

        public override string ValueRule => "global::VaeGen.Checks.ValueRule.Levels(256)";
    }

    private sealed class Poisson(LikelihoodSpec spec) : LikelihoodText(spec)
    {
        public override string? OnnxMean(string graph) => $"{graph}.Exp(logRate)";

        public override string OnnxLogDensity(string graph, string x, string location, string? second) =>
            $"{graph}.PoissonLogDensity({x}, {location})";

        public override string Description => "a Poisson likelihood";

        public override string LocationDescription => "the log-rates of the Poisson likelihood p(x|z)";

        public override string MeanDescription => "the Poisson rates exp(logRate)";

        public override string OutputSummary(int features) => $"{features} log-rates";

        public override string? MeanExpression => "global::TorchSharp.torch.exp(logRate)";

        public override (string Comment, string Call) LogDensity(string x, string location, string? second) => (
            "log p(x|z) = sum_j x_j * r_j - exp(r_j) - log(x_j!), r = log-rate",
            $"{Maths}.LogDensity.Poisson({x}, {location})");

        public override string DataCheckCall(string tensor, string parameter, string model) =>
            $"{TensorChecks}.RequireCounts({tensor}, \"{parameter}\", \"{model}\")";

        public override string DataRule => "non-negative integer counts";

        public override string ValueRule => "global::VaeGen.Checks.ValueRule.Counts";
    }
}
