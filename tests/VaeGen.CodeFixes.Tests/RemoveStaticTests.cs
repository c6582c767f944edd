using System.Threading.Tasks;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0002: "Remove 'static' from 'X'".</summary>
public sealed class RemoveStaticTests
{
    private static readonly RemoveStaticCodeFixProvider Provider = new();

    [Fact]
    public Task BetweenOtherModifiers() => CodeFixVerifier.VerifyAsync(Provider, "VAE0002", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public static partial class Frozen
        {
            public static int Count => 1;
        }
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Frozen
        {
            public static int Count => 1;
        }
        """, "Remove 'static' from 'Frozen'");

    [Fact]
    public Task FirstModifier_HandsOverItsIndentation() => CodeFixVerifier.VerifyAsync(Provider, "VAE0002", """
        using VaeGen;

        namespace Models
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            static partial class Frozen;
        }
        """, """
        using VaeGen;

        namespace Models
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            partial class Frozen;
        }
        """, "Remove 'static' from 'Frozen'");
}
