using System;
using System.ComponentModel;
using System.Linq;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>Straight lines through latent space, for looking at what a model has learned between two examples.</summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Interpolation
{
    /// <summary>
    /// Evenly spaced points from <paramref name="from"/> to <paramref name="to"/>, both ends included:
    /// (1 - t) * from + t * to for t = 0, 1 / (steps - 1), ..., 1.
    /// </summary>
    /// <param name="from">The start, any shape.</param>
    /// <param name="to">The end, the shape of <paramref name="from"/>.</param>
    /// <param name="steps">Points on the line, at least 2.</param>
    /// <returns>Shape [steps, ...the shape of from].</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 2.</exception>
    public static Tensor Linear(Tensor from, Tensor to, int steps)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "An interpolation needs at least 2 steps, its two ends.");
        using var scope = NewDisposeScope();
        var t = linspace(0, 1, steps, dtype: from.dtype, device: from.device)
            .reshape(new[] { (long)steps }.Concat(Enumerable.Repeat(1L, (int)from.dim())).ToArray());
        return from.unsqueeze(0).lerp(to.unsqueeze(0), t).MoveToOuterDisposeScope();
    }
}
