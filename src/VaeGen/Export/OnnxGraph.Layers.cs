using System;

namespace VaeGen.Export;

public sealed partial class OnnxGraph
{
    /// <summary>A linear layer, x Wᵀ + b (ONNX Gemm), with the parameters <c>{layer}.weight</c> [out, in] and <c>{layer}.bias</c> [out].</summary>
    /// <param name="input">Shape [batch, in].</param>
    /// <param name="layer">The layer's state_dict path, e.g. "encoder.linear1" or "encoderMu".</param>
    /// <returns>Shape [batch, out].</returns>
    public OnnxValue Linear(OnnxValue input, string layer) =>
        Node("Gemm", new[] { input, Parameter(layer + ".weight"), Parameter(layer + ".bias") }, Attribute("transB", 1L));

    /// <summary>A Conv2d layer with a square kernel and the same padding on every side, parameters <c>{layer}.weight</c> and <c>{layer}.bias</c>.</summary>
    /// <param name="maps">Shape [batch, in, height, width].</param>
    /// <param name="layer">The layer's state_dict path, e.g. "encoderConv.conv1".</param>
    /// <param name="kernelSize">The kernel's height and width.</param>
    /// <param name="stride">The stride in both directions.</param>
    /// <param name="padding">Zero padding on each side.</param>
    public OnnxValue Conv2d(OnnxValue maps, string layer, int kernelSize, int stride, int padding) =>
        Node("Conv", new[] { maps, Parameter(layer + ".weight"), Parameter(layer + ".bias") },
            Ints("kernel_shape", kernelSize, kernelSize), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding));

    /// <summary>
    /// A ConvTranspose2d layer, parameters <c>{layer}.weight</c> [in, out, k, k] and <c>{layer}.bias</c>; its output is
    /// (in - 1) stride - 2 padding + kernelSize + outputPadding wide, as in PyTorch.
    /// </summary>
    /// <param name="maps">Shape [batch, in, height, width].</param>
    /// <param name="layer">The layer's state_dict path, e.g. "decoderConv.deconv1".</param>
    /// <param name="kernelSize">The kernel's height and width.</param>
    /// <param name="stride">The stride in both directions.</param>
    /// <param name="padding">The padding removed from each side.</param>
    /// <param name="outputPadding">Extra rows and columns added at the bottom and right.</param>
    public OnnxValue ConvTranspose2d(OnnxValue maps, string layer, int kernelSize, int stride, int padding, int outputPadding) =>
        Node("ConvTranspose", new[] { maps, Parameter(layer + ".weight"), Parameter(layer + ".bias") },
            Ints("kernel_shape", kernelSize, kernelSize), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding),
            Ints("output_padding", outputPadding, outputPadding));

    /// <summary>
    /// The nonlinearity as TorchSharp's module computes it: LeakyReLU with slope 0.01, ELU with alpha 1, GELU exact
    /// (0.5 x (1 + erf(x / sqrt 2)), written with Erf since ONNX's Gelu needs opset 20), SiLU as x sigmoid(x), Softplus
    /// log(1 + exp(x)); Identity adds no node.
    /// </summary>
    /// <param name="input">Any shape.</param>
    /// <param name="activation">Which one.</param>
    public OnnxValue Activation(OnnxValue input, Activation activation) => activation switch
    {
        VaeGen.Activation.ReLU => Unary("Relu", input),
        VaeGen.Activation.LeakyReLU => Node("LeakyRelu", new[] { input }, Attribute("alpha", 0.01)),
        VaeGen.Activation.Tanh => Unary("Tanh", input),
        VaeGen.Activation.GELU => Mul(Mul(input, Add(Unary("Erf", Mul(input, 0.70710678118654752)), 1.0)), 0.5),
        VaeGen.Activation.SiLU => Mul(input, Unary("Sigmoid", input)),
        VaeGen.Activation.ELU => Node("Elu", new[] { input }, Attribute("alpha", 1.0)),
        VaeGen.Activation.Softplus => Unary("Softplus", input),
        VaeGen.Activation.Sigmoid => Unary("Sigmoid", input),
        VaeGen.Activation.Identity => input,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Not an activation VaeGen knows."),
    };

    /// <summary>sigmoid(x): the Bernoulli mean from its logits.</summary>
    public OnnxValue Sigmoid(OnnxValue input) => Unary("Sigmoid", input);

    /// <summary>exp(x): the Poisson rate from its log-rate.</summary>
    public OnnxValue Exp(OnnxValue input) => Unary("Exp", input);

    /// <summary>[batch, channels * height * width] in channel-major order to [batch, channels, height, width].</summary>
    public OnnxValue ToMaps(OnnxValue flat, int channels, int height, int width) => Reshape(flat, 0, channels, height, width);

    /// <summary>[batch, C, H, W] to [batch, C * H * W], channel-major: the flat layout every model takes and gives.</summary>
    public OnnxValue FromMaps(OnnxValue maps) => Node("Flatten", new[] { maps }, Attribute("axis", 1L));

    /// <summary>[batch, 2C, H, W] to its first and its second C channels, each flattened: the two parameters per pixel of a learned-variance or -scale likelihood.</summary>
    /// <param name="maps">The feature maps.</param>
    /// <param name="channels">C, the image's channels.</param>
    public (OnnxValue First, OnnxValue Second) SplitMaps(OnnxValue maps, int channels)
    {
        var first = Node("Slice", new[] { maps, Int64s(0), Int64s(channels), Int64s(1) });
        var second = Node("Slice", new[] { maps, Int64s(channels), Int64s(2L * channels), Int64s(1) });
        return (FromMaps(first), FromMaps(second));
    }

    /// <summary>
    /// [batch, C * levels, H, W], each image channel's levels consecutive, to [batch, C * H * W, levels]: per-pixel logits
    /// over the levels, pixels in the flat channel-major order.
    /// </summary>
    public OnnxValue FromMapsPerLevel(OnnxValue maps, int channels, int height, int width, int levels)
    {
        var grouped = Reshape(maps, 0, channels, levels, height, width);
        var levelsLast = Node("Transpose", new[] { grouped }, Ints("perm", 0, 1, 3, 4, 2));
        return Reshape(levelsLast, 0, (long)channels * height * width, levels);
    }

    /// <summary>[batch, features * levels], grouped by feature, to [batch, features, levels].</summary>
    public OnnxValue PerLevel(OnnxValue flat, int features, int levels) => Reshape(flat, 0, features, levels);

    /// <summary>
    /// Class labels, int64 [batch], one-hot as float32 [batch, classes]: row i has a 1 at column label_i. The graph does not
    /// check the labels: one outside [0, classes) gives a row of zeros.
    /// </summary>
    public OnnxValue OneHot(OnnxValue labels, int classes)
    {
        var range = new long[classes];
        for (var k = 0; k < classes; k++) range[k] = k;
        var equal = Node("Equal", new[] { Unsqueeze(labels, -1), Int64s(range) });
        return Node("Cast", new[] { equal }, Attribute("to", (long)Onnx.TensorProto.Types.DataType.Float));
    }

    /// <summary>The condition's features appended to a layer's input: [batch, width] and [batch, size] to [batch, width + size].</summary>
    public OnnxValue Append(OnnxValue input, OnnxValue condition) => Node("Concat", new[] { input, condition }, Attribute("axis", 1L));
}
