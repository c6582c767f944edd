using TorchSharp;

namespace VaeGen.Maths;

/// <summary>
/// Constants the maths uses every step, made into native scalars once: an implicit double-to-Scalar conversion creates
/// a native object that only the garbage collector frees, and thousands of those fragment the native heap.
/// </summary>
internal static class CachedScalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
}
