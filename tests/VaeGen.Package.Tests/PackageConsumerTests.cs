using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;
using Xunit.Abstractions;

namespace VaeGen.Package.Tests;

/// <summary>
/// Packs VaeGen and VaeGen.Visualization as a user would, checks the versions they get and what each package holds,
/// then builds and runs a fresh console project in a temporary folder that knows them only through PackageReferences to
/// a local feed: no repository build files around it, so the generator, the runtime library, TorchSharp, the
/// native-library fix, the plotting libraries and the font must all arrive through the packages. It runs with the
/// system's fonts hidden, as on a Debian without a font package. The consumer restores into a packages folder of its
/// own, so the user's NuGet cache gains nothing.
/// </summary>
[Collection(PackedCollection.Name)]
public sealed class PackageConsumerTests(PackedVaeGen packed, ITestOutputHelper output)
{
    [Fact]
    public void A_plain_pack_is_a_prerelease_of_the_checked_out_commit()
    {
        var root = Cli.RepositoryRoot();
        var height = Cli.Git(root, "rev-list", "--count", "HEAD");
        var sha = Cli.Git(root, "rev-parse", "--short=7", "HEAD");
        var dirty = Cli.Git(root, "status", "--porcelain", "--untracked-files=normal").Length > 0;
        // A tree with uncommitted changes can hold different contents at the same commit: the pack's time sets them apart.
        var expected = $@"^0\.1\.0-dev\.{height}\.g{sha}" + (dirty ? @"\.dirty\.\d{14}$" : "$");

        output.WriteLine($"dotnet pack made VaeGen {packed.Version}");
        Assert.Matches(expected, packed.Version);
        Assert.Equal(packed.Version, NuspecVersion(packed.Package));
    }

    [Fact]
    public void The_release_switch_packs_the_clean_version()
    {
        var feed = Path.Combine(packed.Work, "release-feed");
        Cli.Dotnet(Cli.RepositoryRoot(), "pack", "src/VaeGen", "-c", "Release", "--no-build", "-p:PublicRelease=true", "-o", feed);

        var package = Path.Combine(feed, "VaeGen.0.1.0.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack -p:PublicRelease=true made {string.Join(", ", Directory.GetFiles(feed))}, not VaeGen.0.1.0.nupkg");
        Assert.Equal("0.1.0", NuspecVersion(package));
    }

    [Fact]
    public void The_runtime_package_carries_no_image_encoding_fonts_or_plotting()
    {
        using var archive = ZipFile.OpenRead(packed.Package);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        Assert.DoesNotContain(entries, e => e.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || e.EndsWith(".otf", StringComparison.OrdinalIgnoreCase)
            || e.Contains("Visualization", StringComparison.Ordinal) || e.Contains("Skia", StringComparison.Ordinal));
        var dependencies = Dependencies(archive, "VaeGen.nuspec").Select(d => d.Id).ToList();
        Assert.Contains("TorchSharp-cpu", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("SkiaSharp", StringComparison.Ordinal) || d.StartsWith("ScottPlot", StringComparison.Ordinal)
            || d.StartsWith("HarfBuzz", StringComparison.Ordinal) || d.StartsWith("VaeGen", StringComparison.Ordinal));

        // The library itself, read as metadata: no type that encodes, draws or plots, no embedded file, no graphics library.
        using var library = Metadata(archive, "lib/net8.0/VaeGen.dll");
        var reader = library.GetMetadataReader();
        var types = reader.TypeDefinitions.Select(h => reader.GetTypeDefinition(h))
            .Select(t => $"{reader.GetString(t.Namespace)}.{reader.GetString(t.Name)}").ToList();
        Assert.Contains("VaeGen.Training.TrainingOptions", types);
        Assert.DoesNotContain(types, t => t.StartsWith("VaeGen.Imaging.", StringComparison.Ordinal) || t.StartsWith("VaeGen.Visualization.", StringComparison.Ordinal));
        string[] drawing = ["Png", "Crc32", "Font", "Glyph", "Raster", "Plot", "Rgb", "FashionMnist"];
        Assert.DoesNotContain(types, t => drawing.Any(word => t.Contains(word, StringComparison.Ordinal)));
        Assert.Empty(reader.ManifestResources);
        var references = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
        Assert.Contains("TorchSharp", references);
        Assert.DoesNotContain(references, r => r.StartsWith("SkiaSharp", StringComparison.Ordinal) || r.StartsWith("ScottPlot", StringComparison.Ordinal) || r.StartsWith("HarfBuzz", StringComparison.Ordinal));
        output.WriteLine($"VaeGen {packed.Version}: {new FileInfo(packed.Package).Length:N0} bytes, {types.Count} types, references {string.Join(", ", references)}");
    }

