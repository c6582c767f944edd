namespace VaeGen.Generators.Tests.Infrastructure;

/// <summary>
/// Test output for CI's console. dotnet test shows a passing test's output only at verbosities that also list every test, so
/// .ci/run prints, after the run, the lines of the TRX reports' test output that start with <see cref="Marker"/>: the fuzzers'
/// seeds and counts, and nothing else.
/// </summary>
internal static class CiLog
{
    public const string Marker = "[ci] ";
}
