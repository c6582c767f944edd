using System;

namespace VaeGen.Imaging;

/// <summary>Chooses and applies a PNG filter for one row at a time, reusing its buffers between rows.</summary>
internal sealed class RowFilter
{
    private const int FilterTypes = 5;

    private readonly int bytesPerPixel;
    private readonly byte[][] candidates;

    public RowFilter(int rowBytes, int bytesPerPixel)
    {
        this.bytesPerPixel = bytesPerPixel;
        candidates = new byte[FilterTypes][];
        for (var type = 0; type < FilterTypes; type++)
            candidates[type] = new byte[rowBytes + 1];
    }

    /// <summary>The filtered row, led by its filter-type byte; <paramref name="previous"/> is empty for the top row.</summary>
    public ReadOnlySpan<byte> Apply(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous)
    {
        var best = 0;
        var bestCost = long.MaxValue;
        for (var type = 0; type < FilterTypes; type++)
        {
            var output = candidates[type];
            output[0] = (byte)type;
            long cost = 0;
            for (var i = 0; i < row.Length; i++)
            {
                int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                int up = previous.IsEmpty ? 0 : previous[i];
                int upLeft = i >= bytesPerPixel && !previous.IsEmpty ? previous[i - bytesPerPixel] : 0;
                var value = (byte)(row[i] - Predict(type, left, up, upLeft));
                output[i + 1] = value;
                cost += Math.Abs((int)(sbyte)value);
            }
            if (cost < bestCost)
            {
                best = type;
                bestCost = cost;
            }
        }
        return candidates[best];
    }

    private static int Predict(int type, int left, int up, int upLeft) => type switch
    {
        0 => 0,
        1 => left,
        2 => up,
        3 => (left + up) >> 1,
        _ => Paeth(left, up, upLeft),
    };

    // The neighbour closest to left + up - upLeft, ties going to left, then up.
    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        if (toLeft <= toUp && toLeft <= toUpLeft)
            return left;
        return toUp <= toUpLeft ? up : upLeft;
    }
}
