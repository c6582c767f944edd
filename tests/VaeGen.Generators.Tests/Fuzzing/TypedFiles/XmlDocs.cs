#nullable enable
using VaeGen;

namespace Demo.Documented;

/// <summary>
/// A Laplace VAE of 3x20x12 patches, trained on the importance-weighted bound with <c>k = 4</c>.
/// </summary>
/// <remarks>
/// The decoder's mean goes through a sigmoid, as the patches lie in <c>[0, 1]</c>; see
/// <see cref="Likelihood.LaplaceLearnedScale"/> and <see href="https://arxiv.org/abs/1509.00519">Burda et al.</see>.
/// <para>A planar flow of <b>3</b> steps follows the Gaussian posterior.</para>
/// </remarks>
/// <seealso cref="VaeAttribute"/>
[Vae(720, 8, Likelihood = Likelihood.LaplaceLearnedScale, Objective = Objective.ImportanceWeighted, Samples = 4)]
[ImageInput(3, 20, 12)]
[EncoderConv(8, 3, 2, 1, Activation = Activation.SiLU)]
[Encoder]
[Decoder(Activation = Activation.SiLU, OutputActivation = Activation.Sigmoid)]
[DecoderConvTranspose(3, 3, 2, 1, 1)]
[PlanarFlow(3)] // the flow's steps
public partial class DocumentedPatchVae
{
    /// <summary>Patches per batch; <see langword="const"/> so it can size buffers.</summary>
    /// <value>64.</value>
    public const int BatchSize = 64;
}
