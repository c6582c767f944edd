namespace VaeGen;

/// <summary>
/// What the data of a model is, declared with <see cref="VaeAttribute.Data"/> so the generator can check at compile time
/// that the likelihood can describe it (a Poisson cannot model grey levels, a Bernoulli cannot model real values).
/// </summary>
/// <remarks>The numeric values are part of the generator's contract; never renumber them.</remarks>
public enum DataKind
{
    /// <summary>Not declared: only the run-time checks apply.</summary>
    Unspecified = 0,

    /// <summary>Values 0 and 1.</summary>
    Binary = 1,

    /// <summary>Any value in [0, 1], such as grey levels divided by 255.</summary>
    UnitInterval = 2,

    /// <summary>8-bit levels scaled to [0, 1]: exactly k / 255 for an integer k in [0, 255].</summary>
    Levels256 = 3,

    /// <summary>Non-negative integer counts.</summary>
    Counts = 4,

    /// <summary>Any real value.</summary>
    Real = 5,
}
