namespace PoeStreams.Cli.IntegrationTests;

/// <summary>Runs <c>poe</c> in-process and returns its exit code and everything it printed.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(() => PoeCli.RunAsync(args));

    /// <summary>Runs <c>poe</c> as its own process with its output and errors piped, as a script or a log sees them.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunProcessAsync(params string[] args) =>
        Processes.RunAsync("dotnet", null, [Path.Combine(AppContext.BaseDirectory, "poe.dll"), .. args]);
}
