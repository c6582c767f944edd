using System.Linq;

namespace VaeGen.Generators.Model;

/// <summary>A validated model, everything the emitter needs and nothing else.</summary>
/// <param name="Namespace">The containing namespace, or null in the global namespace.</param>
/// <param name="ClassName">The class name.</param>
/// <param name="ContainingTypes">The types the class is nested in, outermost first.</param>
/// <param name="InputSize">Features of one example.</param>
/// <param name="LatentSize">Dimension of z.</param>
/// <param name="Likelihood">The observation model p(x|z), with the parameters it owns.</param>
/// <param name="Prior">The prior p(z).</param>
/// <param name="Posterior">The approximate posterior q(z|x).</param>
/// <param name="Objective">What training minimizes, and the samples of z per example.</param>
/// <param name="Encoder">The encoder's dense hidden layers (after its convolutions, if any).</param>
/// <param name="Decoder">The decoder's dense hidden layers (before its transposed convolutions, if any).</param>
/// <param name="OutputActivation">The nonlinearity on the decoder's location output; Identity for none.</param>
/// <param name="Image">The image shape of an example, when declared.</param>
/// <param name="EncoderConvs">The encoder's convolutions with their inferred shapes.</param>
/// <param name="DecoderConvs">The decoder's transposed convolutions with their inferred shapes; the last gives the likelihood's parameters.</param>
/// <param name="Condition">The conditioning input of a conditional VAE.</param>
/// <param name="Layers">Every module with its shapes and counts, worked out once.</param>
/// <param name="IsAbstract">The class is abstract: it cannot be instantiated, so it gets no static Load.</param>
/// <param name="Scaling">The per-feature scaling fitted on the training data and applied wherever the model meets raw data.</param>
internal sealed record VaeSpec(
    string? Namespace,
    string ClassName,
    EquatableArray<ContainingType> ContainingTypes,
    int InputSize,
    int LatentSize,
    LikelihoodSpec Likelihood,
    PriorSpec Prior,
    PosteriorSpec Posterior,
    ObjectiveSpec Objective,
    LayerStack Encoder,
    LayerStack Decoder,
    ActivationKind OutputActivation,
    ImageShape? Image,
    EquatableArray<ConvLayer> EncoderConvs,
    EquatableArray<ConvLayer> DecoderConvs,
    ConditionSpec? Condition,
    LayerPlan Layers,
    ScalingKind Scaling = ScalingKind.None,
    bool IsAbstract = false)
{
    /// <summary>True when the model carries a per-feature scaling of its input.</summary>
    public bool Scaled => Scaling != ScalingKind.None;

    /// <summary>Trainable parameters of the module.</summary>
    public long ParameterCount => Layers.ParameterCount;

    /// <summary>Multiply-accumulates of one example's encoder and decoder pass (one sample of z).</summary>
    public long MultiplyAccumulates => Layers.MultiplyAccumulates;

    /// <summary>Decoder outputs per feature: 2 with a learned variance or scale, 256 for the categorical, else 1.</summary>
    public int OutputsPerFeature => Likelihood.OutputsPerFeature;

    /// <summary>Reparameterized samples of z per example in one pass: L for the ELBO, k for the importance-weighted bound.</summary>
    public int Samples => Objective.Samples;

    /// <summary>
    /// True when KL(q(z|x) || p(z)) has a closed form: only the diagonal Gaussian posterior against N(0, I). Otherwise the
    /// loss uses the Monte-Carlo estimate log q(z|x) - log p(z) on the samples of the reconstruction term.
    /// </summary>
    public bool KlIsClosedForm => Prior is PriorSpec.StandardNormal && Posterior is PosteriorSpec.DiagonalGaussian;

    /// <summary>True when the KL is a sum of per-dimension terms (what free bits and the KL of LatentUsage need): only in closed form.</summary>
    public bool KlSplitsPerDimension => KlIsClosedForm;

    /// <summary>The KL weight of the training objective: Beta for the ELBO, 1 (none applies) for the importance-weighted bound.</summary>
    public double Beta => Objective is ObjectiveSpec.Elbo elbo ? elbo.Beta : 1.0;

    /// <summary>The per-dimension KL floor of the training objective in nats; 0 for none.</summary>
    public double FreeBits => Objective is ObjectiveSpec.Elbo elbo ? elbo.FreeBits : 0.0;

    /// <summary>What the encoder's dense part takes from x: the last convolution's maps, flattened, or x itself (before any condition).</summary>
    public int EncoderFeatures => EncoderConvs.Count > 0 ? EncoderConvs[EncoderConvs.Count - 1].Output.Size : InputSize;

    /// <summary>Out-channels of transposed convolution <paramref name="index"/> as built: the last one is widened to the outputs per pixel.</summary>
    public long DecoderConvOutChannels(int index) =>
        index == DecoderConvs.Count - 1 ? (long)DecoderConvs[index].OutChannels * OutputsPerFeature : DecoderConvs[index].OutChannels;

    /// <summary>The global::-qualified name of the class as code, e.g. global::Demo.Outer.FashionVae.</summary>
    public string FullyQualifiedName => "global::" + string.Join(".", DottedParts().Select(Emitting.Identifiers.Escape));

    /// <summary>
    /// The metadata name, nested types joined by '+' (Namespace.Outer+Class), as <c>System.Type.FullName</c> gives it:
    /// a class nested in type A.B and one in namespace A.B never share it.
    /// </summary>
    public string MetadataName
    {
        get
        {
            var name = string.Join("+", ContainingTypes.Select(t => t.Name).Concat(new[] { ClassName }));
            return Namespace is null ? name : Namespace + "." + name;
        }
    }

    /// <summary>The generated file's name from the metadata name: Namespace.Outer+Class.Vae.g.cs.</summary>
    public string HintName => MetadataName + Emitting.HintNames.Suffix;

    private System.Collections.Generic.IEnumerable<string> DottedParts()
    {
        if (Namespace is not null)
        {
            foreach (var part in Namespace.Split('.')) yield return part;
        }
        foreach (var type in ContainingTypes) yield return type.Name;
        yield return ClassName;
    }
}

/// <summary>Channels x height x width of a feature map.</summary>
internal sealed record ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values in one map: channels * height * width (checked to fit an int by the validator).</summary>
    public int Size => Channels * Height * Width;

    /// <summary>"1x28x28", the form every message and comment uses.</summary>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}

/// <summary>A convolution or transposed convolution with the shapes it takes and gives.</summary>
/// <param name="Activation">The nonlinearity after it; null for the decoder's last layer.</param>
internal sealed record ConvLayer(
    int OutChannels, int KernelSize, int Stride, int Padding, int OutputPadding, ActivationKind? Activation, ImageShape Input, ImageShape Output);

/// <summary>The condition of a conditional VAE: a class label fed one-hot, or a feature vector.</summary>
/// <param name="IsClassLabel">True for a label in [0, Size), false for a feature vector of width Size.</param>
/// <param name="Size">Classes, or features.</param>
internal sealed record ConditionSpec(bool IsClassLabel, int Size);

/// <summary>The hidden layers of an encoder or decoder.</summary>
internal sealed record LayerStack(EquatableArray<int> HiddenSizes, ActivationKind Activation);

/// <summary>The outcome of validation: a spec when the declaration is sound, and the diagnostics either way.</summary>
internal sealed record ValidationResult(VaeSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
