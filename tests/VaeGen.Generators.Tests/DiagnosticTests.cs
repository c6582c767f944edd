using System.Linq;
using Microsoft.CodeAnalysis;
using VaeGen.Generators.Tests.Infrastructure;
using Xunit;

namespace VaeGen.Generators.Tests;

/// <summary>
/// One test per diagnostic: the ID, the severity, the exact span (marked [| |] in the source), and the values the
/// message names. An error also means no code for that class, and the generator never throws.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string Usings = "using VaeGen;\n";

    [Fact]
    public void VAE0001_ClassNotPartial() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public class [|Plain|];
        """, "VAE0001", DiagnosticSeverity.Error, "'Plain'", "partial class Plain");

    [Fact]
    public void VAE0002_ClassIsStatic() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public static partial class [|Fixed|];
        """, "VAE0002", DiagnosticSeverity.Error, "'Fixed' is static");

    [Fact]
    public void VAE0003_ClassIsGeneric() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class [|Typed|]<T>;
        """, "VAE0003", DiagnosticSeverity.Error, "'Typed'", "(Typed)");

    [Fact]
    public void VAE0003_NestedInGenericType() => AssertDiagnostic("""
        public partial class Holder<T>
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class [|Inner|];
        }
        """, "VAE0003", DiagnosticSeverity.Error, "'Inner'", "(Holder)");

    [Fact]
    public void VAE0004_ContainingTypeNotPartial() => AssertDiagnostic("""
        public class Holder
        {
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class [|Inner|];
        }
        """, "VAE0004", DiagnosticSeverity.Error, "'Inner' is nested in 'Holder'", "declare 'Holder' partial");

    [Fact]
    public void VAE0005_BaseClassDeclared() => AssertDiagnostic("""
        public class Base;

        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Derived : [|Base|], System.IDisposable
        {
            public void Dispose() { }
        }
        """, "VAE0005", DiagnosticSeverity.Error, "'Derived' derives from 'Base'");

    [Fact]
    public void VAE0006_ClassIsRecord() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial record [|Settings|];
        """, "VAE0006", DiagnosticSeverity.Error, "'Settings' is a record");

    [Fact]
    public void VAE0007_InputSizeNotPositive() => AssertDiagnostic("""
        [Vae([|0|], 2)] [Encoder(3)] [Decoder(3)]
        public partial class Empty;
        """, "VAE0007", DiagnosticSeverity.Error, "input size of 'Empty' is 0");

    [Fact]
    public void VAE0007_InputSizeByNameOutOfOrder() => AssertDiagnostic("""
        [Vae(latentSize: 2, [|inputSize: -784|])] [Encoder(3)] [Decoder(3)]
        public partial class Negative;
        """, "VAE0007", DiagnosticSeverity.Error, "is -784");

    [Fact]
    public void VAE0008_LatentSizeAfterANamedArgumentInPlace() => AssertDiagnostic("""
        [Vae(inputSize: 784, [|0|])] [Encoder(3)] [Decoder(3)]
        public partial class NoLatent;
        """, "VAE0008", DiagnosticSeverity.Error, "latent size of 'NoLatent' is 0");

    [Fact]
    public void VAE0008_LatentSizeNotPositive() => AssertDiagnostic("""
        [Vae(4, [|-3|])] [Encoder(3)] [Decoder(3)]
        public partial class NoLatent;
        """, "VAE0008", DiagnosticSeverity.Error, "latent size of 'NoLatent' is -3");

    [Fact]
    public void VAE0009_EncoderHiddenSizeNotPositive() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(16, [|0|])] [Decoder(3)]
        public partial class Narrow;
        """, "VAE0009", DiagnosticSeverity.Error, "Hidden layer 2 of the encoder of 'Narrow' has size 0");

    [Fact]
    public void VAE0009_DecoderHiddenSizeInArray() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(new[] { 8, [|-1|] })]
        public partial class Narrow;
        """, "VAE0009", DiagnosticSeverity.Error, "Hidden layer 2 of the decoder of 'Narrow' has size -1");

    [Fact]
    public void VAE0010_MissingEncoder() => AssertDiagnostic("""
        [Vae(4, 2)] [Decoder(3)]
        public partial class [|Headless|];
        """, "VAE0010", DiagnosticSeverity.Error, "'Headless' has [Vae] but no [Encoder]");

    [Fact]
    public void VAE0011_MissingDecoder() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)]
        public partial class [|Mute|];
        """, "VAE0011", DiagnosticSeverity.Error, "'Mute' has [Vae] but no [Decoder]");

    [Fact]
    public void VAE0012_SamplesNotPositive() => AssertDiagnostic("""
        [Vae(4, 2, [|Samples = 0|])] [Encoder(3)] [Decoder(3)]
        public partial class NoSamples;
        """, "VAE0012", DiagnosticSeverity.Error, "Samples of 'NoSamples' is 0");

    [Theory]
    [InlineData("0.0", "0")]
    [InlineData("-1.5", "-1.5")]
    [InlineData("double.NaN", "NaN")]
    [InlineData("double.PositiveInfinity", "Infinity")]
    [InlineData("1e-300", "1E-300")] // positive as a double, zero as the model's float32
    [InlineData("double.Epsilon", "5E-324")]
    [InlineData("1e-38", "1E-38")] // a float32 subnormal: 1 / variance overflows
    public void VAE0013_ObservationVarianceNotPositive(string value, string shown) => AssertDiagnostic($$"""
        [Vae(4, 2, Likelihood = Likelihood.Gaussian, [|ObservationVariance = {{value}}|])] [Encoder(3)] [Decoder(3)]
        public partial class Noisy;
        """, "VAE0013", DiagnosticSeverity.Error, $"ObservationVariance of 'Noisy' is {shown};");

    [Fact]
    public void VAE0014_ObservationVarianceIgnored() => AssertDiagnostic("""
        [Vae(4, 2, Likelihood = Likelihood.GaussianLearnedVariance, [|ObservationVariance = 0.1|])] [Encoder(3)] [Decoder(3)]
        public partial class Learned;
        """, "VAE0014", DiagnosticSeverity.Warning, "the likelihood is GaussianLearnedVariance");

    [Fact]
    public void VAE0015_UnknownLikelihood() => AssertDiagnostic("""
        [Vae(4, 2, [|Likelihood = (Likelihood)8|])] [Encoder(3)] [Decoder(3)]
        public partial class Odd;
        """, "VAE0015", DiagnosticSeverity.Error, "Likelihood 8 of 'Odd'");

    [Fact]
    public void VAE0016_UnknownActivation() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3, [|Activation = (Activation)42|])] [Decoder(3)]
        public partial class Odd;
        """, "VAE0016", DiagnosticSeverity.Error, "Activation 42 of the encoder of 'Odd'");

    [Fact]
    public void VAE0017_MemberNameReserved() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Clash
        {
            public void [|Sample|]() { }
        }
        """, "VAE0017", DiagnosticSeverity.Error, "'Clash' declares 'Sample'");

    [Fact]
    public void VAE0017_ParameterlessConstructorReserved() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Clash
        {
            public [|Clash|]() { }
        }
        """, "VAE0017", DiagnosticSeverity.Error, "'Clash' declares 'Clash()'");

    [Fact]
    public void VAE0018_ConstructorMustChainToThis() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded
        {
            public [|Seeded|](int seed) { Seed = seed; }

            public int Seed { get; }
        }
        """, "VAE0018", DiagnosticSeverity.Error, "'Seeded'", ": this()");

    [Theory]
    [InlineData("Sample")]
    [InlineData("Output")]
    public void VAE0019_ClassNameReserved(string name) => AssertDiagnostic($$"""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class [|{{name}}|];
        """, "VAE0019", DiagnosticSeverity.Error, $"cannot be named '{name}'");

    [Fact]
    public void VAE0020_PrimaryConstructor() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class Seeded[|(int seed)|]
        {
            public int Seed => seed;
        }
        """, "VAE0020", DiagnosticSeverity.Error, "'Seeded' has a primary constructor");

    [Fact]
    public void VAE0021_FileLocalClass() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        file partial class [|Hidden|];
        """, "VAE0021", DiagnosticSeverity.Error, "'Hidden' is declared 'file'");

    [Fact]
    public void VAE0022_TypeNamedVarInScope() => AssertDiagnostic("""
        [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
        public partial class [|Model|]
        {
            private sealed class var { }
        }
        """, "VAE0022", DiagnosticSeverity.Error, "A type named 'var' is visible inside 'Model'");

    [Fact]
    public void ClassDiagnosticsPointAtThePartCarryingVae()
    {
        var run = GeneratorHarness.Run(
            Usings + "[Decoder(3)]\npublic partial class Split;",
            Usings + "[Vae(4, 2)]\npublic partial class Split;");
        var diagnostic = Assert.Single(run.VaeDiagnostics);
        Assert.Equal("VAE0010", diagnostic.Id);
        Assert.Equal("File1.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Theory]
    [InlineData("@event", "")]
    [InlineData("hidden", "")]
    [InlineData("scope", "")]
    [InlineData("session", "")]
    [InlineData("validation", "")]
    [InlineData("Model", "@class.@namespace")]
    public void KeywordAndLocalLikeNamesStillCompile(string name, string ns)
    {
        var source = Usings + (ns.Length > 0 ? $"namespace {ns};\n" : string.Empty) + $$"""
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class {{name}};
            """;
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.VaeDiagnostics);
        Assert.Single(run.Generator.GeneratedSources);
        // CS8981 (an all-lowercase type name) is the user's own declaration, not the generated code.
        Assert.DoesNotContain(run.CompilationProblems, d => d.Id != "CS8981");
    }

    [Fact]
    public void VaeOnTwoPartsOrOnAStructLeavesTheErrorToTheCompiler()
    {
        var twice = GeneratorHarness.Run(
            Usings + "[Vae(4, 2)] [Encoder(3)] [Decoder(3)]\npublic partial class Twice;",
            Usings + "[Vae(4, 2)]\npublic partial class Twice;");
        Assert.Null(twice.Generator.Exception);
        Assert.Empty(twice.Generator.GeneratedSources);
        Assert.Contains(twice.Output.GetDiagnostics(), d => d.Id == "CS0579");

        var structure = GeneratorHarness.Run(Usings + "[Vae(4, 2)] [Encoder(3)] [Decoder(3)]\npublic partial struct Value;");
        Assert.Null(structure.Generator.Exception);
        Assert.Empty(structure.Generator.GeneratedSources);
        Assert.Contains(structure.Output.GetDiagnostics(), d => d.Id == "CS0592");
    }

    [Fact]
    public void ConstructorChainingToThisIsAccepted()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Seeded
            {
                public Seeded(int seed) : this() { Seed = seed; }

                public int Seed { get; }
            }
            """);
        Assert.Empty(run.VaeDiagnostics);
        Assert.Single(run.Generator.GeneratedSources);
        Assert.DoesNotContain(run.CompilationProblems, d => d.Id != "CS1591");
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        var run = GeneratorHarness.Run(Usings + """
            [Vae(0, 0, Samples = -1)] [Encoder(0)]
            public class Broken;
            """);
        Assert.Equal(
            ["VAE0001", "VAE0007", "VAE0008", "VAE0009", "VAE0011", "VAE0012"],
            run.VaeDiagnostics.Select(d => d.Id).Order(System.StringComparer.Ordinal));
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Fact]
    public void InvalidClassDoesNotStopValidOnes()
    {
        var run = GeneratorHarness.Run(Usings + """
            namespace Mixed;

            [Vae(4, 2)] [Encoder(3)] [Decoder(3)]
            public partial class Good;

            [Vae(4, -1)] [Encoder(3)] [Decoder(3)]
            public partial class Bad;

            [Vae(8, 2, Likelihood = Likelihood.Gaussian)] [Encoder(3)] [Decoder(3)]
            public partial class AlsoGood;
            """);
        Assert.Null(run.Generator.Exception);
        Assert.Equal("VAE0008", Assert.Single(run.VaeDiagnostics).Id);
        Assert.Equal(
            ["Mixed.AlsoGood.Vae.g.cs", "Mixed.Good.Vae.g.cs"],
            run.Generator.GeneratedSources.Select(s => s.HintName).Order(System.StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("[Vae(\"wide\", 2)] [Encoder(3)] [Decoder(3)]")]
    [InlineData("[Vae(4, 2, 1)] [Encoder(3)] [Decoder(3)]")]
    [InlineData("[Vae(16)] [ImageInput(1, 8)] [EncoderConv(4)] [Encoder] [Decoder]")]
    [InlineData("[Vae(4, 2)] [Encoder(\"x\")] [Decoder(3)]")]
    [InlineData("[Vae(4, 2, Likelihood = 3.5)] [Encoder(3)] [Decoder(3)]")]
    public void ArgumentsTheCompilerRejectsNeverCrashTheGenerator(string attributes)
    {
        var run = GeneratorHarness.Run(Usings + attributes + "\npublic partial class Typo;");
        Assert.Null(run.Generator.Exception);
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        Assert.DoesNotContain(run.DriverDiagnostics, d => d.Id is "CS8784" or "CS8785");
    }

    private static void AssertDiagnostic(string markup, string id, DiagnosticSeverity severity, params string[] messageParts)
    {
        var (source, span) = Markup.Parse(Usings + markup);
        var run = GeneratorHarness.Run(source);

        Assert.Null(run.Generator.Exception);
        var diagnostic = Assert.Single(run.VaeDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal("File0.cs", diagnostic.Location.GetLineSpan().Path);
        Assert.Equal(source.Substring(span.Start, span.Length), source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length));
        Assert.Equal(span, diagnostic.Location.SourceSpan);
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var part in messageParts) Assert.Contains(part, message);

        // Errors leave the class without generated code; a warning lets it through.
        Assert.Equal(severity == DiagnosticSeverity.Error ? 0 : 1, run.Generator.GeneratedSources.Length);
    }
}
