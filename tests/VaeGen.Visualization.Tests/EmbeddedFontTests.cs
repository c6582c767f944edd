using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ScottPlot;
using Xunit;

namespace VaeGen.Visualization.Tests;

/// <summary>
/// Text comes from the font embedded in the package: it covers what the pictures write, ScottPlot finds it by name,
/// and it renders on a machine with no font installed, which a child process with the system's font folders hidden
/// stands in for.
/// </summary>
public sealed class EmbeddedFontTests
{
    // Where Skia, fontconfig and users keep fonts on Linux; the child process sees each of them empty.
    private static readonly string[] FontFolders =
    [
        "/usr/share/fonts", "/usr/local/share/fonts",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "fonts"),
    ];

    [Fact]
    public void The_embedded_typeface_is_DejaVu_Sans_and_covers_printable_ASCII_and_the_maths_the_captions_use()
    {
        var typeface = EmbeddedFont.Typeface;
        Assert.Equal("DejaVu Sans", typeface.FamilyName);
        var ascii = new string(Enumerable.Range(0x20, 0x7F - 0x20).Select(c => (char)c).ToArray());
        Assert.True(typeface.ContainsGlyphs(ascii), "a printable ASCII character has no glyph");
        Assert.True(typeface.ContainsGlyphs("μσ²≤≥−·×"), "a mathematical character has no glyph");
    }

    [Fact]
    public void Applying_it_names_it_on_every_text_of_a_plot_and_ScottPlot_resolves_that_name_to_it()
    {
        var plot = new Plot();
        plot.Add.Scatter(new double[] { 1, 2 }, new double[] { 2, 1 }).LegendText = "line";
        plot.Title("title");
        EmbeddedFont.Apply(plot);
        Assert.Equal(EmbeddedFont.Name, plot.Axes.Title.Label.FontName);
        Assert.All(plot.Axes.GetAxes(), axis =>
        {
            Assert.Equal(EmbeddedFont.Name, axis.Label.FontName);
            Assert.Equal(EmbeddedFont.Name, axis.TickLabelStyle.FontName);
        });
        Assert.Equal(EmbeddedFont.Name, plot.Legend.FontName);
        Assert.Same(EmbeddedFont.Typeface, Fonts.GetTypeface(EmbeddedFont.Name, bold: true, italic: false));
        // Other names still go to the system: the package changes no other plot's fonts.
        Assert.NotSame(EmbeddedFont.Typeface, Fonts.GetTypeface("DejaVu Sans", bold: false, italic: false));
    }

    [Fact]
    public void Text_renders_where_no_font_is_installed()
    {
        Assert.True(Environment.UserName == "root" && File.Exists("/usr/bin/unshare"),
            "This test hides the system's fonts in a private mount namespace, which needs root and unshare (util-linux).");
        using var folder = new TempDirectory("fontless");
        var printed = RunWithoutFonts(folder.Path);

        // The control: Skia found no font, so text in its default typeface is blank. Without this the test would prove nothing.
        Assert.Contains("default typeface: ''", printed);
        var control = Decoded.File(Path.Combine(folder.Path, "control.png"));
        Assert.Equal(0, control.Ink(0, 0, control.Width, control.Height));

        // The package's pictures: the title, the axis labels and the caption are there.
        var curves = Decoded.File(Path.Combine(folder.Path, "curves.png"));
        Assert.True(curves.Ink(curves.Width / 4, 0, curves.Width * 3 / 4, 35) > 150, "the curves' title is blank");
        Assert.True(curves.Ink(0, 0, 22, curves.Height / 2) > 60, "the -ELBO axis label is blank");
        var grid = Decoded.File(Path.Combine(folder.Path, "grid.png"));
        Assert.True(grid.Ink(0, 0, grid.Width, 30) > 60, "the grid's caption is blank");
    }

    /// <summary>Runs this assembly's <see cref="FontlessDrawing"/> with every font folder mounted over by an empty one.</summary>
    private static string RunWithoutFonts(string folder)
    {
        var host = Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        var hide = string.Join(" ", FontFolders.Where(Directory.Exists).Select(f => $"'{f}'"));
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new List<string>
        {
            "--mount", "--propagation", "private", "sh", "-c",
            $"for d in {hide}; do mount -t tmpfs tmpfs \"$d\" || exit 97; done; exec \"$@\"", "sh",
            host, "exec", typeof(FontlessDrawing).Assembly.Location, FontlessDrawing.Command, folder,
        })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "drawing without fonts took more than two minutes");
        var printed = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"drawing without fonts exited with {process.ExitCode}:\n{printed}");
        return printed;
    }
}
