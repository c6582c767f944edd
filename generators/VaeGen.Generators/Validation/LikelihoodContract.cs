using System.Linq;
using VaeGen.Generators.Model;

namespace VaeGen.Generators.Validation;

/// <summary>
/// What each likelihood can describe, and what its decoder outputs: the compile-time half of the likelihood–data
/// contract (the generated code checks the data itself at run time). The facts live in <see cref="LikelihoodFacts"/>.
/// </summary>
internal static class LikelihoodContract
{
    /// <summary>Parameters the decoder gives per feature: 2 for a learned variance or scale, 256 for the categorical.</summary>
    public static int ParametersPerFeature(LikelihoodKind likelihood) => LikelihoodFacts.All[likelihood].OutputsPerFeature;

    /// <summary>Null when the likelihood can describe the declared data; otherwise what it models and what to do instead.</summary>
    public static (string Models, string Advice)? Mismatch(LikelihoodKind likelihood, DataKindValue data)
    {
        var facts = LikelihoodFacts.All[likelihood];
        return data == DataKindValue.Unspecified || facts.Describes is null || facts.Describes.Contains(data)
            ? null
            : (facts.Models, facts.Advice);
    }

    /// <summary>Null when an output activation may follow the decoder; otherwise what its outputs are.</summary>
    public static string? UnboundedOutputs(LikelihoodKind likelihood) => LikelihoodFacts.All[likelihood].UnboundedOutputs;
}
