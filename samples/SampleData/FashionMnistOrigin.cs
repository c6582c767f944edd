namespace SampleData;

/// <summary>Where <see cref="FashionMnist.Locate"/> found the Fashion-MNIST files.</summary>
public enum FashionMnistOrigin
{
    /// <summary>The directory the caller named.</summary>
    ExplicitDirectory,

    /// <summary>The system-wide copy installed by the Debian package <c>dataset-fashion-mnist</c>.</summary>
    SystemPackage,

    /// <summary>The small subset committed with the sample, used when no full copy is installed.</summary>
    BundledSubset,
}
