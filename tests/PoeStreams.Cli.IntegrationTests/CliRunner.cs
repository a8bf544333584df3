namespace PoeStreams.Cli.IntegrationTests;

/// <summary>Runs <c>poe</c> in-process and returns its exit code and everything it printed.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(() => PoeCli.RunAsync(args));
}
