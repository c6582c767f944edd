using System.Linq;

namespace VaeGen.Generators.Model;

/// <summary>Which part of the model a module belongs to.</summary>
internal enum LayerRole
{
    /// <summary>q(z|x)'s network: convolutions, hidden layers and the mu and log-variance heads.</summary>
    Encoder,

    /// <summary>The flow that follows the Gaussian posterior.</summary>
    Posterior,

    /// <summary>p(x|z)'s network, up to the likelihood's parameters.</summary>
    Decoder,

    /// <summary>A learned prior's parameters.</summary>
    Prior,
}

/// <summary>One module of the built model, as the constructor creates it and the state dict names it.</summary>
/// <param name="Name">Its path in the state dict without the parameter name, e.g. "encoder.linear1" or "decoderConv.deconv2".</param>
/// <param name="Kind">What it is: Linear, Conv2d, ConvTranspose2d, MixturePrior, PseudoInputs, PlanarFlow, InverseAutoregressiveFlow.</param>
/// <param name="Role">Which part of the model it belongs to.</param>
/// <param name="Input">The shape one example gives it, e.g. "784" or "1x28x28"; empty for parameters that take no input.</param>
/// <param name="Output">The shape it gives one example.</param>
/// <param name="OutputValues">Values of <paramref name="Output"/>.</param>
/// <param name="Parameters">Its trainable parameters.</param>
/// <param name="MultiplyAccumulates">Its multiply-accumulates for one example and one sample of z.</param>
internal sealed record PlannedLayer(
    string Name, string Kind, LayerRole Role, string Input, string Output, long OutputValues, long Parameters, long MultiplyAccumulates);

/// <summary>
/// Every module of a model with its shapes and counts, worked out once by validation. The model card, the
/// importance-sampling chunk bound and the exporters read it rather than re-deriving the architecture.
/// </summary>
internal sealed record LayerPlan(EquatableArray<PlannedLayer> Layers)
{
    /// <summary>Trainable parameters of the whole module (checked to fit a long when the plan was made).</summary>
    public long ParameterCount => Layers.Sum(l => l.Parameters);

    /// <summary>Multiply-accumulates of one example's encoder, flow and decoder pass for one sample of z.</summary>
    public long MultiplyAccumulates => Layers.Sum(l => l.MultiplyAccumulates);

    /// <summary>The decoder module with the widest output per example, or null for a decoder without layers.</summary>
    public PlannedLayer? WidestDecoderLayer =>
        Layers.Where(l => l.Role == LayerRole.Decoder).OrderByDescending(l => l.OutputValues).FirstOrDefault();
}
