using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0004: "Make 'Outer' partial", one action for every non-partial containing type.</summary>
public sealed class MakeContainingTypesPartialTests
{
    private static readonly MakeContainingTypesPartialCodeFixProvider Provider = new();

    [Fact]
    public Task StaticHolderWithDocComment() => CodeFixVerifier.VerifyAsync(Provider, "VAE0004", """
        using VaeGen;

        namespace Models;

        /// <summary>Holds the models.</summary>
        public static class Holder
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Inner;
        }
        """, """
        using VaeGen;

        namespace Models;

        /// <summary>Holds the models.</summary>
        public static partial class Holder
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Inner;
        }
        """, "Make 'Holder' partial");

    [Fact]
    public Task TwoLevels_OneActionFixesBoth_StructWithoutModifiers() => CodeFixVerifier.VerifyAsync(Provider, "VAE0004", """
        using VaeGen;

        public class Outer
        {
            struct Middle
            {
                [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                internal partial class Inner;
            }
        }
        """, """
        using VaeGen;

        public partial class Outer
        {
            partial struct Middle
            {
                [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                internal partial class Inner;
            }
        }
        """, "Make 'Outer' and 'Middle' partial");

    [Fact]
    public Task OnlyTheTypesThatAreNotPartial() => CodeFixVerifier.VerifyAsync(Provider, "VAE0004", """
        using VaeGen;

        public partial class Outer
        {
            public sealed class Middle
            {
                [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                public partial class Inner;
            }
        }
        """, """
        using VaeGen;

        public partial class Outer
        {
            public sealed partial class Middle
            {
                [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                public partial class Inner;
            }
        }
        """, "Make 'Middle' partial");

    [Fact]
    public async Task FixAll_TwoClassesSharingContainingTypes()
    {
        var project = CodeFixHarness.CreateProject("""
            using VaeGen;

            public class Outer
            {
                public class Middle
                {
                    [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                    public partial class First;

                    [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                    public partial class Second;
                }
            }
            """);
        var fixedProject = await CodeFixVerifier.FixAllAsync(
            Provider, project, "VAE0004", MakeContainingTypesPartialCodeFixProvider.EquivalenceKey, FixAllScope.Document);
        await CodeFixVerifier.AssertFixedAsync(fixedProject, """
            using VaeGen;

            public partial class Outer
            {
                public partial class Middle
                {
                    [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                    public partial class First;

                    [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
                    public partial class Second;
                }
            }
            """);
    }
}
