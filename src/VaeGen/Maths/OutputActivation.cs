using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Output activations that TorchSharp would compute with a temporary native Scalar: its functional
/// <c>leaky_relu(Tensor, double)</c> converts the slope on every call, and that Scalar can be finalized while libtorch
/// reads it (see <see cref="CachedScalars"/>). These pass a cached one.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OutputActivation
{
    /// <summary>nn.LeakyReLU's default slope, which the generated layers use; the compiled step's derivative uses it too.</summary>
    internal const float LeakyReluSlope = 0.01f;

    private static readonly Scalar LeakySlope = ((double)LeakyReluSlope).ToScalar();

    /// <summary>LeakyReLU with nn.LeakyReLU's default slope, 0.01: x for x &gt;= 0, 0.01 x below.</summary>
    public static Tensor LeakyRelu(Tensor x) => x.leaky_relu(LeakySlope);
}
