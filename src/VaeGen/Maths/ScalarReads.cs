using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Reads a one-element tensor as a number without a native Scalar. TorchSharp's <c>ToDouble</c> and <c>ToBoolean</c>
/// go through a temporary Scalar that its finalizer can free while native code still reads it (see
/// <see cref="CachedScalars"/>); <c>item</c> copies the value out directly.
/// </summary>
internal static class ScalarReads
{
    /// <summary>The value of a one-element tensor of any real or boolean dtype, as a double.</summary>
    public static double ReadDouble(this Tensor value) => value.dtype switch
    {
        ScalarType.Float64 => value.item<double>(),
        ScalarType.Float32 => value.item<float>(),
        ScalarType.Int64 => value.item<long>(),
        ScalarType.Int32 => value.item<int>(),
        ScalarType.Int16 => value.item<short>(),
        ScalarType.Int8 => value.item<sbyte>(),
        ScalarType.Byte => value.item<byte>(),
        ScalarType.Bool => value.item<bool>() ? 1.0 : 0.0,
        _ => ReadWidened(value),
    };

    /// <summary>The value of a one-element boolean tensor.</summary>
    public static bool ReadBoolean(this Tensor value) => value.item<bool>();

    private static double ReadWidened(Tensor value)
    {
        using var wide = value.to_type(ScalarType.Float64);
        return wide.item<double>();
    }
}