    [Fact]
    public void The_visualization_package_depends_on_the_same_VaeGen_and_brings_its_font_and_a_Skia_without_dependencies()
    {
        using var archive = ZipFile.OpenRead(packed.VisualizationPackage);
        var entries = archive.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net8.0/VaeGen.Visualization.dll", entries);
        Assert.Contains("DejaVuSans-LICENSE.txt", entries);
        Assert.Contains("PACKAGE.md", entries);

        var dependencies = Dependencies(archive, "VaeGen.Visualization.nuspec").ToDictionary(d => d.Id, d => d.Version);
        Assert.Equal(packed.Version, NuspecVersion(packed.VisualizationPackage, "VaeGen.Visualization.nuspec"));
        Assert.Equal(packed.Version, dependencies["VaeGen"]);
        // All of VaeGen, its generator and build step included, so referencing this package alone is enough.
        using (var nuspec = archive.GetEntry("VaeGen.Visualization.nuspec")!.Open())
        {
            var vaegen = XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "dependency" && e.Attribute("id")!.Value == "VaeGen");
            Assert.Null(vaegen.Attribute("exclude"));
        }
        Assert.Equal("5.1.59", dependencies["ScottPlot"]);
        Assert.Equal("3.119.0", dependencies["SkiaSharp.NativeAssets.Linux.NoDependencies"]);

