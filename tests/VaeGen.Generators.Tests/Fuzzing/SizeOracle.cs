using System.Collections.Immutable;
using System.Linq;

namespace VaeGen.Generators.Tests.Fuzzing;

/// <summary>One convolution's input and output shapes and its kernel, as <see cref="ImageOracle"/> worked them out.</summary>
internal sealed record ConvShape(long InChannels, long InHeight, long InWidth, long OutChannels, long OutHeight, long OutWidth, long Kernel);

/// <summary>A sound declaration's sizes, everything that decides how many parameters and multiply-accumulates its model has.</summary>
/// <param name="OutputsPerFeature">2 for the likelihoods with a second head (a learned variance or scale), 256 for Categorical256, else 1.</param>
/// <param name="Prior">"MixturePrior" or "VampPrior" with its K, or null for N(0, I).</param>
/// <param name="Flow">"PlanarFlow" or "InverseAutoregressiveFlow" with its steps and hidden size, or null for none.</param>
internal sealed record ModelSizes(
    long InputSize, long LatentSize, long ConditionWidth, ImmutableArray<long> Encoder, ImmutableArray<long> Decoder, int OutputsPerFeature,
    ImmutableArray<ConvShape> EncoderConvs, ImmutableArray<ConvShape> DecoderConvs, (string Kind, long Size)? Prior, (string Kind, long Steps, long Hidden)? Flow);

/// <summary>
/// Whether a model's parameter count or its multiply-accumulates per example come to more than a long holds: VaeGen's VAE0031
/// for a declaration with nothing else wrong (it counts only then). Counted in decimal, as PyTorch counts Linear (in x out
/// weights, out biases), Conv2d and ConvTranspose2d (in x out x k^2 weights, out biases), the flows' and priors' parameters as
/// the README describes them, and one multiply-accumulate per weight use.
/// </summary>
internal static class SizeOracle
{
    public static bool Overflows(ModelSizes model)
    {
        decimal parameters = 0, macs = 0;
        void Linear(decimal input, decimal output)
        {
            parameters += input * output + output;
            macs += input * output;
        }

        foreach (var conv in model.EncoderConvs)
        {
            var weights = (decimal)conv.InChannels * conv.OutChannels * conv.Kernel * conv.Kernel;
            parameters += weights + conv.OutChannels;
            macs += weights * conv.OutHeight * conv.OutWidth;
        }
        var last = model.EncoderConvs.LastOrDefault();
        decimal width = (last is null ? model.InputSize : last.OutChannels * last.OutHeight * last.OutWidth) + model.ConditionWidth;
        foreach (var hidden in model.Encoder)
        {
            Linear(width, hidden);
            width = hidden;
        }
        Linear(width, model.LatentSize);
        Linear(width, model.LatentSize);

        width = model.LatentSize + model.ConditionWidth;
        foreach (var hidden in model.Decoder)
        {
            Linear(width, hidden);
            width = hidden;
        }
        if (model.DecoderConvs.Length > 0)
        {
            var first = model.DecoderConvs[0];
            Linear(width, (decimal)first.InChannels * first.InHeight * first.InWidth);
            for (var i = 0; i < model.DecoderConvs.Length; i++)
            {
                var conv = model.DecoderConvs[i];
                // The last layer is widened to the likelihood's outputs per pixel.
                var outChannels = (decimal)conv.OutChannels * (i == model.DecoderConvs.Length - 1 ? model.OutputsPerFeature : 1);
                var weights = conv.InChannels * outChannels * conv.Kernel * conv.Kernel;
                parameters += weights + outChannels;
                macs += weights * conv.InHeight * conv.InWidth;
            }
        }
        else if (model.OutputsPerFeature == 2)
        {
            Linear(width, model.InputSize);
            Linear(width, model.InputSize);
        }
        else Linear(width, (decimal)model.InputSize * model.OutputsPerFeature);

        decimal latent = model.LatentSize;
        switch (model.Flow)
        {
            case ("PlanarFlow", var steps, _):
                // Per step u and w (D each) and b.
                parameters += steps * (2 * latent + 1);
                macs += steps * 2 * latent;
                break;
            case ("InverseAutoregressiveFlow", var steps, var hidden):
                // Per step a MADE: D -> H, H -> H, and two heads H -> D, each with biases.
                parameters += steps * (3 * hidden * latent + (decimal)hidden * hidden + 2 * hidden + 2 * latent);
                macs += steps * (3 * hidden * latent + (decimal)hidden * hidden);
                break;
        }
        switch (model.Prior)
        {
            case ("MixturePrior", var components):
                parameters += components * (2 * latent + 1);
                break;
            case ("VampPrior", var pseudoInputs):
                parameters += pseudoInputs * ((decimal)model.InputSize + model.ConditionWidth);
                break;
        }
        return parameters > long.MaxValue || macs > long.MaxValue;
    }
}
