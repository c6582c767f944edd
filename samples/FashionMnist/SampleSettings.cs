namespace FashionMnistSample;

/// <summary>How the pixels are scored by the Bernoulli likelihood.</summary>
public enum Protocol
{
    /// <summary>
    /// Each training pass sees a fresh Bernoulli draw of the grey levels, and the test set is binarized once with a fixed
    /// seed: the targets are binary, so the -ELBO and the importance-weighted estimate are true log-likelihood bounds.
    /// </summary>
    Binarized,

    /// <summary>
    /// Grey levels used directly as Bernoulli targets (binary cross-entropy summed over pixels, as in pytorch/examples):
    /// comparable with that example, but not the likelihood of a data set.
    /// </summary>
    Grayscale,
}

/// <summary>The sample's command-line settings.</summary>
/// <param name="Model">Which model family to train.</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="LatentSize">Latent dimensions; one of <see cref="Models.LatentSizesOf"/> the model kind.</param>
/// <param name="Output">Folder for pictures, metrics, model and checkpoint.</param>
/// <param name="Data">A folder with the Fashion-MNIST IDX files, or null to search.</param>
/// <param name="Seed">Seeds initialization, shuffling, noise and binarization.</param>
/// <param name="Resume">Continue from the checkpoint in the output folder; false starts over and replaces it.</param>
/// <param name="Protocol">How pixels are scored.</param>
/// <param name="BatchSize">Examples per step.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Threads">TorchSharp's intra-op threads.</param>
/// <param name="ImportanceSamples">k of the importance-weighted log-likelihood on the test set; 0 skips it.</param>
/// <param name="ImportanceExamples">How many test examples the importance-weighted estimate covers (from the start).</param>
/// <param name="TensorBoard">A folder for TensorBoard event files, or null for none.</param>
public sealed record SampleSettings(
    ModelKind Model,
    int Epochs,
    int LatentSize,
    string Output,
    string? Data,
    long Seed,
    bool Resume,
    Protocol Protocol,
    int BatchSize,
    double LearningRate,
    int Threads,
    int ImportanceSamples,
    int ImportanceExamples,
    string? TensorBoard);
