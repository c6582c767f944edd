using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0018: "Add ': this()'" and "Replace ': base(...)' with ': this()'".</summary>
public sealed class ChainToThisTests
{
    private static readonly ChainToThisCodeFixProvider Provider = new();

    [Fact]
    public Task NoInitializer_BraceOnNextLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0018", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            /// <summary>Remembers the seed.</summary>
            public Seeded(int seed)
            {
                Seed = seed;
            }

            public int Seed { get; }
        }
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            /// <summary>Remembers the seed.</summary>
            public Seeded(int seed) : this()
            {
                Seed = seed;
            }

            public int Seed { get; }
        }
        """, "Add ': this()'");

    [Fact]
    public Task NoInitializer_ExpressionBodyAndComment() => CodeFixVerifier.VerifyAsync(Provider, "VAE0018", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed) /* keeps the seed */ => Seed = seed;

            public int Seed { get; }
        }
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed) : this() /* keeps the seed */ => Seed = seed;

            public int Seed { get; }
        }
        """, "Add ': this()'");

    [Fact]
    public Task BaseInitializer_OnItsOwnLine_IsReplaced() => CodeFixVerifier.VerifyAsync(Provider, "VAE0018", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed)
                : base()
            {
                Seed = seed;
            }

            public int Seed { get; }
        }
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed)
                : this()
            {
                Seed = seed;
            }

            public int Seed { get; }
        }
        """, "Replace ': base(...)' with ': this()'");

    [Fact]
    public Task SecondOfTwoConstructors_OnlyThatOne() => CodeFixVerifier.VerifyAsync(Provider, "VAE0018", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed) { Seed = seed; }
            public Seeded(string seed) { Seed = seed.Length; }
            public int Seed { get; }
        }
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public Seeded(int seed) { Seed = seed; }
            public Seeded(string seed) : this() { Seed = seed.Length; }
            public int Seed { get; }
        }
        """, "Add ': this()'", expectValidModel: false, occurrence: 1);

    [Fact]
    public async Task FixAll_BothForms()
    {
        var project = CodeFixHarness.CreateProject("""
            using VaeGen;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Seeded
            {
                public Seeded(int seed)
                {
                    Seed = seed;
                }

                public Seeded(string seed) : base() => Seed = seed.Length;

                public int Seed { get; }
            }
            """);
        var fixedProject = await CodeFixVerifier.FixAllAsync(
            Provider, project, "VAE0018", ChainToThisCodeFixProvider.EquivalenceKey, FixAllScope.Document);
        await CodeFixVerifier.AssertFixedAsync(fixedProject, """
            using VaeGen;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Seeded
            {
                public Seeded(int seed) : this()
                {
                    Seed = seed;
                }

                public Seeded(string seed) : this() => Seed = seed.Length;

                public int Seed { get; }
            }
            """);
    }
}
