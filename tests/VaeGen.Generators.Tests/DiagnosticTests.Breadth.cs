using Microsoft.CodeAnalysis;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// The diagnostics of image inputs, convolutional stacks, likelihood–data contracts, objective weights and conditions.
/// The convolutional ones are the broken declarations a new user writes first; their messages must say what went wrong
/// in shapes, at the argument that did it.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void VAE0023_ImageDimensionNotPositive() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, [|0|], 28)] [Encoder] [Decoder]
        public partial class Flat;
        """, "VAE0023", DiagnosticSeverity.Error, "The height in [ImageInput] of 'Flat' is 0");

    [Fact]
    public void VAE0024_InputSizeMismatchesImage() => AssertDiagnostic("""
        [Vae([|784|], 16)] [ImageInput(3, 28, 28)] [Encoder] [Decoder]
        public partial class Rgb;
        """, "VAE0024", DiagnosticSeverity.Error, "declares 784 input features", "image 3x28x28 holds 2352 values");

    [Fact]
    public void VAE0025_MissingInputSize() => AssertDiagnostic("""
        [[|Vae(16)|]] [Encoder(64)] [Decoder(64)]
        public partial class Sizeless;
        """, "VAE0025", DiagnosticSeverity.Error, "[Vae(16)] on 'Sizeless' gives only the latent size", "[ImageInput(channels, height, width)]");

    [Fact]
    public void VAE0026_ConvNeedsImageInput() => AssertDiagnostic("""
        [Vae(784, 16)] [[|EncoderConv(32, 4, 2, 1)|]] [Encoder] [Decoder]
        public partial class Shapeless;
        """, "VAE0026", DiagnosticSeverity.Error, "'Shapeless' has convolutional layers but no [ImageInput");

    // Broken declaration 1: a stride of zero.
    [Fact]
    public void VAE0027_ZeroStride() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, [|0|], 1)]
        [Encoder] [Decoder]
        public partial class Stuck;
        """, "VAE0027", DiagnosticSeverity.Error, "The stride of encoder convolution 1 of 'Stuck' is 0; it must be at least 1");

    // Broken declaration 2: output padding as large as the stride, which PyTorch refuses at run time.
    [Fact]
    public void VAE0027_OutputPaddingNotBelowStride() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 4, 2, 1, [|outputPadding: 2|])]
        public partial class Overpadded;
        """, "VAE0027", DiagnosticSeverity.Error, "The output padding of transposed convolution 1 of 'Overpadded' is 2", "less than the stride (2)");

    // Broken declaration 3: the third stride-2 layer runs a 7x7 map down to nothing with a 5x5 kernel.
    [Fact]
    public void VAE0028_EncoderShrinksToNothing() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, 2, 1)]
        [EncoderConv(64, 4, 2, 1)]
        [EncoderConv(128, [|9|], 2)]
        [Encoder] [Decoder]
        public partial class Shrunk;
        """, "VAE0028", DiagnosticSeverity.Error,
        "Encoder convolution 3 of 'Shrunk' turns 64x7x7 into 128x0x0 (kernel 9, stride 2, padding 0)", "every size must stay at least 1");

    // Broken declaration 4: the classic off-by-two, a 3x3 kernel without padding in a decoder that should mirror 4x4 kernels.
    [Fact]
    public void VAE0029_DecoderDivergesFromTheEncoder() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, 2, 1)]
        [EncoderConv(64, 4, 2, 1)]
        [Encoder(256)] [Decoder(256)]
        [[|DecoderConvTranspose(32, 3, 2)|]]
        [DecoderConvTranspose(1, 4, 2, 1)]
        public partial class OffByTwo;
        """, "VAE0029", DiagnosticSeverity.Error,
        "The decoder of 'OffByTwo' produces 1x30x30 but the input is 1x28x28",
        "they diverge at transposed convolution 1, which gives 15x15 where encoder convolution 2 takes 14x14");

    // Broken declaration 5: one short of the input after a stride-2 layer, fixable with output padding.
    [Fact]
    public void VAE0029_DecoderOneShortNamesTheOutputPadding() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [Encoder] [Decoder]
        [[|DecoderConvTranspose(1, 3, 2, 1)|]]
        public partial class OneShort;
        """, "VAE0029", DiagnosticSeverity.Error,
        "produces 1x27x27 but the input is 1x28x28", "gives 27x27 where encoder convolution 1 takes 28x28 (outputPadding: 1 would reach it)");

    // Broken declaration 6: the right size, but RGB input decoded to one channel.
    [Fact]
    public void VAE0029_DecoderWrongChannelCount() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(3, 32, 32)]
        [EncoderConv(32, 4, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose([|1|], 4, 2, 1)]
        public partial class Grey;
        """, "VAE0029", DiagnosticSeverity.Error,
        "produces 1x32x32 but the input is 3x32x32", "must have the image's 3");

    // Broken declaration 7: a decoder with more layers than the encoder overshoots.
    [Fact]
    public void VAE0029_DecoderOvershoots() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(32, 4, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(32, 4, 2, 1)]
        [[|DecoderConvTranspose(1, 4, 2, 1)|]]
        public partial class Overshoot;
        """, "VAE0029", DiagnosticSeverity.Error,
        "produces 1x56x56 but the input is 1x28x28", "the last transposed convolution ends at 56x56; change a kernel, stride, padding or output padding so it reaches 28x28");

    [Fact]
    public void VAE0028_TransposedPaddingEatsTheMap() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 4, 4)]
        [EncoderConv(8, 4)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 2, 1, [|3|])]
        public partial class Eaten;
        """, "VAE0028", DiagnosticSeverity.Error, "Transposed convolution 1 of 'Eaten' turns 8x1x1 into 1x-4x-4");

    [Fact]
    public void VAE0030_DecoderConvWithoutEncoderConv() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 28, 28)]
        [Encoder(256)] [Decoder(256)]
        [[|DecoderConvTranspose(1, 4, 2, 1)|]]
        public partial class HalfConv;
        """, "VAE0030", DiagnosticSeverity.Error, "'HalfConv' has [DecoderConvTranspose] layers but no [EncoderConv]");

    [Fact]
    public void VAE0031_ImageSizeOverflows() => AssertDiagnostic("""
        [Vae(16)] [[|ImageInput(3, 40000, 40000)|]] [Encoder] [Decoder]
        public partial class Huge;
        """, "VAE0031", DiagnosticSeverity.Error, "the image size (3x40000x40000) comes to 4800000000");

    [Fact]
    public void VAE0031_CategoricalOutputOverflows() => AssertDiagnostic("""
        [[|Vae(10_000_000, 2, Likelihood = Likelihood.Categorical256)|]] [Encoder] [Decoder]
        public partial class TooManyLevels;
        """, "VAE0031", DiagnosticSeverity.Error, "the decoder output (10000000 features x 256 parameters) comes to 2560000000");

    [Fact]
    public void VAE0032_CategoricalWithNonIntegerLevels() => AssertDiagnostic("""
        [Vae(784, 16, Likelihood = Likelihood.Categorical256, [|Data = DataKind.UnitInterval|])] [Encoder] [Decoder]
        public partial class Levels;
        """, "VAE0032", DiagnosticSeverity.Error, "declares its data as UnitInterval, but the Categorical256 likelihood models exactly the 256 levels");

    [Fact]
    public void VAE0032_PoissonWithRealData() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Poisson, [|Data = DataKind.Real|])] [Encoder] [Decoder]
        public partial class Counts;
        """, "VAE0032", DiagnosticSeverity.Error, "the Poisson likelihood models non-negative integer counts");

    [Fact]
    public void VAE0032_BernoulliWithCounts() => AssertDiagnostic("""
        [Vae(20, 4, [|Data = DataKind.Counts|])] [Encoder] [Decoder]
        public partial class Binary;
        """, "VAE0032", DiagnosticSeverity.Error, "declares its data as Counts, but the Bernoulli likelihood models values in [0, 1]");

    [Fact]
    public void VAE0033_PoissonWithSigmoidOutput() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Poisson)] [Encoder] [Decoder(16, [|OutputActivation = Activation.Sigmoid|])]
        public partial class CappedRates;
        """, "VAE0033", DiagnosticSeverity.Error, "OutputActivation Sigmoid on the decoder of 'CappedRates' cannot be used with the Poisson likelihood: its decoder outputs log-rates");

    [Fact]
    public void VAE0034_ObservationScaleNotPositive() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Laplace, [|ObservationScale = -0.5|])] [Encoder] [Decoder]
        public partial class Scaled;
        """, "VAE0034", DiagnosticSeverity.Error, "ObservationScale of 'Scaled' is -0.5");

    [Fact]
    public void VAE0034_ObservationScaleBelowTheSmallestNormalFloat32() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Laplace, [|ObservationScale = 1e-300|])] [Encoder] [Decoder]
        public partial class Sharp;
        """, "VAE0034", DiagnosticSeverity.Error, "ObservationScale of 'Sharp' is 1E-300; the Laplace likelihood needs a finite scale of at least 1.1754944E-38");

    [Fact]
    public void The_smallest_normal_float32_scale_is_accepted() => AssertNoDiagnostics("""
        [Vae(20, 4, Likelihood = Likelihood.Laplace, ObservationScale = 1.1754944E-38)] [Encoder] [Decoder]
        public partial class Sharpest;
        """);

    [Fact]
    public void VAE0035_ObservationScaleIgnored() => AssertDiagnostic("""
        [Vae(20, 4, Likelihood = Likelihood.Gaussian, [|ObservationScale = 0.5|])] [Encoder] [Decoder]
        public partial class Unscaled;
        """, "VAE0035", DiagnosticSeverity.Warning, "the likelihood is Gaussian, which does not use it");

    [Fact]
    public void VAE0036_NegativeBeta() => AssertDiagnostic("""
        [Vae(20, 4, [|Beta = -1|])] [Encoder] [Decoder]
        public partial class Weighted;
        """, "VAE0036", DiagnosticSeverity.Error, "Beta of 'Weighted' is -1; it must be non-negative and finite");

    [Fact]
    public void VAE0036_InfiniteFreeBits() => AssertDiagnostic("""
        [Vae(20, 4, [|FreeBits = double.PositiveInfinity|])] [Encoder] [Decoder]
        public partial class Floored;
        """, "VAE0036", DiagnosticSeverity.Error, "FreeBits of 'Floored' is Infinity");

    [Fact]
    public void VAE0037_ConditionSetsBoth() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [Condition(Classes = 10, [|Features = 3|])]
        public partial class Both;
        """, "VAE0037", DiagnosticSeverity.Error, "sets both Classes (10) and Features (3)");

    [Fact]
    public void VAE0037_ConditionSetsNeither() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [[|Condition|]]
        public partial class Neither;
        """, "VAE0037", DiagnosticSeverity.Error, "[Condition] on 'Neither' sets neither");

    [Fact]
    public void VAE0037_ConditionZeroClasses() => AssertDiagnostic("""
        [Vae(20, 4)] [Encoder] [Decoder] [Condition([|Classes = 0|])]
        public partial class NoClasses;
        """, "VAE0037", DiagnosticSeverity.Error, "has Classes = 0");

    [Fact]
    public void VAE0038_UnknownDataKind() => AssertDiagnostic("""
        [Vae(20, 4, [|Data = (DataKind)9|])] [Encoder] [Decoder]
        public partial class Mystery;
        """, "VAE0038", DiagnosticSeverity.Error, "Data 9 of 'Mystery' is not a member of VaeGen.DataKind");

    [Fact]
    public void VAE0016_UnknownConvActivation() => AssertDiagnostic("""
        [Vae(16)] [ImageInput(1, 8, 8)]
        [EncoderConv(4, 3, 1, 1, [|Activation = (Activation)42|])]
        [Encoder] [Decoder]
        public partial class OddConv;
        """, "VAE0016", DiagnosticSeverity.Error, "Activation 42 of the encoder convolution 1 of 'OddConv'");
}
