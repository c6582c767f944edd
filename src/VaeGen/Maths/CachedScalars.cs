using TorchSharp;

namespace VaeGen.Maths;

/// <summary>
/// Constants the maths uses every step, made into native scalars once. An implicit conversion to Scalar creates a
/// native object that only its finalizer frees, and TorchSharp passes its handle to native code without keeping the
/// object alive: the finalizer can free it during the very call that uses it ("Unknown scalar type" from libtorch).
/// These fields keep theirs alive for the process. Use <see cref="Two"/> with <c>pow</c> rather than <c>square()</c>,
/// which is <c>pow(2)</c> with such a temporary.
/// </summary>
internal static class CachedScalars
{
    public static readonly Scalar Zero = 0.0.ToScalar();
    public static readonly Scalar One = 1.0.ToScalar();
    public static readonly Scalar Half = 0.5.ToScalar();
    public static readonly Scalar MinusHalf = (-0.5).ToScalar();
    public static readonly Scalar Two = 2.0.ToScalar();
}
