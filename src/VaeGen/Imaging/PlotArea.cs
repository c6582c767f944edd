namespace VaeGen.Imaging;

/// <summary>The framed plotting area of a panel in pixels (edges inclusive) and the data ranges it shows.</summary>
internal sealed record PlotArea(int Left, int Top, int Right, int Bottom, AxisScale X, AxisScale Y)
{
    /// <summary>The continuous horizontal pixel coordinate of <paramref name="x"/>; the axis ends fall on the centres of the frame's pixels.</summary>
    public double ToPixelX(double x) => Left + 0.5 + X.Fraction(x) * (Right - Left);

    /// <summary>The continuous vertical pixel coordinate of <paramref name="y"/>, larger values higher up.</summary>
    public double ToPixelY(double y) => Bottom + 0.5 - Y.Fraction(y) * (Bottom - Top);
}
