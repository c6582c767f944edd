using System;
using System.Collections.Generic;
using TorchSharp;
using VaeGen;
using static TorchSharp.torch;

namespace Demo.Sensors
{
    /// <summary>Something that names its input channels.</summary>
    public interface IHasChannels
    {
        /// <summary>The names of the channels, in input order.</summary>
        IReadOnlyList<string> Channels { get; }
    }

    namespace Models
    {
        /// <summary>Holds the sensor models.</summary>
        public static partial class Zoo
        {
            /// <summary>A Poisson model of event counts with an inverse autoregressive flow and a mixture prior.</summary>
            [Vae(48, 6, Likelihood = Likelihood.Poisson, Data = DataKind.Counts, Beta = 0.5)]
            [Encoder(64, 32)]
            [Decoder(32, 64)]
            [InverseAutoregressiveFlow(2, 32)]
            [MixturePrior(4)]
            public partial class CountsVae : IHasChannels
            {
                /// <inheritdoc />
                public IReadOnlyList<string> Channels { get; init; } = Array.Empty<string>();

                /// <summary>A batch of zeros shaped like the input.</summary>
                public static Tensor Zeros(long batch) => zeros(batch, 48);
            }
        }
    }
}
