using Microsoft.CodeAnalysis;

namespace VaeGen.Generators.Diagnostics;

/// <summary>
/// Every diagnostic VaeGen reports. IDs are stable and never reused; each new one is listed in AnalyzerReleases.Unshipped.md
/// and the README's table, and has a test that checks its ID, severity and span.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "VaeGen";

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "VAE0001", "VAE class must be partial",
        "'{0}' has [Vae] but is not partial; declare it 'partial class {0}' so VaeGen can add the generated model");

    public static readonly DiagnosticDescriptor ClassIsStatic = Error(
        "VAE0002", "VAE class must not be static",
        "'{0}' is static, but a VAE is a module with layers and parameters; remove 'static'");

    public static readonly DiagnosticDescriptor ClassIsGeneric = Error(
        "VAE0003", "VAE class must not be generic",
        "'{0}' is generic or nested in a generic type ({1}); the generated model has fixed tensor types, declare it in a non-generic type");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(
        "VAE0004", "Containing type must be partial",
        "'{0}' is nested in '{1}', which is not partial; declare '{1}' partial so VaeGen can add the generated model inside it");

    public static readonly DiagnosticDescriptor BaseClassDeclared = Error(
        "VAE0005", "VAE class must not declare a base class",
        "'{0}' derives from '{1}', but VaeGen makes it derive from torch.nn.Module<Tensor, {0}.Output>; remove the base class (interfaces are fine)");

    public static readonly DiagnosticDescriptor ClassIsRecord = Error(
        "VAE0006", "VAE class must not be a record",
        "'{0}' is a record, and records cannot derive from torch.nn.Module; declare it 'partial class {0}'");

    public static readonly DiagnosticDescriptor InputSizeNotPositive = Error(
        "VAE0007", "Input size must be positive",
        "The input size of '{0}' is {1}; it must be at least 1 (the number of features of one example, e.g. 784 for 28x28 images)");

    public static readonly DiagnosticDescriptor LatentSizeNotPositive = Error(
        "VAE0008", "Latent size must be positive",
        "The latent size of '{0}' is {1}; it must be at least 1");

    public static readonly DiagnosticDescriptor HiddenSizeNotPositive = Error(
        "VAE0009", "Hidden layer size must be positive",
        "Hidden layer {1} of the {2} of '{0}' has size {3}; every layer needs at least 1 unit");

    public static readonly DiagnosticDescriptor MissingEncoder = Error(
        "VAE0010", "Missing [Encoder]",
        "'{0}' has [Vae] but no [Encoder]; add [Encoder(sizes...)] with the hidden layer sizes, or [Encoder] alone for a linear encoder");

    public static readonly DiagnosticDescriptor MissingDecoder = Error(
        "VAE0011", "Missing [Decoder]",
        "'{0}' has [Vae] but no [Decoder]; add [Decoder(sizes...)] with the hidden layer sizes, or [Decoder] alone for a linear decoder");

    public static readonly DiagnosticDescriptor SamplesNotPositive = Error(
        "VAE0012", "Samples must be at least 1",
        "Samples of '{0}' is {1}; the reconstruction term needs at least one reparameterized sample per example");

    public static readonly DiagnosticDescriptor ObservationVarianceNotPositive = Error(
        "VAE0013", "Observation variance must be finite and at least float32's smallest normal value",
        "ObservationVariance of '{0}' is {1}; the Gaussian likelihood needs a finite variance of at least 1.1754944E-38, the smallest normal float32 (the model computes in float32, where 1 / variance overflows below it)");

    public static readonly DiagnosticDescriptor ObservationVarianceIgnored = Warning(
        "VAE0014", "Observation variance is unused with this likelihood",
        "ObservationVariance of '{0}' is set, but the likelihood is {1}, which does not use it; remove it or use Likelihood.Gaussian");

    public static readonly DiagnosticDescriptor UnknownLikelihood = Error(
        "VAE0015", "Unknown likelihood",
        "Likelihood {1} of '{0}' is not a member of VaeGen.Likelihood (" + Members<LikelihoodKind>() + ")");

    public static readonly DiagnosticDescriptor UnknownActivation = Error(
        "VAE0016", "Unknown activation",
        "Activation {1} of the {2} of '{0}' is not a member of VaeGen.Activation (" + Members<ActivationKind>() + ")");

    public static readonly DiagnosticDescriptor MemberConflict = Error(
        "VAE0017", "Member name is reserved for the generated model",
        "'{0}' declares '{1}', but VaeGen generates a member of that name; rename or remove it");

    public static readonly DiagnosticDescriptor ConstructorMustChainToThis = Error(
        "VAE0018", "Constructor must call this()",
        "This constructor of '{0}' does not start with ': this()'; the generated parameterless constructor builds the layers, so call it first");

    public static readonly DiagnosticDescriptor ClassNameReserved = Error(
        "VAE0019", "Class name is reserved for a generated member",
        "A VAE class cannot be named '{0}': VaeGen generates a member of that name, and C# forbids a member named like its class; rename the class");

    public static readonly DiagnosticDescriptor PrimaryConstructor = Error(
        "VAE0020", "VAE class must not have a primary constructor",
        "'{0}' has a primary constructor, but the generated parameterless constructor builds the layers; declare an ordinary constructor that calls ': this()' instead");

    public static readonly DiagnosticDescriptor FileLocalClass = Error(
        "VAE0021", "VAE class must not be file-local",
        "'{0}' is declared 'file', so the generated part, which lives in its own file, cannot extend it; remove 'file'");

    public static readonly DiagnosticDescriptor VarTypeInScope = Error(
        "VAE0022", "A type named 'var' is in scope",
        "A type named 'var' is visible inside '{0}', so the generated code's 'var' declarations would mean that type; rename it");

    public static readonly DiagnosticDescriptor ImageDimensionNotPositive = Error(
        "VAE0023", "Image dimension must be positive",
        "The {1} in [ImageInput] of '{0}' is {2}; channels, height and width must each be at least 1");

    public static readonly DiagnosticDescriptor InputSizeMismatchesImage = Error(
        "VAE0024", "Input size differs from the image shape",
        "'{0}' declares {1} input features, but its [ImageInput] image {2} holds {3} values; make them agree, or write [Vae(latentSize)] and let [ImageInput] give the size");

    public static readonly DiagnosticDescriptor MissingInputSize = Error(
        "VAE0025", "Input size is missing",
        "[Vae({1})] on '{0}' gives only the latent size, which needs [ImageInput(channels, height, width)] for the size of an example; add it, or write [Vae(inputSize, {1})]");

    public static readonly DiagnosticDescriptor ConvNeedsImageInput = Error(
        "VAE0026", "Convolutional layers need [ImageInput]",
        "'{0}' has convolutional layers but no [ImageInput(channels, height, width)]; a convolution needs the image shape of an example");

    public static readonly DiagnosticDescriptor ConvArgumentOutOfRange = Error(
        "VAE0027", "Convolution argument out of range",
        "The {2} of {1} of '{0}' is {3}; it must be {4}");

    public static readonly DiagnosticDescriptor ConvShapeNotPositive = Error(
        "VAE0028", "Convolution output would be empty",
        "{1} of '{0}' turns {2} into {3} (kernel {4}, stride {5}, padding {6}); every size must stay at least 1, so use a smaller kernel or stride, more padding, or fewer layers");

    public static readonly DiagnosticDescriptor DecoderShapeMismatch = Error(
        "VAE0029", "Decoder output shape differs from the input shape",
        "The decoder of '{0}' produces {1} but the input is {2}; {3}");

    public static readonly DiagnosticDescriptor DecoderConvWithoutEncoderConv = Error(
        "VAE0030", "Transposed convolutions need encoder convolutions",
        "'{0}' has [DecoderConvTranspose] layers but no [EncoderConv]; the decoder starts from the shape the encoder's convolutions end with, so declare those too");

    public static readonly DiagnosticDescriptor SizeOverflow = Error(
        "VAE0031", "Size does not fit in an int",
        "In '{0}', {1} comes to {2}, which does not fit in {3}; the model cannot be built, so use smaller sizes");

    public static readonly DiagnosticDescriptor LikelihoodDoesNotFitData = Error(
        "VAE0032", "Likelihood cannot describe the declared data",
        "'{0}' declares its data as {1}, but the {2} likelihood {3}; {4}");

    public static readonly DiagnosticDescriptor OutputActivationNotAllowed = Error(
        "VAE0033", "Output activation does not fit the likelihood",
        "OutputActivation {1} on the decoder of '{0}' cannot be used with the {2} likelihood: its decoder outputs {3}, which must range over all real numbers; remove OutputActivation");

    public static readonly DiagnosticDescriptor ObservationScaleNotPositive = Error(
        "VAE0034", "Observation scale must be finite and at least float32's smallest normal value",
        "ObservationScale of '{0}' is {1}; the Laplace likelihood needs a finite scale of at least 1.1754944E-38, the smallest normal float32 (the model computes in float32, where 1 / scale overflows below it)");

    public static readonly DiagnosticDescriptor ObservationScaleIgnored = Warning(
        "VAE0035", "Observation scale is unused with this likelihood",
        "ObservationScale of '{0}' is set, but the likelihood is {1}, which does not use it; remove it or use Likelihood.Laplace");

    public static readonly DiagnosticDescriptor ObjectiveWeightInvalid = Error(
        "VAE0036", "Beta and free bits must be non-negative and finite",
        "{1} of '{0}' is {2}; it must be non-negative and finite");

    public static readonly DiagnosticDescriptor ConditionInvalid = Error(
        "VAE0037", "Condition must set exactly one positive size",
        "[Condition] on '{0}' {1}; set exactly one of Classes (a class label) or Features (a feature vector) to at least 1");

    public static readonly DiagnosticDescriptor UnknownDataKind = Error(
        "VAE0038", "Unknown data kind",
        "Data {1} of '{0}' is not a member of VaeGen.DataKind (" + Members<DataKindValue>() + ")");

    public static readonly DiagnosticDescriptor ComponentSizeNotPositive = Error(
        "VAE0039", "Prior and flow sizes must be positive",
        "[{1}] on '{0}' has {2} = {3}; it must be at least 1");

    public static readonly DiagnosticDescriptor ComponentConflict = Error(
        "VAE0040", "One prior and one flow at most",
        "'{0}' declares both [{1}] and [{2}]; a model has one {3}: keep one of them");

    public static readonly DiagnosticDescriptor FreeBitsNeedPerDimensionKl = Error(
        "VAE0041", "Free bits need a KL that splits per latent dimension",
        "FreeBits of '{0}' is {1}, but with {2} the KL term is a Monte-Carlo estimate that does not split per latent dimension, so there is no per-dimension KL to floor; remove FreeBits or the {3}");

    public static readonly DiagnosticDescriptor KlWeightWithImportanceWeighting = Error(
        "VAE0042", "The importance-weighted objective has no KL term to weight",
        "{1} of '{0}' is {2}, but the objective is ImportanceWeighted, whose bound has no separate KL term to weight or floor; remove {1} or use Objective.Elbo");

    public static readonly DiagnosticDescriptor UnknownObjective = Error(
        "VAE0043", "Unknown objective",
        "Objective {1} of '{0}' is not a member of VaeGen.Objective (" + Members<ObjectiveKind>() + ")");

    public static readonly DiagnosticDescriptor ImportanceWeightedWithOneSample = Warning(
        "VAE0044", "The importance-weighted bound with one sample is the ELBO",
        "'{0}' trains on the importance-weighted bound with Samples = 1, which is exactly the ELBO; set Samples to k > 1 (Burda et al. use 5 and 50) or use Objective.Elbo");

    public static readonly DiagnosticDescriptor UnknownScaling = Error(
        "VAE0045", "Unknown feature scaling",
        "Scaling {1} of '{0}' is not a member of VaeGen.FeatureScaling (" + Members<ScalingKind>() + ")");

    public static readonly DiagnosticDescriptor ScalingDoesNotFitLikelihood = Error(
        "VAE0046", "Feature scaling does not fit the likelihood",
        "Scaling {1} of '{0}' {2}, which the {3} likelihood cannot describe; {4}");

    /// <summary>The members of a mirrored enum, in declaration order, for the messages that list them: "Elbo, ImportanceWeighted".</summary>
    private static string Members<T>() where T : struct, System.Enum => string.Join(", ", System.Enum.GetNames(typeof(T)));

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
