// Three models of one short name: the checkpoint identity must tell them apart by full name and architecture.

namespace VaeGen.Tests.Checkpoints.Original
{
    /// <summary>The model that writes the checkpoint.</summary>
    [Vae(12, 3)]
    [Encoder(16)]
    [Decoder(16)]
    public partial class ShapeVae;
}

namespace VaeGen.Tests.Checkpoints.Wider
{
    /// <summary>The same model with a wider decoder layer: 24 units instead of 16.</summary>
    [Vae(12, 3)]
    [Encoder(16)]
    [Decoder(24)]
    public partial class ShapeVae;
}

namespace VaeGen.Tests.Checkpoints.Elsewhere
{
    /// <summary>The same architecture in another namespace: another model all the same.</summary>
    [Vae(12, 3)]
    [Encoder(16)]
    [Decoder(16)]
    public partial class ShapeVae;
}
