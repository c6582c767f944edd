using System.Globalization;
using System.Linq;
using CsCheck;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>Who has to object to an attribute argument.</summary>
internal enum Verdict
{
    /// <summary>A value the generator must accept.</summary>
    Ok,

    /// <summary>Compiles, but the generator must report it (a size below 1, an undefined enum value, ...).</summary>
    GeneratorRejects,

    /// <summary>The C# compiler already rejects it (wrong type, overflow, unknown name, ...).</summary>
    CompilerRejects,
}

/// <summary>
/// One attribute argument as written, and its verdict. <paramref name="Value"/> is the number it stands for when it
/// compiles (the enum's underlying value for Likelihood and Activation). <paramref name="IsInt"/> is false for
/// arguments that convert to int but are not int themselves ('a', (short)5): an implicitly typed array of only those
/// is a char[] or short[], not the int[] the attribute needs. <paramref name="Real"/> is the number a sound double
/// argument (Beta, FreeBits) stands for, NaN elsewhere, so that oracles decide on the value, not on its spelling.
/// </summary>
internal sealed record Arg(string Text, Verdict Verdict, int Value = 0, bool IsInt = true, double Real = double.NaN)
{
    public override string ToString() => Text;
}

/// <summary>CsCheck generators of attribute arguments: sound values, values the generator must refuse, and values the compiler refuses.</summary>
internal static class ArgGens
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    internal static Arg Ok(string text, int value, bool isInt = true) => new(text, Verdict.Ok, value, isInt);

    internal static Arg Bad(string text, int value, bool isInt = true) => new(text, Verdict.GeneratorRejects, value, isInt);

    internal static Arg Wrong(string text) => new(text, Verdict.CompilerRejects);

    /// <summary>A sound double argument and the value the compiler gives it.</summary>
    internal static Arg Real(string text, double value) => new(text, Verdict.Ok, Real: value);

    /// <summary>A size in [min, max], written as a decimal, hexadecimal, binary or digit-separated literal.</summary>
    public static Gen<Arg> PositiveInt(int min, int max) =>
        Gen.Select(Gen.Int[min, max], Gen.Int[0, 9], (value, style) => Ok(Literal(value, style), value));

    /// <summary>
    /// <paramref name="value"/> as C# source in one of several styles picked by <paramref name="style"/> (0..9); negative
    /// values always in decimal, since -0x1 and the like are fine but add nothing.
    /// </summary>
    public static string Literal(int value, int style) => value < 0 ? value.ToString(Invariant) : style switch
    {
        0 => "0x" + value.ToString("X", Invariant),
        1 when value < 4096 => "0b" + System.Convert.ToString(value, 2),
        2 when value >= 1000 => value.ToString("#,0", Invariant).Replace(",", "_", System.StringComparison.Ordinal),
        3 => "(" + value.ToString(Invariant) + ")",
        _ => value.ToString(Invariant),
    };

    /// <summary>An int argument with its verdict decided by the caller, who knows the slot's range.</summary>
    public static Arg Int(int value, int style, bool inRange) => new(Literal(value, style), inRange ? Verdict.Ok : Verdict.GeneratorRejects, value);

    /// <summary>An int argument the compiler rejects, for any int slot.</summary>
    public static Gen<Arg> WrongInt => Gen.OneOf(WrongInts);

    private static readonly Arg[] SpecialPositiveInts =
    [
        Ok("int.MaxValue", int.MaxValue),
        Ok("2147483647", int.MaxValue),
        Ok("1_000_000", 1_000_000),
        Ok("1000000", 1_000_000),
        Ok("'a'", 'a', isInt: false),
        Ok("(short)5", 5, isInt: false),
        Ok("sizeof(int)", 4),
        Ok("2 * 3", 6),
        Ok("(int)3.9", 3),
        Ok("+7", 7),
        Ok("1 << 30", 1 << 30),
        Ok("(int)Likelihood.GaussianLearnedVariance", 2),
        Ok("int.MaxValue - 1", int.MaxValue - 1),
    ];

    private static readonly Arg[] NonPositiveInts =
    [
        Bad("0", 0),
        Bad("-0", 0),
        Bad("-1", -1),
        Bad("-784", -784),
        Bad("int.MinValue", int.MinValue),
        Bad("-2147483648", int.MinValue),
        Bad("int.MinValue + 1", int.MinValue + 1),
        Bad("1 << 31", int.MinValue),
        Bad("unchecked((int)4294967295)", -1),
        Bad("~0", -1),
        Bad("-1_000_000", -1_000_000),
        Bad("0x0", 0),
        Bad("(short)-3", -3, isInt: false),
    ];

    private static readonly Arg[] WrongInts =
    [
        Wrong("\"wide\""),
        Wrong("2.5"),
        Wrong("4L"),
        Wrong("4u"),
        Wrong("4.0f"),
        Wrong("true"),
        Wrong("int.MaxValue + 1"),
        Wrong("4 / 0"),
        Wrong("undefinedSize"),
        Wrong("2147483648"),
        Wrong("Likelihood.Gaussian"),
        Wrong("default(string)"),
        Wrong("nameof(Likelihood)"),
        Wrong("1e3"),
        Wrong("4m"),
    ];

    /// <summary>Any int-typed argument: mostly sound, sometimes zero or negative, sometimes not an int at all.</summary>
    public static Gen<Arg> AnyInt(int typicalMax) => Weighted(
        (20, PositiveInt(1, typicalMax)),
        (2, Gen.OneOf(SpecialPositiveInts)),
        (2, Gen.OneOf(NonPositiveInts)),
        (1, Gen.Int[int.MinValue, 0].Select(v => Bad(v.ToString(Invariant), v))),
        (1, Gen.OneOf(WrongInts)));

    private static readonly string[] LikelihoodNames =
        ["Bernoulli", "Gaussian", "GaussianLearnedVariance", "Laplace", "LaplaceLearnedScale", "ContinuousBernoulli", "Categorical256", "Poisson"];

    private static readonly string[] ActivationNames = ["ReLU", "LeakyReLU", "Tanh", "GELU", "SiLU", "ELU", "Softplus", "Sigmoid", "Identity"];

    /// <summary>A defined Likelihood, spelled one of several ways.</summary>
    public static Gen<Arg> DefinedLikelihood => DefinedEnum("Likelihood", LikelihoodNames);

    /// <summary>A defined Activation, spelled one of several ways.</summary>
    public static Gen<Arg> DefinedActivation => DefinedEnum("Activation", ActivationNames);

    private static Gen<Arg> DefinedEnum(string type, string[] names) =>
        Gen.Select(Gen.Int[0, names.Length - 1], Gen.Int[0, 9], (value, style) => style switch
        {
            0 => Ok($"global::VaeGen.{type}.{names[value]}", value),
            1 => Ok($"({type}){value}", value),
            _ => Ok($"{type}.{names[value]}", value),
        });

    /// <summary>The value of Likelihood: defined members, undefined casts, and arguments of the wrong type.</summary>
    public static Gen<Arg> AnyLikelihood => Weighted(
        (12, DefinedLikelihood),
        (1, Gen.OneOf(Ok("0", 0), Ok("default", 0), Ok("default(Likelihood)", 0), Ok("(Likelihood)1.9", 1))),
        (2, Gen.OneOf(
            Bad("(Likelihood)8", 8), Bad("(Likelihood)9", 9), Bad("(Likelihood)(-1)", -1), Bad("(Likelihood)int.MaxValue", int.MaxValue),
            Bad("(Likelihood)int.MinValue", int.MinValue), Bad("Likelihood.Poisson | Likelihood.ContinuousBernoulli + 3", 15),
            Bad("Likelihood.Poisson + 1", 8), Bad("~Likelihood.Bernoulli", -1), Bad("(Likelihood)1_000_000", 1_000_000))),
        (1, Gen.Int[8, int.MaxValue].Select(v => Bad($"(Likelihood){v.ToString(Invariant)}", v))),
        (1, Gen.OneOf(
            Wrong("1"), Wrong("\"Gaussian\""), Wrong("3.5"), Wrong("Activation.ReLU"), Wrong("true"), Wrong("Likelihood.Binomial"),
            Wrong("null"), Wrong("(Likelihood)\"x\""), Wrong("int.MaxValue"))));

    /// <summary>The value of Activation: defined members, undefined casts, and arguments of the wrong type.</summary>
    public static Gen<Arg> AnyActivation => Weighted(
        (12, DefinedActivation),
        (1, Gen.OneOf(Ok("0", 0), Ok("default", 0), Ok("default(Activation)", 0))),
        (2, Gen.OneOf(
            Bad("(Activation)9", 9), Bad("(Activation)42", 42), Bad("(Activation)(-1)", -1), Bad("(Activation)int.MaxValue", int.MaxValue),
            Bad("(Activation)int.MinValue", int.MinValue), Bad("Activation.Identity + 1", 9), Bad("Activation.Identity | Activation.LeakyReLU", 9))),
        (1, Gen.Int[int.MinValue, -1].Select(v => Bad($"(Activation)({v.ToString(Invariant)})", v))),
        (1, Gen.OneOf(
            Wrong("1"), Wrong("\"ReLU\""), Wrong("2.0"), Wrong("Likelihood.Bernoulli"), Wrong("Activation.Swish"), Wrong("null"), Wrong("false"))));

    /// <summary>A finite ObservationVariance (or ObservationScale) of at least float32's smallest normal value.</summary>
    public static Gen<Arg> PositiveVariance => Weighted(
        (6, Gen.Double[0.001, 100.0].Select(v => Ok(v.ToString("R", Invariant), 0))),
        (2, Gen.OneOf(
            Ok("1.0", 0), Ok("0.25", 0), Ok("2", 0), Ok("double.MaxValue", 0),
            Ok("0.5f", 0), Ok("1_000_000.0", 0), Ok("1e308", 0), Ok("(double)7", 0), Ok("1.0 / 3", 0), Ok("'a'", 0), Ok("float.MaxValue", 0))));

    /// <summary>
    /// ObservationVariance: valid, or zero, negative, below float32's smallest normal value, NaN, infinite, or not a number
    /// at all.
    /// </summary>
    public static Gen<Arg> AnyVariance => Weighted(
        (8, PositiveVariance),
        (2, Gen.OneOf(
            Bad("0.0", 0), Bad("0", 0), Bad("-1.5", 0), Bad("-0.0", 0), Bad("double.NaN", 0), Bad("double.PositiveInfinity", 0),
            Bad("double.NegativeInfinity", 0), Bad("-double.Epsilon", 0), Bad("double.MaxValue * 2", 0), Bad("0.0 / 0.0", 0),
            Bad("-1", 0), Bad("int.MinValue", 0), Bad("double.MinValue", 0), Bad("float.NaN", 0), Bad("1e-300", 0),
            Bad("double.Epsilon", 0), Bad("1e-38", 0), Bad("float.Epsilon", 0))),
        (1, Gen.OneOf(
            Wrong("\"1.0\""), Wrong("1m"), Wrong("true"), Wrong("null"), Wrong("1e400"), Wrong("Likelihood.Gaussian"),
            Wrong("default(string)"), Wrong("undefinedVariance"))));

    /// <summary>A defined DataKind, spelled one of several ways.</summary>
    public static Gen<Arg> DefinedDataKind => DefinedEnum("DataKind", DataKindNames);

    private static readonly string[] DataKindNames = ["Unspecified", "Binary", "UnitInterval", "Levels256", "Counts", "Real"];

    /// <summary>A defined FeatureScaling, spelled one of several ways.</summary>
    public static Gen<Arg> DefinedScaling => DefinedEnum("FeatureScaling", ScalingNames);

    private static readonly string[] ScalingNames = ["None", "Standardize", "MinMax"];

    /// <summary>The value of Scaling: defined members, undefined casts, and arguments of the wrong type.</summary>
    public static Gen<Arg> AnyScaling => Weighted(
        (12, DefinedScaling),
        (1, Gen.OneOf(Ok("default(FeatureScaling)", 0), Ok("(FeatureScaling)1.5", 1))),
        (2, Gen.OneOf(Bad("(FeatureScaling)3", 3), Bad("(FeatureScaling)(-1)", -1), Bad("FeatureScaling.MinMax + 1", 3), Bad("(FeatureScaling)int.MaxValue", int.MaxValue))),
        (1, Gen.OneOf(Wrong("1"), Wrong("\"MinMax\""), Wrong("FeatureScaling.ZScore"), Wrong("null"), Wrong("DataKind.Real"))));

    /// <summary>A defined Objective, spelled one of several ways.</summary>
    public static Gen<Arg> DefinedObjective => DefinedEnum("Objective", ObjectiveNames);

    private static readonly string[] ObjectiveNames = ["Elbo", "ImportanceWeighted"];

    /// <summary>The value of Objective: defined members, undefined casts, and arguments of the wrong type.</summary>
    public static Gen<Arg> AnyObjective => Weighted(
        (12, DefinedObjective),
        (2, Gen.OneOf(Bad("(Objective)2", 2), Bad("(Objective)(-1)", -1), Bad("Objective.ImportanceWeighted + 1", 2), Bad("(Objective)int.MaxValue", int.MaxValue))),
        (1, Gen.OneOf(Wrong("1"), Wrong("\"Elbo\""), Wrong("Objective.Iwae"), Wrong("null"), Wrong("DataKind.Real"))));

    /// <summary>The value of Data: defined members, undefined casts, and arguments of the wrong type.</summary>
    public static Gen<Arg> AnyDataKind => Weighted(
        (12, DefinedDataKind),
        (1, Gen.OneOf(Ok("0", 0), Ok("default", 0), Ok("default(DataKind)", 0), Ok("(DataKind)2.9", 2))),
        (2, Gen.OneOf(
            Bad("(DataKind)6", 6), Bad("(DataKind)9", 9), Bad("(DataKind)(-1)", -1), Bad("(DataKind)int.MaxValue", int.MaxValue),
            Bad("DataKind.Real + 1", 6), Bad("~DataKind.Unspecified", -1), Bad("DataKind.Counts | DataKind.UnitInterval", 6))),
        (1, Gen.Int[6, int.MaxValue].Select(v => Bad($"(DataKind){v.ToString(Invariant)}", v))),
        (1, Gen.OneOf(
            Wrong("1"), Wrong("\"Real\""), Wrong("Likelihood.Poisson"), Wrong("DataKind.Integers"), Wrong("null"), Wrong("2.0"), Wrong("true"))));

    /// <summary>Beta or FreeBits as the generator must accept them: non-negative and finite, -0.0 included (it is not below 0).</summary>
    public static Gen<Arg> ValidWeight => Weighted(
        (6, Gen.Double[0.0, 10.0].Select(v => Real(v.ToString("R", Invariant), v))),
        (2, Gen.OneOf(
            Real("0", 0), Real("0.0", 0), Real("-0.0", -0.0), Real("1", 1), Real("4.0", 4), Real("0.5f", 0.5), Real("double.Epsilon", double.Epsilon),
            Real("double.MaxValue", double.MaxValue), Real("1e308", 1e308), Real("(double)3", 3), Real("float.MaxValue", float.MaxValue),
            Real("1.0 / 3", 1.0 / 3), Real("'b'", 'b'))));

    /// <summary>Beta or FreeBits: non-negative and finite, or negative, NaN, infinite, or not a number at all.</summary>
    public static Gen<Arg> AnyWeight => Weighted(
        (12, ValidWeight),
        (2, Gen.OneOf(
            Bad("-1", 0), Bad("-0.5", 0), Bad("-double.Epsilon", 0), Bad("double.NaN", 0), Bad("double.PositiveInfinity", 0),
            Bad("double.NegativeInfinity", 0), Bad("double.MaxValue * 2", 0), Bad("0.0 / 0.0", 0), Bad("double.MinValue", 0), Bad("float.NaN", 0),
            Bad("-1e-300", 0), Bad("float.PositiveInfinity", 0), Bad("int.MinValue", 0))),
        (1, Gen.OneOf(
            Wrong("\"1.0\""), Wrong("1m"), Wrong("true"), Wrong("null"), Wrong("1e400"), Wrong("Likelihood.Gaussian"), Wrong("undefinedBeta"))));

    /// <summary><see cref="Gen.Frequency{T}(System.ValueTuple{int, IGen{T}}[])"/> over generators.</summary>
    public static Gen<T> Weighted<T>(params (int Weight, Gen<T> Gen)[] options) =>
        Gen.Frequency(options.Where(o => o.Weight > 0).Select(o => (o.Weight, (IGen<T>)o.Gen)).ToArray());
}
