using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static VaeGen.Maths.CpuSpans;

namespace VaeGen.Maths;

/// <summary>
/// A <c>Conv2d</c> whose input has a few channels (an image going into the encoder), whose backward pass runs on the CPU
/// in <see cref="ThinConvolution"/>'s passes instead of oneDNN's (its forward pass stays libtorch's, which is fast). Its parameters are <c>nn.Conv2d</c>'s: the same
/// <c>weight</c> [out, in, k, k] and <c>bias</c> [out], made and initialised by the same code, so state dicts, seeds,
/// checkpoints and exports do not tell the two apart. Other devices, other element types and unbatched input go to
/// libtorch's convolution.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ThinConv2d : Convolution
{
    private readonly int inChannels, outChannels, kernel, step, pad;

    /// <summary>The layer <c>nn.Conv2d(inChannels, outChannels, kernelSize, stride, padding)</c> would make.</summary>
    public ThinConv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding)
        : base(nameof(ThinConv2d), inChannels, outChannels, new[] { kernelSize, kernelSize }, new[] { stride, stride },
            new[] { padding, padding }, null, new[] { 1L, 1L }, false, new[] { 0L, 0L }, 1, true, PaddingModes.Zeros)
    {
        (this.inChannels, this.outChannels, kernel, step, pad) =
            ((int)inChannels, (int)outChannels, (int)kernelSize, (int)stride, (int)padding);
    }

    /// <summary>The convolution of <paramref name="input"/> [batch, in, height, width].</summary>
    public override Tensor forward(Tensor input)
    {
        if (!ThinLayerChecks.Runs(input, weight!, inChannels))
            return nn.functional.conv2d(input, weight!, bias, new[] { (long)step, step }, new[] { (long)pad, pad });
        var height = (int)input.shape[2];
        var width = (int)input.shape[3];
        var geometry = new ThinGeometry(inChannels, outChannels, kernel, step, pad, height, width,
            (height + 2 * pad - kernel) / step + 1, (width + 2 * pad - kernel) / step + 1);
        if (geometry.WideHeight < 1 || geometry.WideWidth < 1)
            return nn.functional.conv2d(input, weight!, bias, new[] { (long)step, step }, new[] { (long)pad, pad });
        return ThinConv2dFunction.apply(input, weight!, bias!, geometry);
    }
}

/// <summary>
/// A <c>ConvTranspose2d</c> whose output has a few channels (the image the decoder ends with), run on the CPU by
/// <see cref="ThinConvolution"/>'s passes instead of oneDNN's. Its parameters are <c>nn.ConvTranspose2d</c>'s: the same
/// <c>weight</c> [in, out, k, k] and <c>bias</c> [out], made and initialised by the same code. Other devices, other
/// element types, unbatched input and an explicit output size go to libtorch's transposed convolution.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ThinConvTranspose2d : ConvolutionTranspose
{
    private readonly int inChannels, outChannels, kernel, step, pad, outputPadding;

    /// <summary>The layer <c>nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride, padding, outputPadding)</c> would make.</summary>
    public ThinConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, long outputPadding)
        : base(nameof(ThinConvTranspose2d), inChannels, outChannels, new[] { kernelSize, kernelSize }, new[] { stride, stride },
            new[] { padding, padding }, null, new[] { 1L, 1L }, true, new[] { outputPadding, outputPadding }, 1, true, PaddingModes.Zeros)
    {
        (this.inChannels, this.outChannels, kernel, step, pad, this.outputPadding) =
            ((int)inChannels, (int)outChannels, (int)kernelSize, (int)stride, (int)padding, (int)outputPadding);
    }

    /// <summary>The transposed convolution of <paramref name="input"/> [batch, in, height, width].</summary>
    public override Tensor forward(Tensor input, long[]? output_size)
    {
        if (output_size is not null || !ThinLayerChecks.Runs(input, weight!, inChannels)) return General(input, output_size);
        var height = (int)input.shape[2];
        var width = (int)input.shape[3];
        var geometry = new ThinGeometry(outChannels, inChannels, kernel, step, pad,
            (height - 1) * step - 2 * pad + kernel + outputPadding, (width - 1) * step - 2 * pad + kernel + outputPadding,
            height, width);
        if (geometry.ThinHeight < 1 || geometry.ThinWidth < 1) return General(input, output_size);
        return ThinConvTranspose2dFunction.apply(input, weight!, bias!, geometry);
    }

    private Tensor General(Tensor input, long[]? outputSize)
    {
        var extra = outputSize is null
            ? new[] { (long)outputPadding, outputPadding }
            : _output_padding(input, outputSize, new[] { (long)kernel, kernel }, new[] { (long)step, step }, new[] { (long)pad, pad }, new[] { 1L, 1L }, 2);
        return nn.functional.conv_transpose2d(input, weight!, bias, new[] { (long)step, step }, new[] { (long)pad, pad }, extra);
    }
}

