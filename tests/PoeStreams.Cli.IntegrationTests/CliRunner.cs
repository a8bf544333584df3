namespace PoeStreams.Cli.IntegrationTests;

/// <summary>Runs <c>poe</c> in-process and returns its exit code and everything it printed.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => ConsoleCapture.RunAsync(() => PoeCli.RunAsync(args));

    /// <summary>Runs <c>poe</c> as its own process with its output and errors piped, as a script or a log sees them.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunProcessAsync(params string[] args) =>
        Processes.RunAsync("dotnet", null, [Path.Combine(AppContext.BaseDirectory, "poe.dll"), .. args]);

    /// <summary>Starts <c>poe</c> as a long-running process of its own (a broker, a demo) with its output piped.</summary>
    public static System.Diagnostics.Process StartProcess(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "poe.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NO_COLOR"] = "1";
        return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start poe");
    }
}
