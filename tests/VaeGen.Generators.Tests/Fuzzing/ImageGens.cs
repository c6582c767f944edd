using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CsCheck;
using static VaeGen.Generators.Tests.Fuzzing.ArgGens;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>
/// One [EncoderConv] or [DecoderConvTranspose] as written. <paramref name="Style"/> picks the spelling and the argument
/// form: all positional, trailing defaults left out, the optional ones named in reverse order, or all named.
/// </summary>
internal sealed record ConvSpec(bool Transposed, Arg OutChannels, Arg Kernel, Arg Stride, Arg Padding, Arg OutputPadding, Arg? Activation, int Style)
{
    private static readonly string[] Names = ["outChannels", "kernelSize", "stride", "padding", "outputPadding"];

    private static readonly int?[] Defaults = [null, null, 1, 0, 0];

    public ImmutableArray<Arg> Arguments => Transposed ? [OutChannels, Kernel, Stride, Padding, OutputPadding] : [OutChannels, Kernel, Stride, Padding];

    public string Render()
    {
        var arguments = Arguments;
        // An argument may be left out only when it says what the default says (and compiles).
        bool Omittable(int i) => Defaults[i] is { } value && arguments[i].Verdict != Verdict.CompilerRejects && arguments[i].Value == value;

        var parts = new List<string>();
        switch (Style % 4)
        {
            case 0:
                parts.AddRange(arguments.Select(a => a.Text));
                break;
            case 1:
                var count = arguments.Length;
                while (count > 2 && Omittable(count - 1)) count--;
                parts.AddRange(arguments.Take(count).Select(a => a.Text));
                break;
            case 2:
                // Named arguments after the positional ones may come in any order; a default one may be left out anywhere.
                parts.AddRange(arguments.Take(2).Select(a => a.Text));
                for (var i = arguments.Length - 1; i >= 2; i--)
                {
                    if (!Omittable(i)) parts.Add($"{Names[i]}: {arguments[i].Text}");
                }
                break;
            default:
                for (var i = arguments.Length - 1; i >= 0; i--)
                {
                    if (!Omittable(i)) parts.Add($"{Names[i]}: {arguments[i].Text}");
                }
                break;
        }
        if (Activation is not null) parts.Add($"Activation = {Activation.Text}");

        var name = Transposed ? "DecoderConvTranspose" : "EncoderConv";
        var spelling = (Style / 4 % 3) switch { 0 => name, 1 => name + "Attribute", _ => "global::VaeGen." + name };
        return $"{spelling}({string.Join(", ", parts)})";
    }
}

/// <summary>[ImageInput(channels, height, width)] as written: positional, named in order, or named in reverse.</summary>
internal sealed record ImageSpec(Arg Channels, Arg Height, Arg Width, int Style)
{
    public string Render()
    {
        var spelling = Style / 3 % 2 == 0 ? "ImageInput" : "global::VaeGen.ImageInputAttribute";
        return (Style % 3) switch
        {
            0 => $"{spelling}({Channels.Text}, {Height.Text}, {Width.Text})",
            1 => $"{spelling}(channels: {Channels.Text}, height: {Height.Text}, width: {Width.Text})",
            _ => $"{spelling}(width: {Width.Text}, height: {Height.Text}, channels: {Channels.Text})",
        };
    }
}

/// <summary>
/// The image side of a declaration: [ImageInput], the convolutional stacks, and what [Vae] should say about the input
/// size. Generated sound (mirrored stacks that give the image back), then with at most one defect injected, named by
/// <paramref name="Injected"/>; <see cref="ImageOracle"/> works out from the numbers alone what must be reported.
/// </summary>
/// <param name="InputDelta">Added to the image's size when a two-argument [Vae] writes the input size: 0 agrees with the image.</param>
/// <param name="ImageTwice">[ImageInput] is written twice, which the compiler rejects.</param>
internal sealed record ImagePlan(
    ImageSpec? Image, ImmutableArray<ConvSpec> Encoder, ImmutableArray<ConvSpec> Decoder, int InputDelta, bool ImageTwice, string? Injected)
{
    public static readonly ImagePlan None = new(null, [], [], 0, false, null);

    public bool HasConvolutions => Encoder.Length + Decoder.Length > 0;

    /// <summary>The attributes, each layer in its order (the order of the layers is the order of the attributes).</summary>
    public IEnumerable<AttributeSpec> Attributes()
    {
        if (Image is not null)
        {
            yield return new AttributeSpec(Image.Render(), []);
            if (ImageTwice) yield return new AttributeSpec(Image.Render(), []);
        }
        foreach (var layer in Encoder) yield return new AttributeSpec(layer.Render(), [], Group: "EncoderConv");
        foreach (var layer in Decoder) yield return new AttributeSpec(layer.Render(), [], Group: "DecoderConvTranspose");
    }
}