/// <summary>When the thin layers run their own passes.</summary>
internal static class ThinLayerChecks
{
    [ThreadStatic] private static bool disabled;

    /// <summary>
    /// Whether the thin layers run their own passes on this thread: off, they are libtorch's layers (for tests and
    /// benchmarks, which compare the two without touching other threads' models).
    /// </summary>
    internal static bool Enabled
    {
        get => !disabled;
        set => disabled = !value;
    }

    /// <summary>
    /// A batched float32 CPU input with the layer's channels and a float32 CPU weight; anything else (including a wrong
    /// shape, whose error libtorch's convolution gives in its own words) takes the general path.
    /// </summary>
    public static bool Runs(Tensor input, Tensor weight, int inChannels) =>
        Enabled && input.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU
        && input.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && input.dim() == 4 && input.shape[1] == inChannels && input.shape[0] > 0
        && input.numel() < int.MaxValue;
}

/// <summary>
/// <see cref="ThinConv2d"/> (thin input, wide output): the forward pass through libtorch, the backward pass example by
/// example in C#, the weight and bias gradients summed over the examples in order.
/// </summary>
internal sealed class ThinConv2dFunction : autograd.SingleTensorFunction<ThinConv2dFunction>
{
    public override string Name => nameof(ThinConv2dFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // The forward pass is libtorch's: oneDNN runs this direction well (its backward, the weight's gradient from a
        // thin input, is the slow one).
        var (input, weight, bias, g) = ThinPasses.Arguments(ctx, vars);
        return nn.functional.conv2d(input, weight, bias, new long[] { g.Stride, g.Stride }, new long[] { g.Padding, g.Padding });
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var (input, weight, g, inputGradient, hasBias) = ThinPasses.Saved(ctx);
        var gy = gradOutput.contiguous();
        var examples = (int)input.shape[0];
        var gx = inputGradient ? zeros_like(input) : null;
        var gw = zeros_like(weight);
        var gb = hasBias ? zeros(g.Wide) : null;
        var columns = ThinConvolution.Rent(g.Rows * g.Positions);
        try
        {
            var x = Floats(input);
            var dy = Floats(gy);
            var w = Floats(weight);
            var dw = Floats(gw);
            var db = gb is null ? default : Floats(gb);
            var dx = gx is null ? default : Floats(gx);
            for (var n = 0; n < examples; n++)
            {
                var dyn = dy.Slice(n * g.WideSize, g.WideSize);
                ThinConvolution.Unfold(g, x.Slice(n * g.ThinSize, g.ThinSize), columns);
                ThinConvolution.AddProducts(dyn, g.Wide, columns, g.Rows, g.Positions, dw);
                if (gb is not null) ThinConvolution.AddRowSums(dyn, g.Wide, g.Positions, db);
                if (gx is null) continue;
                ThinConvolution.Combine(w, 1, g.Rows, dyn, g.Wide, columns, g.Rows, g.Positions);
                ThinConvolution.FoldAdd(g, columns, dx.Slice(n * g.ThinSize, g.ThinSize));
            }
        }
        finally
        {
            ThinConvolution.Return(columns);
        }
        return new List<Tensor> { gx!, gw, gb!, null! };
    }
}