        using var library = Metadata(archive, "lib/net8.0/VaeGen.Visualization.dll");
        var reader = library.GetMetadataReader();
        var resources = reader.ManifestResources.Select(h => reader.GetString(reader.GetManifestResource(h).Name)).ToList();
        Assert.Equal(["VaeGen.Visualization.DejaVuSans.ttf"], resources);
        output.WriteLine($"VaeGen.Visualization {packed.Version}: {new FileInfo(packed.VisualizationPackage).Length:N0} bytes");
    }

    [Fact]
    public void A_fresh_project_trains_a_declared_vae_from_the_package_and_draws_it_without_installed_fonts()
    {
        var version = packed.Version;
        using (var archive = ZipFile.OpenRead(packed.Package))
        {
            var entries = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net8.0/VaeGen.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/VaeGen.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/VaeGen.targets", entries);
            Assert.Contains("buildTransitive/WeakenGlibcxxNeed.cs", entries);
            Assert.Contains("PACKAGE.md", entries);
        }

        var consumer = ConsumerProject.Create(packed, "Consumer", """
            using System;
            using System.Linq;
            using SkiaSharp;
            using TorchSharp;
            using VaeGen;
            using VaeGen.Training;
            using VaeGen.Visualization;

            torch.manual_seed(1);
            using var data = torch.rand(256, 16).gt(0.5).to_type(torch.ScalarType.Float32);
            using var model = new TinyVae();
            var before = model.Evaluate(data).Loss;
            var history = model.Fit(data, new TrainingOptions { Epochs = 5, BatchSize = 32, LearningRate = 1e-2, TensorBoardDirectory = "runs" });
            var after = model.Evaluate(data).Loss;
            Console.WriteLine(FormattableString.Invariant($"before {before:R} after {after:R}"));
            Console.WriteLine($"event files {System.IO.Directory.GetFiles("runs", "events.out.tfevents.*").Length}");

            model.SavePyTorch("model.pt");
            model.SaveSafetensors("model.safetensors");
            using var fromPt = new TinyVae();
            fromPt.LoadPyTorch("model.pt");
            using var fromSafetensors = new TinyVae();
            fromSafetensors.LoadSafetensors("model.safetensors");
            Console.WriteLine($"weights round trip {Same(model, fromPt) && Same(model, fromSafetensors)}");

            static bool Same(torch.nn.Module a, torch.nn.Module b) =>
                a.state_dict().All(p => p.Value.equal(b.state_dict()[p.Key]).all().item<bool>());

            TrainingCurves.Save("loss.png", history.Epochs, "TinyVae training");
            using (var samples = model.Sample(16))
                ImageGrid.Save("samples.png", samples.reshape(-1, 1, 4, 4), 4, new ImageGridOptions { Scale = 8, Caption = "TinyVae samples" });
            Console.WriteLine($"title ink {Ink("loss.png", 35)} caption ink {Ink("samples.png", 25)}");
            Console.WriteLine($"default typeface '{SKTypeface.Default.FamilyName}'");

            // Dark pixels in the middle half of a picture's top rows, where its title or caption is.
            static int Ink(string path, int rows)
            {
                using var picture = SKBitmap.Decode(path);
                var ink = 0;
                for (var y = 0; y < rows; y++)
                    for (var x = picture.Width / 4; x < picture.Width * 3 / 4; x++)
                        if (picture.GetPixel(x, y).Red < 128) ink++;
                return ink;
            }

            /// <summary>A small generated model.</summary>
            [Vae(16, 2)] [Encoder(32)] [Decoder(32)]
            public partial class TinyVae;
            """);

        consumer.Build();
        // Run as on a fresh Debian with no font package: every font folder hidden in a private mount namespace.
        var printed = Cli.Run("unshare", consumer.Directory, null,
        [
            "--mount", "--propagation", "private", "sh", "-c",
            "for d in /usr/share/fonts /usr/local/share/fonts; do if [ -d \"$d\" ]; then mount -t tmpfs tmpfs \"$d\" || exit 97; fi; done; exec dotnet " + consumer.Assembly,
        ]);
        var match = Regex.Match(printed, @"before (\S+) after (\S+)");
        Assert.True(match.Success, "the consumer printed no losses:\n" + printed);
        var before = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var after = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        output.WriteLine($"package {version}: -ELBO {before:F3} before training, {after:F3} after 5 epochs");
        Assert.True(after < before, $"training through the package did not lower the loss: {before} -> {after}");
        Assert.Contains("event files 1", printed);
        Assert.Contains("weights round trip True", printed);

        // Skia found no font at all, so the text below can only have come from the package.
        Assert.Contains("default typeface ''", printed);
        var ink = Regex.Match(printed, @"title ink (\d+) caption ink (\d+)");
        Assert.True(ink.Success, "the consumer printed no ink counts:\n" + printed);
        Assert.True(int.Parse(ink.Groups[1].Value, CultureInfo.InvariantCulture) > 150, $"the loss plot's title is blank without installed fonts:\n{printed}");
        Assert.True(int.Parse(ink.Groups[2].Value, CultureInfo.InvariantCulture) > 60, $"the grid's caption is blank without installed fonts:\n{printed}");

        ConsumerProject.AssertRestoredApartFromTheUsersCache(packed);
    }

    private static IEnumerable<(string Id, string Version)> Dependencies(ZipArchive archive, string nuspecName)
    {
        using var nuspec = archive.GetEntry(nuspecName)!.Open();
        return XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (e.Attribute("id")!.Value, e.Attribute("version")!.Value)).Distinct().ToList();
    }

    private static PEReader Metadata(ZipArchive archive, string entryName)
    {
        using var stream = archive.GetEntry(entryName)!.Open();
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return new PEReader(copy);
    }

    private static string NuspecVersion(string package, string nuspecName = "VaeGen.nuspec")
    {
        using var archive = ZipFile.OpenRead(package);
        using var nuspec = archive.GetEntry(nuspecName)!.Open();
        return XDocument.Load(nuspec).Descendants().Single(e => e.Name.LocalName == "version").Value;
    }
}
