namespace PoeStreams.Cli.IntegrationTests;

/// <summary>Runs <c>poe</c> in-process and returns its exit code and everything it printed.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(() => PoeCli.RunAsync(args));

    /// <summary>Runs <c>poe</c> as its own process with its output and errors piped, as a script or a log sees them.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunProcessAsync(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "poe.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
