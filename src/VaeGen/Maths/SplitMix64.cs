namespace VaeGen.Maths;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a Weyl sequence (a counter stepped by <see cref="Gamma"/>) passed through
/// <see cref="Mix"/>. Its values depend on the seed alone, on every machine and .NET version (System.Random's seeded
/// sequence is not promised to stay the same), and the n-th one can be computed without the n - 1 before it.
/// </summary>
internal static class SplitMix64
{
    /// <summary>The Weyl sequence's step: 2^64 over the golden ratio, odd.</summary>
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The finalizer's first multiplier.</summary>
    public const ulong Multiplier1 = 0xBF58476D1CE4E5B9UL;

    /// <summary>The finalizer's second multiplier.</summary>
    public const ulong Multiplier2 = 0x94D049BB133111EBUL;

    /// <summary>The finalizer: a bijection of 64-bit values whose outputs for a Weyl sequence of inputs pass BigCrush.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * Multiplier1;
        z = (z ^ (z >> 27)) * Multiplier2;
        return z ^ (z >> 31);
    }
}
