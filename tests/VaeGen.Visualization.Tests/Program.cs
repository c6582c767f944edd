namespace VaeGen.Visualization.Tests;

/// <summary>
/// The test assembly's entry point. The test runner never calls it; the font test starts this assembly
/// (<c>dotnet exec VaeGen.Visualization.Tests.dll draw-without-fonts FOLDER</c>) with the system's fonts hidden.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) =>
        args is [FontlessDrawing.Command, var folder] ? FontlessDrawing.Run(folder) : 0;
}
