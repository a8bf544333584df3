using System.Diagnostics;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// The worker as an operating-system process of its own (<c>dotnet PoeStreams.Worker.dll</c>, built
/// next to the tests), so a test can kill it with SIGKILL as an out-of-memory killer or a power cut
/// would: no shutdown hook, no commit, no flush. Its output goes to a log file for the failure message.
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly TextWriter log;

    private WorkerProcess(Process process, TextWriter log)
    {
        this.process = process;
        this.log = log;
    }

    public static WorkerProcess Start(IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "PoeStreams.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment["POE_" + key] = value;
        }

        var process = Process.Start(start)!;
        var log = TextWriter.Synchronized(new StreamWriter(logPath, append: true) { AutoFlush = true });
        log.WriteLine($"--- worker {process.Id} started {DateTime.UtcNow:O}");
        process.OutputDataReceived += (_, line) => log.WriteLine(line.Data);
        process.ErrorDataReceived += (_, line) => log.WriteLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process, log);
    }

    /// <summary>SIGKILL, then waits until the process is gone and its last output is in the log.</summary>
    public void Kill()
    {
        process.Kill();
        process.WaitForExit();
    }

    // The log is closed only once the output is read to its end (WaitForExit waits for that): a line
    // delivered after the process exited must still find it open.
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.WaitForExit();
        process.Dispose();
        log.Dispose();
    }
}
