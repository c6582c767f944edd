using System;

namespace VaeGen;

/// <summary>
/// One transposed-convolution layer of the decoder (<c>ConvTranspose2d</c>), applied in the order the attributes are
/// written, after the dense layers of <see cref="DecoderAttribute"/>. The decoder starts from the shape the encoder's
/// convolutions end with; each layer's output follows PyTorch's rule
/// (size - 1) * stride - 2 * padding + kernel + outputPadding, worked out at compile time, and the last layer must
/// give back the input image.
/// </summary>
/// <remarks>
/// Every layer but the last is followed by <see cref="Activation"/>. The last layer's <see cref="OutChannels"/> is the
/// image's channel count; the generator widens it to the number of likelihood parameters per pixel (2 for a learned
/// variance or scale, 256 for <see cref="Likelihood.Categorical256"/>).
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class DecoderConvTransposeAttribute : Attribute
{
    /// <summary>Declares a transposed convolution.</summary>
    /// <param name="outChannels">Feature maps the layer produces; for the last layer, the image's channels.</param>
    /// <param name="kernelSize">Side of the square kernel.</param>
    /// <param name="stride">Upsampling factor.</param>
    /// <param name="padding">Rows and columns removed from every side of the full output.</param>
    /// <param name="outputPadding">Rows and columns added on one side, to reach sizes a stride above 1 cannot otherwise reach; less than the stride.</param>
    public DecoderConvTransposeAttribute(int outChannels, int kernelSize, int stride = 1, int padding = 0, int outputPadding = 0)
    {
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
    }

    /// <summary>Feature maps the layer produces.</summary>
    public int OutChannels { get; }

    /// <summary>Side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Upsampling factor.</summary>
    public int Stride { get; }

    /// <summary>Rows and columns removed from every side of the full output.</summary>
    public int Padding { get; }

    /// <summary>Rows and columns added on one side of the output.</summary>
    public int OutputPadding { get; }

    /// <summary>The nonlinearity after the layer (not after the last one). Default: <see cref="VaeGen.Activation.ReLU"/>.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;
}
