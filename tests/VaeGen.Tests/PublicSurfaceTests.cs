using System;
using System.ComponentModel;
using System.Linq;
using System.Reflection;
using VaeGen.Checks;
using VaeGen.Maths;
using VaeGen.Training;
using Xunit;

namespace VaeGen.Tests;

/// <summary>
/// What a user of the VaeGen package sees: the model's attributes, options and results, not the plumbing generated
/// code calls (public for it, hidden from IntelliSense), and nothing of pictures or plots.
/// </summary>
public sealed class PublicSurfaceTests
{
    // The runtime library; the attributes live apart, in VaeGen.Abstractions.
    private static readonly Assembly Runtime = typeof(TrainingOptions).Assembly;

    private static bool Hidden(MemberInfo member) =>
        member.GetCustomAttribute<EditorBrowsableAttribute>() is { State: EditorBrowsableState.Never };

    [Fact]
    public void Types_only_generated_code_calls_are_hidden_from_IntelliSense()
    {
        Type[] plumbing =
        [
            typeof(TensorChecks), typeof(VaeGen.Checks.ValueRule), typeof(ModuleMode), typeof(TrainingSession), typeof(KlObjective), typeof(DenseBernoulliStep), typeof(DenseBernoulliEvaluation),
            typeof(Addition), typeof(OutputActivation), typeof(Reparameterization), typeof(ImportanceSampling), typeof(Interpolation),
            typeof(ImageLayout), typeof(Conditioning), typeof(GaussianMixture),
            typeof(MixturePrior), typeof(PseudoInputs), typeof(PlanarFlow), typeof(InverseAutoregressiveFlow),
            typeof(VaeGen.IO.ModelFile), typeof(VaeGen.Export.OnnxExport), typeof(VaeGen.Export.OnnxGraph), typeof(VaeGen.Export.OnnxValue),
        ];
        Assert.All(plumbing, type => Assert.True(type.IsPublic && Hidden(type), $"{type.FullName} should be public and hidden"));
        Assert.Equal(plumbing.Select(t => t.FullName).Order(StringComparer.Ordinal),
            Runtime.GetExportedTypes().Where(Hidden).Select(t => t.FullName).Order(StringComparer.Ordinal));

        // What users call stays in view: the sample and the README use these.
        Type[] visible = [typeof(TrainingOptions), typeof(TrainingHistory), typeof(ElboSummary), typeof(LatentUsage), typeof(GaussianKl), typeof(LogDensity), typeof(Evaluation), typeof(Checkpoint), typeof(VaeGen.Export.OnnxFiles), typeof(VaeGen.Data.CsvData), typeof(VaeGen.Data.TensorData), typeof(VaeGen.Data.ExampleFile), typeof(VaeGen.Data.IExampleStream), typeof(VaeGen.Data.ExampleStream),
            typeof(VaeGen.Scaling.FeatureScaler), typeof(VaeGen.Anomaly.AnomalyScoring), typeof(VaeGen.Anomaly.AnomalyThreshold), typeof(VaeGen.Anomaly.AnomalyMetrics)];
        Assert.All(visible, type => Assert.False(Hidden(type), $"{type.FullName} is for users"));
        // Evaluation: Mean is for users, Elbo and LatentUsage for the generated Evaluate and LatentUsage.
        var evaluation = typeof(Evaluation).GetMethods(BindingFlags.Public | BindingFlags.Static);
        Assert.All(evaluation, m => Assert.Equal(m.Name != nameof(Evaluation.Mean), Hidden(m)));
    }

    [Fact]
    public void A_checkpoint_shows_only_where_its_file_is()
    {
        var members = typeof(Checkpoint).GetMembers(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
        Assert.Equal([nameof(Checkpoint.FileName), nameof(Checkpoint.PathIn)], members.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Empty(typeof(Checkpoint).GetNestedTypes(BindingFlags.Public));
    }

    [Fact]
    public void The_runtime_library_holds_no_pictures_plots_fonts_or_dataset_loaders()
    {
        var namespaces = Runtime.GetExportedTypes().Select(t => t.Namespace).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["VaeGen", "VaeGen.Anomaly", "VaeGen.Checks", "VaeGen.Data", "VaeGen.Export", "VaeGen.IO", "VaeGen.Maths", "VaeGen.Scaling", "VaeGen.Training"], namespaces);
        Assert.DoesNotContain(Runtime.GetTypes(), t => t.Name.Contains("Png", StringComparison.Ordinal) || t.Name.Contains("Font", StringComparison.Ordinal)
            || t.Name.Contains("Plot", StringComparison.Ordinal) || t.Name.Contains("Crc", StringComparison.Ordinal) || t.Name.StartsWith("FashionMnist", StringComparison.Ordinal));
        Assert.Empty(Runtime.GetManifestResourceNames());
        Assert.DoesNotContain(Runtime.GetReferencedAssemblies(), a => a.Name!.StartsWith("SkiaSharp", StringComparison.Ordinal) || a.Name.StartsWith("ScottPlot", StringComparison.Ordinal));
    }
}