/// <summary>
/// <see cref="ThinConvTranspose2d"/> (wide input, thin output): both passes example by example in C#, the weight and
/// bias gradients summed over the examples in order.
/// </summary>
internal sealed class ThinConvTranspose2dFunction : autograd.SingleTensorFunction<ThinConvTranspose2dFunction>
{
    public override string Name => nameof(ThinConvTranspose2dFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight, bias, g) = ThinPasses.Arguments(ctx, vars);
        var examples = (int)input.shape[0];
        var output = empty(examples, g.Thin, g.ThinHeight, g.ThinWidth);
        var plane = g.ThinHeight * g.ThinWidth;
        var columns = ThinConvolution.Rent(g.Rows * g.Positions);
        try
        {
            var x = Floats(input);
            var y = Floats(output);
            var w = Floats(weight);
            ReadOnlySpan<float> b = bias is null ? default : Floats(bias);
            for (var n = 0; n < examples; n++)
            {
                ThinConvolution.Combine(w, 1, g.Rows, x.Slice(n * g.WideSize, g.WideSize), g.Wide, columns, g.Rows, g.Positions);
                var yn = y.Slice(n * g.ThinSize, g.ThinSize);
                for (var c = 0; c < g.Thin; c++) yn.Slice(c * plane, plane).Fill(b.IsEmpty ? 0f : b[c]);
                ThinConvolution.FoldAdd(g, columns, yn);
            }
        }
        finally
        {
            ThinConvolution.Return(columns);
        }
        return output;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var (input, weight, g, inputGradient, hasBias) = ThinPasses.Saved(ctx);
        var gy = gradOutput.contiguous();
        var examples = (int)input.shape[0];
        var plane = g.ThinHeight * g.ThinWidth;
        var gx = inputGradient ? empty_like(input) : null;
        var gw = zeros_like(weight);
        var gb = hasBias ? zeros(g.Thin) : null;
        var columns = ThinConvolution.Rent(g.Rows * g.Positions);
        try
        {
            var x = Floats(input);
            var dy = Floats(gy);
            var w = Floats(weight);
            var dw = Floats(gw);
            var db = gb is null ? default : Floats(gb);
            var dx = gx is null ? default : Floats(gx);
            for (var n = 0; n < examples; n++)
            {
                var dyn = dy.Slice(n * g.ThinSize, g.ThinSize);
                ThinConvolution.Unfold(g, dyn, columns);
                ThinConvolution.AddProducts(x.Slice(n * g.WideSize, g.WideSize), g.Wide, columns, g.Rows, g.Positions, dw);
                if (gb is not null) ThinConvolution.AddRowSums(dyn, g.Thin, plane, db);
                if (gx is not null)
                    ThinConvolution.Combine(w, g.Rows, 1, columns, g.Rows, dx.Slice(n * g.WideSize, g.WideSize), g.Wide, g.Positions);
            }
        }
        finally
        {
            ThinConvolution.Return(columns);
        }
        return new List<Tensor> { gx!, gw, gb!, null! };
    }
}

/// <summary>What the thin layers' passes share: their arguments and what they save for the backward pass.</summary>
/// <remarks>
/// The passes run on the calling thread alone. Sharing them with <see cref="SecondThread"/> made them slower in
/// training: they run between libtorch operations, whose OpenMP worker keeps spinning on the other core for a while
/// after each one.
/// </remarks>
internal static class ThinPasses
{
    /// <summary>
    /// The forward pass's arguments (input, weight, bias or null, geometry), contiguous, after saving the input and the
    /// weight, the geometry, whether the input wants a gradient and whether there is a bias.
    /// </summary>
    public static (Tensor Input, Tensor Weight, Tensor? Bias, ThinGeometry Geometry) Arguments(autograd.AutogradContext ctx, object[] vars)
    {
        var original = (Tensor)vars[0];
        var input = original.contiguous();
        var weight = ((Tensor)vars[1]).contiguous();
        var bias = (vars[2] as Tensor)?.contiguous();
        var geometry = (ThinGeometry)vars[3];
        ctx.save_for_backward(new List<Tensor> { input, weight });
        ctx.save_data("geometry", geometry);
        ctx.save_data("inputGradient", original.requires_grad);
        ctx.save_data("bias", bias is not null);
        return (input, weight, bias, geometry);
    }

    /// <summary>What <see cref="Arguments"/> saved.</summary>
    public static (Tensor Input, Tensor Weight, ThinGeometry Geometry, bool InputGradient, bool Bias) Saved(autograd.AutogradContext ctx)
    {
        var saved = ctx.get_saved_variables();
        return (saved[0], saved[1], (ThinGeometry)ctx.get_data("geometry"), (bool)ctx.get_data("inputGradient"), (bool)ctx.get_data("bias"));
    }
}

