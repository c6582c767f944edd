using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Tensor addition without a garbage-collected native object per call. TorchSharp 0.107's <c>add(Tensor)</c>,
/// <c>add_(Tensor)</c>, <c>add_(Scalar)</c> and <c>operator +</c> pass an alpha of 1 by converting the number to a new
/// native <c>Scalar</c> every time, which only the .NET garbage collector frees; these pass a cached one instead.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Addition
{
    /// <summary>a + b, a new tensor.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, CachedScalars.One);

    /// <summary>a + b for a scalar b, a new tensor.</summary>
    public static Tensor Plus(this Tensor a, Scalar b) => a.add(b, CachedScalars.One);

    /// <summary>a += b, in place.</summary>
    public static Tensor Plus_(this Tensor a, Tensor b) => a.add_(b, CachedScalars.One);

    /// <summary>a += b for a scalar b, in place.</summary>
    public static Tensor Plus_(this Tensor a, Scalar b) => a.add_(b, CachedScalars.One);
}