/// <summary>What <see cref="ImageOracle"/> predicts for an <see cref="ImagePlan"/>.</summary>
/// <param name="Defects">What must be reported: argument by argument, and for the first layer that breaks.</param>
/// <param name="ImageSize">Channels x height x width when [ImageInput] is sound (every dimension at least 1, and the product an int).</param>
/// <param name="EncoderOutputSize">The size of the last encoder convolution's output when every layer is sound; null without convolutions or when one breaks.</param>
/// <param name="Convolutions">The shapes of the encoder's and the decoder's layers when they are all sound (empty without convolutions), else default.</param>
internal sealed record ImageFacts(ImmutableArray<Defect> Defects, long? ImageSize, long? EncoderOutputSize, (ImmutableArray<ConvShape> Encoder, ImmutableArray<ConvShape> Decoder) Convolutions = default)
{
    public bool HasCompilerDefect => Defects.Any(d => d.IsCompilers);
}

/// <summary>
/// Predicts the diagnostics of an image and its convolutional stacks from the specification (the README's table and the
/// descriptors' rules), independently of the generator's code: PyTorch's shape formulas, layer by layer; the first layer
/// with an argument out of range (VAE0027, or VAE0016 for its activation), an empty map (VAE0028) or a size beyond an int
/// (VAE0031) ends the inference, and only a decoder whose every layer is sound is compared with the image (VAE0029).
/// </summary>
internal static class ImageOracle
{
    public static ImageFacts Judge(ImagePlan plan)
    {
        var defects = new List<Defect>();

        // Anything the compiler rejects makes the case the compiler's; whatever VaeGen makes of the rest does not matter.
        var wrong = plan.Encoder.Concat(plan.Decoder)
            .SelectMany(layer => layer.Arguments.Append(layer.Activation).Where(a => a?.Verdict == Verdict.CompilerRejects)
                .Select(a => new Defect($"convolution argument {a}", null)))
            .ToList();
        if (plan.Image is { } spec)
        {
            wrong.AddRange(new[] { spec.Channels, spec.Height, spec.Width }.Where(a => a.Verdict == Verdict.CompilerRejects)
                .Select(a => new Defect($"image argument {a}", null)));
            if (plan.ImageTwice) wrong.Add(new Defect("[ImageInput] twice", null));
        }
        if (wrong.Count > 0) return new ImageFacts([.. wrong], null, null);

        long? imageSize = null;
        (long C, long H, long W)? image = null;
        if (plan.Image is { } written)
        {
            var sound = true;
            foreach (var (argument, what) in new[] { (written.Channels, "channels"), (written.Height, "height"), (written.Width, "width") })
            {
                if (argument.Value >= 1) continue;
                defects.Add(new Defect($"image {what} {argument}", "VAE0023"));
                sound = false;
            }
            if (sound)
            {
                var size = (long)written.Channels.Value * written.Height.Value * written.Width.Value;
                if (size > int.MaxValue) defects.Add(new Defect($"image {written.Channels}x{written.Height}x{written.Width} overflows", "VAE0031"));
                else
                {
                    imageSize = size;
                    image = (written.Channels.Value, written.Height.Value, written.Width.Value);
                }
            }
        }

        if (!plan.HasConvolutions) return new ImageFacts([.. defects], imageSize, null, ([], []));
        if (plan.Image is null)
        {
            defects.Add(new Defect("convolutions without [ImageInput]", "VAE0026"));
            return new ImageFacts([.. defects], imageSize, null);
        }
        if (plan.Encoder.Length == 0)
        {
            defects.Add(new Defect("transposed convolutions without encoder convolutions", "VAE0030"));
            return new ImageFacts([.. defects], imageSize, null);
        }
        if (image is not { } shape) return new ImageFacts([.. defects], imageSize, null);

        var encoder = new List<ConvShape>();
        for (var i = 0; i < plan.Encoder.Length; i++)
        {
            var next = Layer(plan.Encoder[i], $"encoder convolution {i + 1}", shape, defects);
            if (next is null) return new ImageFacts([.. defects], imageSize, null);
            encoder.Add(new ConvShape(shape.C, shape.H, shape.W, next.Value.C, next.Value.H, next.Value.W, plan.Encoder[i].Kernel.Value));
            shape = next.Value;
        }
        var encoderOutput = shape.C * shape.H * shape.W;
        var decoder = new List<ConvShape>();
        for (var i = 0; i < plan.Decoder.Length; i++)
        {
            var next = Layer(plan.Decoder[i], $"transposed convolution {i + 1}", shape, defects);
            if (next is null) return new ImageFacts([.. defects], imageSize, encoderOutput);
            decoder.Add(new ConvShape(shape.C, shape.H, shape.W, next.Value.C, next.Value.H, next.Value.W, plan.Decoder[i].Kernel.Value));
            shape = next.Value;
        }
        if (plan.Decoder.Length > 0 && shape != image)
            defects.Add(new Defect($"the decoder gives {shape.C}x{shape.H}x{shape.W}, not the image", "VAE0029"));
        return new ImageFacts([.. defects], imageSize, encoderOutput, ([.. encoder], [.. decoder]));
    }

