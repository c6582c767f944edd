using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Emitting;

/// <summary>
/// Keeps generated file names unique. Roslyn compares hint names ignoring case, so two models whose names differ only in
/// case (Model and model) would collide; those, and only those, get a stable hash of their exact name appended.
/// </summary>
internal static class HintNames
{
    /// <summary>What every generated file name ends with.</summary>
    public const string Suffix = ".Vae.g.cs";

    /// <summary>The hint names that equal another one when case is ignored, in ordinal order.</summary>
    public static EquatableArray<string> CaseInsensitiveCollisions(ImmutableArray<string> hintNames) =>
        hintNames
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToEquatableArray();

    /// <summary>The hint name itself, or, when it collides, the name with an FNV-1a hash of its exact spelling.</summary>
    public static string Unique(string hintName, EquatableArray<string> collisions)
    {
        if (!collisions.Contains(hintName)) return hintName;
        var hash = 2166136261u;
        foreach (var character in hintName) hash = unchecked((hash ^ character) * 16777619u);
        return hintName.Substring(0, hintName.Length - Suffix.Length) + "." + hash.ToString("x8", CultureInfo.InvariantCulture) + Suffix;
    }
}
