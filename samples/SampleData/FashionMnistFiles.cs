namespace SampleData;

/// <summary>The four Fashion-MNIST files that were found, and where.</summary>
/// <param name="Directory">The directory holding the files.</param>
/// <param name="Origin">Which search location the directory is.</param>
/// <param name="TrainImages">The training images file, plain or gzip.</param>
/// <param name="TrainLabels">The training labels file, plain or gzip.</param>
/// <param name="TestImages">The test images file, plain or gzip.</param>
/// <param name="TestLabels">The test labels file, plain or gzip.</param>
public sealed record FashionMnistFiles(
    string Directory,
    FashionMnistOrigin Origin,
    string TrainImages,
    string TrainLabels,
    string TestImages,
    string TestLabels)
{
    /// <summary>True when the files are the small subset committed with the sample rather than a full copy.</summary>
    public bool IsBundledSubset => Origin == FashionMnistOrigin.BundledSubset;
}