    /// <summary>The output shape of one layer, or null with its defects when it breaks.</summary>
    private static (long C, long H, long W)? Layer(ConvSpec layer, string name, (long C, long H, long W) input, List<Defect> defects)
    {
        var (o, k, s, p, op) = (layer.OutChannels.Value, layer.Kernel.Value, layer.Stride.Value, layer.Padding.Value, layer.OutputPadding.Value);
        var before = defects.Count;
        if (o < 1) defects.Add(new Defect($"{name}: out-channels {o}", "VAE0027"));
        if (k < 1) defects.Add(new Defect($"{name}: kernel {k}", "VAE0027"));
        if (s < 1) defects.Add(new Defect($"{name}: stride {s}", "VAE0027"));
        if (p < 0) defects.Add(new Defect($"{name}: padding {p}", "VAE0027"));
        // PyTorch's rule: 0 <= outputPadding < stride; with a stride out of range only the stride is wrong.
        if (layer.Transposed && (op < 0 || (s >= 1 && op >= s))) defects.Add(new Defect($"{name}: output padding {op} with stride {s}", "VAE0027"));
        if (layer.Activation is { Verdict: Verdict.GeneratorRejects } activation) defects.Add(new Defect($"{name}: Activation = {activation}", "VAE0016"));
        if (defects.Count > before) return null;

        long height, width;
        if (layer.Transposed)
        {
            height = (input.H - 1) * s - 2L * p + k + op;
            width = (input.W - 1) * s - 2L * p + k + op;
        }
        else
        {
            height = Floor(input.H + 2L * p - k, s) + 1;
            width = Floor(input.W + 2L * p - k, s) + 1;
        }
        if (height < 1 || width < 1)
        {
            defects.Add(new Defect($"{name} turns {input.H}x{input.W} into {height}x{width}", "VAE0028"));
            return null;
        }
        if ((decimal)o * height * width > int.MaxValue)
        {
            defects.Add(new Defect($"{name} gives {o}x{height}x{width}, beyond an int", "VAE0031"));
            return null;
        }
        return (o, height, width);
    }

    private static long Floor(long numerator, long denominator) => (long)Math.Floor((decimal)numerator / denominator);
}

/// <summary>CsCheck generators of <see cref="ImagePlan"/>s.</summary>
internal static class ImageGens
{
    /// <summary>Encoder layers (kernel, stride, padding) a sound stack is made of: halving, same-size and shrinking ones.</summary>
    private static readonly (int K, int S, int P)[] LayerKinds = [(4, 2, 1), (2, 2, 0), (3, 2, 1), (3, 1, 1), (5, 1, 2), (3, 1, 0), (1, 1, 0), (5, 2, 2), (4, 4, 0)];

