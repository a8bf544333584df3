using System.Diagnostics;

using PoeStreams.Storage.ClickHouse;

namespace PoeStreams.Testing;

/// <summary>
/// The local ClickHouse server the tests use: <c>POE_TEST_CLICKHOUSE_URL</c> when set, otherwise the
/// project's own server, started (idempotently) with <c>compose/clickhouse/clickhouse.sh start</c>.
/// Each test works in a database of its own.
/// </summary>
public static class LocalClickHouse
{
    private static readonly Lazy<string> Url = new(Start);

    public static string ServerUrl => Url.Value;

    public static ClickHouseStore NewStore() =>
        new(new ClickHouseOptions { Url = Url.Value, Database = $"poe_test_{Guid.NewGuid():N}"[..24] });

    /// <summary>Runs <c>compose/clickhouse/clickhouse.sh COMMAND</c> with extra environment; throws with its output when it fails.</summary>
    public static string Script(string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("bash", [Repository.Path("compose", "clickhouse", "clickhouse.sh"), command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"clickhouse.sh {command} failed: {output}");
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("POE_TEST_CLICKHOUSE_URL") is { Length: > 0 } url)
        {
            return url;
        }

        Script("start");
        return "http://127.0.0.1:8123";
    }
}
