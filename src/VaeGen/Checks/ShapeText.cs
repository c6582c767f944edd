namespace VaeGen.Checks;

/// <summary>Shapes as every message writes them: [2, 784].</summary>
internal static class ShapeText
{
    /// <summary>"[2, 784]".</summary>
    public static string Of<T>(System.Collections.Generic.IEnumerable<T> shape) => $"[{string.Join(", ", shape)}]";
}