    /// <summary>The dice a plan is built from.</summary>
    private sealed record Dice(int Channels, int Height, int Width, int Layers, int[] Kinds, int[] Widths, int[] Styles, int[] Rolls, Arg[] Activations);

    private static Gen<Dice> DiceGen(bool hostile) =>
        Gen.Select(
            Gen.Frequency((6, 1), (2, 2), (5, 3), (1, 4)),
            Gen.Int[4, 40],
            Gen.Int[4, 40],
            Gen.Frequency((3, 0), (4, 1), (4, 2), (2, 3)),
            Gen.Int[0, LayerKinds.Length - 1].Array[3],
            Gen.Int[1, 48].Array[8],
            Gen.Int[0, 11].Array[9],
            Gen.Select(Gen.Int[0, 99].Array[8], (hostile ? Weighted((20, DefinedActivation), (1, AnyActivation)) : DefinedActivation).Array[8]),
            (channels, height, width, layers, kinds, widths, styles, rest) =>
                new Dice(channels, height, width, layers, kinds, widths, styles, rest.Item1, rest.Item2));

    /// <summary>
    /// A plan: none most often; otherwise an image, usually with a sound convolutional encoder (dense layers alone on an
    /// image too), often its mirror as the decoder, and for <paramref name="hostile"/> one defect in a little under half
    /// of them.
    /// </summary>
    public static Gen<ImagePlan> Plan(bool hostile) =>
        Gen.Select(Gen.Int[0, 99], DiceGen(hostile), Gen.Int[0, 99], Gen.Int[0, 999_999], (presence, dice, defectRoll, defectDice) =>
        {
            if (presence >= (hostile ? 42 : 45)) return ImagePlan.None;
            var plan = Sound(dice, hostile);
            if (!hostile || defectRoll >= 45) return plan;
            return Inject(plan, dice, defectRoll % 22, defectDice);
        });

    private static ImagePlan Sound(Dice dice, bool hostile)
    {
        var height = dice.Height;
        var width = dice.Rolls[0] < 55 ? height : dice.Width;
        var channels = dice.Channels;
        var style = 0;
        int NextStyle() => dice.Styles[style++ % dice.Styles.Length];
        Arg? NextActivation(int i) => dice.Rolls[1 + i % 7] < 30 ? dice.Activations[i] : null;

        // The encoder: layers while they keep a map of at least 1x1 (a kernel too large for what is left ends the stack).
        var encoder = new List<ConvSpec>();
        var inputs = new List<(int C, int H, int W)>();
        var (c, h, w) = (channels, height, width);
        for (var i = 0; i < dice.Layers; i++)
        {
            var (k, s, p) = LayerKinds[dice.Kinds[i]];
            var nextH = (h + 2 * p - k) / s + 1;
            var nextW = (w + 2 * p - k) / s + 1;
            if (h + 2 * p - k < 0 || w + 2 * p - k < 0) break;
            var outChannels = dice.Widths[i];
            encoder.Add(new ConvSpec(false, Int(outChannels, NextStyle(), true), Int(k, NextStyle(), true), Int(s, NextStyle(), true),
                Int(p, NextStyle(), true), Int(0, 9, true), NextActivation(i), NextStyle()));
            inputs.Add((c, h, w));
            (c, h, w) = (outChannels, nextH, nextW);
        }

        // The decoder mirrors the encoder: the same kernel, stride and padding, and the output padding that makes up for
        // what the encoder's floor dropped, (in + 2p - k) mod s. It needs the same for height and width; otherwise, and
        // for a third of the stacks, the decoder stays dense.
        var decoder = new List<ConvSpec>();
        var mirrorable = encoder.Count > 0 && dice.Rolls[2] < 66;
        for (var j = encoder.Count - 1; mirrorable && j >= 0; j--)
        {
            var (k, s, p) = (encoder[j].Kernel.Value, encoder[j].Stride.Value, encoder[j].Padding.Value);
            var (inC, inH, inW) = inputs[j];
            var opH = (inH + 2 * p - k) % s;
            if (opH != (inW + 2 * p - k) % s) { mirrorable = false; break; }
            var last = j == 0;
            // Any channel count is sound before the last layer, which must give the image's.
            var outChannels = last ? channels : dice.Rolls[3] < 50 ? inC : dice.Widths[4 + j % 4];
            if (last && dice.Rolls[4] < 25)
            {
                // A same-size layer before the last changes nothing in the shape.
                decoder.Add(new ConvSpec(true, Int(dice.Widths[7], NextStyle(), true), Int(3, NextStyle(), true), Int(1, NextStyle(), true),
                    Int(1, NextStyle(), true), Int(0, NextStyle(), true), NextActivation(6), NextStyle()));
            }
            decoder.Add(new ConvSpec(true, Int(outChannels, NextStyle(), true), Int(k, NextStyle(), true), Int(s, NextStyle(), true),
                Int(p, NextStyle(), true), Int(opH, NextStyle(), true), NextActivation(3 + j), NextStyle()));
        }
        if (!mirrorable) decoder.Clear();

        // Big images, where 256 logits per value no longer fit an int (so only hostile), dense only.
        if (hostile && dice.Rolls[5] < 6)
        {
            height = 1000 + dice.Height * 75;
            width = dice.Rolls[0] < 55 ? height : 1000 + dice.Width * 75;
            encoder.Clear();
            decoder.Clear();
        }
        var image = new ImageSpec(Int(channels, NextStyle(), true), Int(height, NextStyle(), true), Int(width, NextStyle(), true), NextStyle());
        return new ImagePlan(image, [.. encoder], [.. decoder], 0, false, null);
    }

