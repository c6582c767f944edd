using System;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// Moves between the flat feature layout every generated model takes and returns ([..., C * H * W], channel-major) and
/// the [n, C, H, W] feature maps its convolutions work on. Leading dimensions (batch, or samples and batch) are folded
/// into n on the way in and restored on the way out.
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ImageLayout
{
    /// <summary>[..., channels * height * width] to [n, channels, height, width].</summary>
    /// <param name="flat">Features in channel-major order.</param>
    /// <param name="channels">Channels of a map.</param>
    /// <param name="height">Rows of a map.</param>
    /// <param name="width">Columns of a map.</param>
    /// <remarks>
    /// On the CPU the maps are laid out channels-last (each pixel's channels side by side in memory; the shape and the
    /// values are the same): oneDNN, which libtorch calls for convolutions, has faster kernels for that layout (a training
    /// step of the sample's convolutional model took 0.75-0.84 of its channels-first time), and each convolution's output
    /// keeps its input's layout. A single-channel image is already in both layouts and is only given the strides that
    /// say so; more channels cost one copy.
    /// </remarks>
    public static Tensor ToMaps(Tensor flat, long channels, long height, long width)
    {
        var maps = flat.reshape(-1, channels, height, width);
        if (!ChannelsLast || maps.device_type != DeviceType.CPU) return maps;
        using (maps)
        {
            if (channels == 1)
            {
                using var contiguous = maps.contiguous();
                // The offset is given: TorchSharp's as_strided starts at the storage's first element otherwise, which a
                // batch narrowed from a larger tensor does not.
                return contiguous.as_strided(contiguous.shape, new[] { height * width, 1, width, 1 }, contiguous.storage_offset());
            }
            using var pixels = maps.permute(0, 2, 3, 1);
            using var packed = pixels.contiguous();
            return packed.permute(0, 3, 1, 2);
        }
    }

    // Stored inverted so that every thread starts channels-last: a [ThreadStatic] field starts at false on each thread.
    [ThreadStatic] private static bool channelsFirst;

    /// <summary>Whether <see cref="ToMaps"/> lays CPU maps out channels-last on this thread (off for tests and benchmarks that compare the layouts).</summary>
    internal static bool ChannelsLast
    {
        get => !channelsFirst;
        set => channelsFirst = !value;
    }

    /// <summary>Runs <paramref name="run"/> with <see cref="ChannelsLast"/> set as given on this thread, then puts it back as it was.</summary>
    internal static T InLayout<T>(bool channelsLast, Func<T> run)
    {
        var before = ChannelsLast;
        ChannelsLast = channelsLast;
        try
        {
            return run();
        }
        finally
        {
            ChannelsLast = before;
        }
    }

    /// <summary>[n, C, H, W] back to the leading dimensions of <paramref name="like"/> followed by C * H * W features.</summary>
    /// <param name="maps">Feature maps.</param>
    /// <param name="like">A tensor whose dimensions but the last give the leading shape.</param>
    public static Tensor FromMaps(Tensor maps, Tensor like) => maps.reshape(Leading(like, maps.shape[1] * maps.shape[2] * maps.shape[3]));

    /// <summary>
    /// Splits [n, 2C, H, W] into its first and second C channels, each in the flat layout: the two parameters per pixel of
    /// a likelihood with a learned variance or scale.
    /// </summary>
    /// <param name="maps">Feature maps with twice the image's channels.</param>
    /// <param name="like">A tensor whose dimensions but the last give the leading shape.</param>
    public static (Tensor First, Tensor Second) SplitMaps(Tensor maps, Tensor like)
    {
        var half = maps.shape[1] / 2;
        using var first = maps.narrow(1, 0, half);
        using var second = maps.narrow(1, half, half);
        return (FromMaps(first, like), FromMaps(second, like));
    }

    /// <summary>
    /// [n, C * levels, H, W] to the leading dimensions of <paramref name="like"/> followed by [C * H * W, levels]: per-pixel
    /// logits over the levels, pixels in the flat channel-major order.
    /// </summary>
    /// <param name="maps">Feature maps whose channels hold, per image channel, one map per level.</param>
    /// <param name="like">A tensor whose dimensions but the last give the leading shape.</param>
    /// <param name="levels">Levels per pixel.</param>
    public static Tensor FromMapsPerLevel(Tensor maps, Tensor like, long levels)
    {
        var (n, channels, height, width) = (maps.shape[0], maps.shape[1] / levels, maps.shape[2], maps.shape[3]);
        using var grouped = maps.reshape(n, channels, levels, height, width);
        using var levelsLast = grouped.permute(0, 1, 3, 4, 2);
        return levelsLast.reshape(Leading(like, channels * height * width, levels));
    }

    /// <summary>[..., features * levels] to [..., features, levels].</summary>
    /// <param name="flat">Logits grouped by feature.</param>
    /// <param name="levels">Levels per feature.</param>
    public static Tensor PerLevel(Tensor flat, long levels) => flat.reshape(Leading(flat, flat.shape[^1] / levels, levels));

    private static long[] Leading(Tensor like, params long[] trailing)
    {
        var shape = like.shape;
        if (shape.Length == 0) throw new ArgumentException("Expected a tensor with at least one dimension.", nameof(like));
        return shape.Take(shape.Length - 1).Concat(trailing).ToArray();
    }
}
