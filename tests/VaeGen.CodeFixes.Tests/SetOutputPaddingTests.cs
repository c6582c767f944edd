using System.Threading.Tasks;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0029 one short after a stride-2 layer: "Set outputPadding to N".</summary>
public sealed class SetOutputPaddingTests
{
    private static readonly SetOutputPaddingCodeFixProvider Provider = new();

    [Fact]
    public Task Adds_the_argument_after_four_positional_ones() => CodeFixVerifier.VerifyAsync(Provider, "VAE0029", """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 3, 2, 1)]
        public partial class OneShort;
        """, """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 3, 2, 1, outputPadding: 1)]
        public partial class OneShort;
        """, "Set outputPadding to 1");

    [Fact]
    public Task Replaces_a_positional_output_padding_and_keeps_the_properties() => CodeFixVerifier.VerifyAsync(Provider, "VAE0029", """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [EncoderConv(32, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(16, 3, 2, 1, 0, Activation = Activation.Tanh)]
        [DecoderConvTranspose(1, 3, 2, 1, 1)]
        public partial class TwoShort;
        """, """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [EncoderConv(32, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(16, 3, 2, 1, 1, Activation = Activation.Tanh)]
        [DecoderConvTranspose(1, 3, 2, 1, 1)]
        public partial class TwoShort;
        """, "Set outputPadding to 1");

    [Fact]
    public Task Inserts_before_property_assignments() => CodeFixVerifier.VerifyAsync(Provider, "VAE0029", """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 3, stride: 2, padding: 1, Activation = Activation.SiLU)]
        public partial class Named;
        """, """
        using VaeGen;

        [Vae(16)] [ImageInput(1, 28, 28)]
        [EncoderConv(16, 3, 2, 1)]
        [Encoder] [Decoder]
        [DecoderConvTranspose(1, 3, stride: 2, padding: 1, outputPadding: 1, Activation = Activation.SiLU)]
        public partial class Named;
        """, "Set outputPadding to 1");

    [Fact]
    public async Task Offers_nothing_when_no_output_padding_would_reach_the_size()
    {
        var project = CodeFixHarness.CreateProject(["""
            using VaeGen;

            [Vae(16)] [ImageInput(1, 28, 28)]
            [EncoderConv(32, 4, 2, 1)]
            [EncoderConv(64, 4, 2, 1)]
            [Encoder] [Decoder]
            [DecoderConvTranspose(32, 3, 2)]
            [DecoderConvTranspose(1, 4, 2, 1)]
            public partial class OffByTwo;
            """]);
        var run = await CodeFixHarness.RunGeneratorAsync(project);
        var diagnostic = Assert.Single(run.WithId("VAE0029"));
        var document = CodeFixHarness.DocumentOf(project, diagnostic);
        Assert.Empty(await CodeFixHarness.ActionsAsync(Provider, document, [await CodeFixHarness.InDocumentAsync(project, diagnostic)]));
    }
}