    /// <summary>One defect of the kind <paramref name="kind"/> in a sound plan; <paramref name="roll"/> picks where and how much.</summary>
    private static ImagePlan Inject(ImagePlan plan, Dice dice, int kind, int roll)
    {
        var encoder = plan.Encoder;
        var decoder = plan.Decoder;
        var image = plan.Image!;
        var layers = encoder.Concat(decoder).ToList();
        var style = roll % 10;
        var small = 1 + roll / 10 % 5;

        // A layer to break, encoder or decoder, and a plan with it replaced.
        ConvSpec? target = layers.Count == 0 ? null : layers[roll / 100 % layers.Count];
        ConvSpec? transposed = decoder.Length == 0 ? null : decoder[roll / 100 % decoder.Length];
        ImagePlan With(ConvSpec old, ConvSpec replacement, string what) => plan with
        {
            Encoder = encoder.Contains(old) ? encoder.Replace(old, replacement) : encoder,
            Decoder = decoder.Contains(old) ? decoder.Replace(old, replacement) : decoder,
            Injected = what,
        };

        switch (kind)
        {
            case 0 when target is not null:
                return With(target, target with { Stride = Int(roll % 3 == 0 ? 0 : -small, style, false) }, "stride below 1");
            case 1 when transposed is not null:
                return With(transposed, transposed with { OutputPadding = Int(transposed.Stride.Value + roll / 10 % 3, style, false) }, "output padding not below the stride");
            case 2 when transposed is not null:
                return With(transposed, transposed with { OutputPadding = Int(-small, style, false) }, "negative output padding");
            case 3 when target is not null:
                return With(target, target with { OutChannels = Int(roll % 2 == 0 ? 0 : -small, style, false) }, "out-channels below 1");
            case 4 when target is not null:
                return With(target, target with { Kernel = Int(roll % 2 == 0 ? 0 : -small, style, false) }, "kernel below 1");
            case 5 when target is not null:
                return With(target, target with { Padding = Int(-small, style, false) }, "negative padding");
            case 6 when target is not null && !target.Transposed:
                // A kernel wider than the padded map: the oracle finds the layer's input and so whether it empties.
                return With(target, target with { Kernel = Int(dice.Height + dice.Width + 2 * target.Padding.Value + small, style, true) }, "a kernel larger than the map");
            case 6 or 7 when transposed is not null:
                return With(transposed, transposed with { Padding = Int(transposed.Kernel.Value + 40 * transposed.Stride.Value + small, style, true) }, "padding that eats the map");
            case 8 or 9 when transposed is not null:
                // The usual slips: a kernel, padding or output padding off by a little.
                var slip = (roll / 1000 % 3) switch
                {
                    0 => transposed with { Kernel = Int(Math.Max(1, transposed.Kernel.Value + (roll % 2 == 0 ? 1 : -1)), style, true) },
                    1 => transposed with { Padding = Int(transposed.Padding.Value + 1, style, true) },
                    _ => transposed with { OutputPadding = Int((transposed.OutputPadding.Value + 1) % Math.Max(1, transposed.Stride.Value), style, true) },
                };
                return With(transposed, slip, "a decoder layer that diverges");
            case 10 when decoder.Length > 0:
                var last = decoder[^1];
                return With(last, last with { OutChannels = Int(image.Channels.Value + small, style, true) }, "the wrong channel count last");
            case 11 when decoder.Length > 0:
                // One layer too many: a doubling layer after the last.
                var extra = new ConvSpec(true, Int(image.Channels.Value, style, true), Int(4, style, true), Int(2, style, true), Int(1, style, true), Int(0, style, true), null, roll);
                return plan with { Decoder = decoder.Add(extra), Injected = "a decoder that overshoots" };
            case 12 when layers.Count > 0:
                return plan with { Image = null, Injected = "convolutions without [ImageInput]" };
            case 13:
                // Without a decoder of its own, a same-size layer that gives the image's channels.
                var alone = decoder.Length > 0 ? decoder
                    : [new ConvSpec(true, image.Channels, Int(3, style, true), Int(1, style, true), Int(1, style, true), Int(0, style, true), null, roll)];
                return plan with { Encoder = [], Decoder = alone, Injected = "transposed convolutions without encoder convolutions" };
            case 14 or 15:
                // Forgetting the channels, or any other slip in the input size of a two-argument [Vae].
                var size = image.Channels.Value * image.Height.Value * image.Width.Value;
                var delta = image.Channels.Value > 1 && roll % 2 == 0 ? image.Height.Value * image.Width.Value - size : roll % 3 == 0 ? size : small;
                return plan with { InputDelta = delta, Injected = "an input size that is not the image's" };
            case 16:
                var overflowing = (roll % 4) switch
                {
                    0 => (3, 40000, 40000),
                    1 => (1, 65536, 32768),
                    2 => (int.MaxValue, 2, 1),
                    _ => (64, 8192 + roll / 4 % 1000, 4096),
                };
                return plan with
                {
                    Image = image with { Channels = Int(overflowing.Item1, style, true), Height = Int(overflowing.Item2, style, true), Width = Int(overflowing.Item3, style, true) },
                    Injected = "an image too large for an int",
                };
            case 17:
                var dimension = roll % 2 == 0 ? 0 : -small;
                return plan with
                {
                    Image = (roll / 2 % 3) switch
                    {
                        0 => image with { Channels = Int(dimension, style, false) },
                        1 => image with { Height = Int(dimension, style, false) },
                        _ => image with { Width = Int(dimension, style, false) },
                    },
                    Injected = "an image dimension below 1",
                };
            case 18 when target is not null:
                var activation = new[] { ArgGens.Bad("(Activation)9", -1), ArgGens.Bad("(Activation)(-1)", -1), ArgGens.Bad("(Activation)int.MaxValue", -1) }[roll / 7 % 3];
                return With(target, target with { Activation = activation }, "an undefined activation on a convolution");
            case 19 when transposed is not null:
                // A huge upsampling: a feature map beyond an int (or, from a 1x1 map, a decoder that misses the image).
                return With(transposed, transposed with { Stride = Int(1 << 20, style, true), OutputPadding = Int(0, style, true) }, "a feature map too large for an int");
            case 20:
                return plan with { ImageTwice = true, Injected = "[ImageInput] twice" };
            case 21 when target is not null:
                var wrong = new[] { ArgGens.Wrong("2.5"), ArgGens.Wrong("\"4\""), ArgGens.Wrong("4L"), ArgGens.Wrong("true"), ArgGens.Wrong("undefinedKernel") }[roll / 7 % 5];
                return With(target, target with { Kernel = wrong }, "a kernel of the wrong type");
            default:
                // A kind that needs layers the plan lacks: one that needs only those it has (kinds that always apply, so no loop).
                return Inject(plan, dice, layers.Count > 0 ? new[] { 0, 3, 4, 5, 12, 13 }[roll % 6] : new[] { 13, 14, 16, 17 }[roll % 4], roll);
        }

    }
}
