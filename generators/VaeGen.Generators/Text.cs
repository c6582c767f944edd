using System.Globalization;

namespace VaeGen.Generators;

/// <summary>Small text helpers the validator's messages and the emitter's code share.</summary>
internal static class Text
{
    /// <summary>The text with its first letter in upper case.</summary>
    public static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);

    /// <summary>"1 channel", "3 channels".</summary>
    public static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>A double as a C# literal: round-trip digits, always with a decimal point or exponent.</summary>
    public static string DoubleLiteral(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains(".") || text.Contains("E") ? text : text + ".0";
    }
}
