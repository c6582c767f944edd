using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using VaeGen.CodeFixes.Tests.Infrastructure;
using Xunit;

namespace VaeGen.CodeFixes.Tests;

/// <summary>VAE0005: "Remove base class 'Base'"; interfaces stay, and a base list left empty goes with its colon.</summary>
public sealed class RemoveBaseClassTests
{
    private static readonly RemoveBaseClassCodeFixProvider Provider = new();

    private const string Base = """
        using System;
        using VaeGen;

        public class Base;


        """;

    [Fact]
    public Task FirstOfSeveral_InterfacesStay() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public sealed partial class Derived : Base, IDisposable
        {
        }
        """, Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public sealed partial class Derived : IDisposable
        {
        }
        """, "Remove base class 'Base'");

    [Fact]
    public Task OnlyEntry_BraceOnNextLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        /// <summary>A model.</summary>
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Derived : Base
        {
            public int Extra => 1;
        }
        """, Base + """
        /// <summary>A model.</summary>
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Derived
        {
            public int Extra => 1;
        }
        """, "Remove base class 'Base'");

    [Fact]
    public Task OnlyEntry_OnItsOwnLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived
            : Base
        {
        }
        """, Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived
        {
        }
        """, "Remove base class 'Base'");

    [Fact]
    public Task FirstOfSeveral_OnItsOwnLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived
            : Base, IDisposable
        {
        }
        """, Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived
            : IDisposable
        {
        }
        """, "Remove base class 'Base'");

    [Fact]
    public Task FirstOfSeveral_OnePerLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived :
            Base,
            IDisposable
        {
        }
        """, Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        internal partial class Derived :
            IDisposable
        {
        }
        """, "Remove base class 'Base'");

    [Fact]
    public Task OnlyEntry_SemicolonBody_QualifiedName() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", """
        using VaeGen;

        namespace Models
        {
            public class Base;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Derived : Models.Base;
        }
        """, """
        using VaeGen;

        namespace Models
        {
            public class Base;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Derived;
        }
        """, "Remove base class 'Models.Base'");

    [Fact]
    public Task OnlyEntry_BodyOnTheSameLine() => CodeFixVerifier.VerifyAsync(Provider, "VAE0005", Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)] public partial class Derived : Base { }
        """, Base + """
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)] public partial class Derived { }
        """, "Remove base class 'Base'");

    [Fact]
    public async Task NotPartialAndDerived_TwoFixesInTurn()
    {
        var project = await CodeFixVerifier.VerifyAsync(Provider, "VAE0005", [Base + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public sealed class Derived : Base, IDisposable;
            """], [Base + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public sealed class Derived : IDisposable;
            """], "Remove base class 'Base'", expectValidModel: false);
        await CodeFixVerifier.VerifyAsync(new MakePartialCodeFixProvider(), "VAE0001", project, [Base + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public sealed partial class Derived : IDisposable;
            """], "Make 'Derived' partial");
    }

    [Fact]
    public async Task FixAll_InProject()
    {
        var project = CodeFixHarness.CreateProject(Base + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class First : Base
            {
            }

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Second : Base, IDisposable;
            """);
        var fixedProject = await CodeFixVerifier.FixAllAsync(
            Provider, project, "VAE0005", RemoveBaseClassCodeFixProvider.EquivalenceKey, FixAllScope.Project);
        await CodeFixVerifier.AssertFixedAsync(fixedProject, Base + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class First
            {
            }

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Second : IDisposable;
            """);
    }
}
