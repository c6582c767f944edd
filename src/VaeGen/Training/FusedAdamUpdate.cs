using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VaeGen.Training;

/// <summary>
/// Adam's update as one pass over memory: for each element, read the parameter, gradient and both moments once and
/// write the parameter and moments once, where the eight tensor operations of the general path read and write the
/// flat buffers about twenty times. Vector512 where the processor has it, Vector256 otherwise, scalars for the tail.
/// </summary>
/// <remarks>
/// Each element is computed with the same float32 operations in the same order in every lane width and in the tail
/// (multiplies and adds, never fused into FMA; IEEE square root and division), so the result does not depend on the
/// processor's vector width or on where a buffer starts: a run is reproducible on any x64 or Arm machine.
/// </remarks>
internal static class FusedAdamUpdate
{
    /// <summary>
    /// m = b1 m + (1 - b1) g;  v = b2 v + ((1 - b2) g) g;  p += stepSize * m / (sqrt(v) * rootCorrection + eps),
    /// with stepSize = -lr / (1 - b1^t) and rootCorrection = 1 / sqrt(1 - b2^t). The caller rounds every constant to
    /// float32 from its double value (1 - b1 too, not 1 - (float)b1), as libtorch does with the general path's scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(
        Span<float> parameters, ReadOnlySpan<float> gradients, Span<float> firstMoment, Span<float> secondMoment,
        float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float stepSize, float rootCorrection, float eps)
    {
        var length = parameters.Length;
        if (gradients.Length != length || firstMoment.Length != length || secondMoment.Length != length)
            throw new ArgumentException($"The flat buffers differ in length: parameters {length}, gradients {gradients.Length}, moments {firstMoment.Length} and {secondMoment.Length}.");

        ref var p = ref MemoryMarshal.GetReference(parameters);
        ref var g = ref MemoryMarshal.GetReference(gradients);
        ref var m = ref MemoryMarshal.GetReference(firstMoment);
        ref var v = ref MemoryMarshal.GetReference(secondMoment);
        nuint i = 0;
        var n = (nuint)length;

        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(beta1);
            var c1 = Vector512.Create(oneMinusBeta1);
            var b2 = Vector512.Create(beta2);
            var c2 = Vector512.Create(oneMinusBeta2);
            var step = Vector512.Create(stepSize);
            var root = Vector512.Create(rootCorrection);
            var epsilon = Vector512.Create(eps);
            for (; i + (nuint)Vector512<float>.Count <= n; i += (nuint)Vector512<float>.Count)
            {
                var gi = Vector512.LoadUnsafe(ref g, i);
                var mi = Vector512.LoadUnsafe(ref m, i) * b1 + c1 * gi;
                var vi = Vector512.LoadUnsafe(ref v, i) * b2 + c2 * gi * gi;
                var pi = Vector512.LoadUnsafe(ref p, i) + step * mi / (Vector512.Sqrt(vi) * root + epsilon);
                mi.StoreUnsafe(ref m, i);
                vi.StoreUnsafe(ref v, i);
                pi.StoreUnsafe(ref p, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1);
            var c1 = Vector256.Create(oneMinusBeta1);
            var b2 = Vector256.Create(beta2);
            var c2 = Vector256.Create(oneMinusBeta2);
            var step = Vector256.Create(stepSize);
            var root = Vector256.Create(rootCorrection);
            var epsilon = Vector256.Create(eps);
            for (; i + (nuint)Vector256<float>.Count <= n; i += (nuint)Vector256<float>.Count)
            {
                var gi = Vector256.LoadUnsafe(ref g, i);
                var mi = Vector256.LoadUnsafe(ref m, i) * b1 + c1 * gi;
                var vi = Vector256.LoadUnsafe(ref v, i) * b2 + c2 * gi * gi;
                var pi = Vector256.LoadUnsafe(ref p, i) + step * mi / (Vector256.Sqrt(vi) * root + epsilon);
                mi.StoreUnsafe(ref m, i);
                vi.StoreUnsafe(ref v, i);
                pi.StoreUnsafe(ref p, i);
            }
        }

        for (; i < n; i++)
        {
            var gi = Unsafe.Add(ref g, i);
            var mi = Unsafe.Add(ref m, i) * beta1 + oneMinusBeta1 * gi;
            var vi = Unsafe.Add(ref v, i) * beta2 + oneMinusBeta2 * gi * gi;
            Unsafe.Add(ref m, i) = mi;
            Unsafe.Add(ref v, i) = vi;
            Unsafe.Add(ref p, i) += stepSize * mi / (MathF.Sqrt(vi) * rootCorrection + eps);
        }
    }
}
