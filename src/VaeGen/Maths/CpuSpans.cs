using System;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>The elements of a contiguous CPU tensor as a span over its own memory, for C# passes that read or write it in place.</summary>
internal static class CpuSpans
{
    /// <summary>A float32 tensor's elements (a view's, from its offset).</summary>
    public static Span<float> Floats(Tensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.bytes);

    /// <summary>A float64 tensor's elements (a view's, from its offset).</summary>
    public static Span<double> Doubles(Tensor tensor) => MemoryMarshal.Cast<byte, double>(tensor.bytes);
}
