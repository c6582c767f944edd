using System;

namespace VaeGen;

/// <summary>
/// One convolutional layer of the encoder (<c>Conv2d</c> then <see cref="Activation"/>), applied in the order the attributes
/// are written, before the dense layers of <see cref="EncoderAttribute"/>. Each layer's output shape follows PyTorch's rule
/// floor((size + 2 * padding - kernel) / stride) + 1, worked out at compile time.
/// </summary>
/// <remarks>Needs <see cref="ImageInputAttribute"/>.</remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EncoderConvAttribute : Attribute
{
    /// <summary>Declares a convolution.</summary>
    /// <param name="outChannels">Feature maps the layer produces.</param>
    /// <param name="kernelSize">Side of the square kernel.</param>
    /// <param name="stride">Step between kernel positions.</param>
    /// <param name="padding">Zeros added on every side.</param>
    public EncoderConvAttribute(int outChannels, int kernelSize, int stride = 1, int padding = 0)
    {
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
    }

    /// <summary>Feature maps the layer produces.</summary>
    public int OutChannels { get; }

    /// <summary>Side of the square kernel.</summary>
    public int KernelSize { get; }

    /// <summary>Step between kernel positions.</summary>
    public int Stride { get; }

    /// <summary>Zeros added on every side.</summary>
    public int Padding { get; }

    /// <summary>The nonlinearity after the convolution. Default: <see cref="VaeGen.Activation.ReLU"/>.</summary>
    public Activation Activation { get; set; } = Activation.ReLU;
}
