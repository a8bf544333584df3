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

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("POE_TEST_CLICKHOUSE_URL") is { Length: > 0 } url)
        {
            return url;
        }

        var script = Path.Combine(RepositoryRoot(), "compose", "clickhouse", "clickhouse.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, "start"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Could not start the local ClickHouse server: {output}");
        }

        return "http://127.0.0.1:8123";
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PoeStreams.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("No PoeStreams.sln above the test binaries.");
    }
}
