using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0001: "Make 'X' partial".</summary>
public sealed class MakePartialTests
{
    private static readonly MakePartialCodeFixProvider Provider = new();

    [Fact]
    public Task AfterAccessibilityAndOtherModifiers_BelowDocCommentAndAttributes() => CodeFixVerifier.VerifyAsync(Provider, "VAE0001", """
        using VaeGen;

        namespace Models;

        /// <summary>A small model.</summary>
        [Vae(4, 2)]
        [Encoder(3)]
        [Decoder(3)]
        public sealed class Small
        {
        }
        """, """
        using VaeGen;

        namespace Models;

        /// <summary>A small model.</summary>
        [Vae(4, 2)]
        [Encoder(3)]
        [Decoder(3)]
        public sealed partial class Small
        {
        }
        """, "Make 'Small' partial");

    [Fact]
    public Task InBlockNamespace_KeepsIndentationAndComment() => CodeFixVerifier.VerifyAsync(Provider, "VAE0001", """
        using VaeGen;

        namespace Models
        {
            // The model of the report.
            [Vae(4, 2), Encoder(3), Decoder(3)]
            internal class Indented
            {
            }
        }
        """, """
        using VaeGen;

        namespace Models
        {
            // The model of the report.
            [Vae(4, 2), Encoder(3), Decoder(3)]
            internal partial class Indented
            {
            }
        }
        """, "Make 'Indented' partial");

    [Fact]
    public Task NoModifiers_AttributesOnTheSameLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0001", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)] class Bare;
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)] partial class Bare;
        """, "Make 'Bare' partial");

    [Fact]
    public Task StaticClass_PartialGoesAfterStatic_Vae0002Remains() => CodeFixVerifier.VerifyAsync(Provider, "VAE0001", """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public static class Frozen;
        """, """
        using VaeGen;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public static partial class Frozen;
        """, "Make 'Frozen' partial", expectValidModel: false);

    [Fact]
    public Task OtherPartInAnotherFile_WithoutModifiers_TakesTheDocComment() => CodeFixVerifier.VerifyAsync(Provider, "VAE0001",
        [
            """
            using VaeGen;

            namespace Models;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Split;
            """,
            """
            namespace Models;

            /// <summary>The rest of the model.</summary>
            class Split
            {
                public int Extra => 1;
            }
            """,
        ],
        [
            """
            using VaeGen;

            namespace Models;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Split;
            """,
            """
            namespace Models;

            /// <summary>The rest of the model.</summary>
            partial class Split
            {
                public int Extra => 1;
            }
            """,
        ],
        "Make 'Split' partial");

    [Fact]
    public async Task FixAll_InDocument_AndInProject()
    {
        string[] sources =
        [
            """
            using VaeGen;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public class First;

            [Vae(6, 3)] [Encoder(5)] [Decoder(5)]
            internal sealed class Second { }
            """,
            """
            using VaeGen;

            [Vae(8, 2)] [Encoder] [Decoder]
            public class Third;
            """,
        ];
        string[] expected =
        [
            """
            using VaeGen;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class First;

            [Vae(6, 3)] [Encoder(5)] [Decoder(5)]
            internal sealed partial class Second { }
            """,
            """
            using VaeGen;

            [Vae(8, 2)] [Encoder] [Decoder]
            public partial class Third;
            """,
        ];

        var project = CodeFixHarness.CreateProject(sources);
        var inDocument = await CodeFixVerifier.FixAllAsync(Provider, project, "VAE0001", MakePartialCodeFixProvider.EquivalenceKey, FixAllScope.Document);
        Assert.Equal(new[] { expected[0], sources[1] }, await CodeFixHarness.TextsAsync(inDocument));

        var inProject = await CodeFixVerifier.FixAllAsync(Provider, project, "VAE0001", MakePartialCodeFixProvider.EquivalenceKey, FixAllScope.Project);
        await CodeFixVerifier.AssertFixedAsync(inProject, expected);
    }
}
