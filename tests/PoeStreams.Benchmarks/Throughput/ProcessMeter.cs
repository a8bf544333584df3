using System.Diagnostics;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>What one contestant's run cost the process: wall time, CPU time and peak resident memory.</summary>
public sealed record RunCost(TimeSpan Elapsed, TimeSpan Cpu, long PeakResidentBytes);

/// <summary>
/// Measures one contestant at a time in this process. The peak resident set is reset before each run
/// (Linux: writing 5 to /proc/self/clear_refs resets VmHWM), so each run's peak is its own.
/// </summary>
public sealed class ProcessMeter
{
    private readonly Stopwatch wall = Stopwatch.StartNew();
    private readonly TimeSpan cpuAtStart;

    private ProcessMeter()
    {
        ResetPeakResident();
        cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
    }

    public static ProcessMeter Start() => new();

    public RunCost Stop()
    {
        wall.Stop();
        return new RunCost(wall.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart, PeakResidentBytes());
    }

    private static void ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux or not allowed: the peak then covers the whole process so far, which only overstates it.
        }
    }

    private static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        var line = File.Exists(status) ? File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null
            ? Process.GetCurrentProcess().PeakWorkingSet64
            : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
