using System.Diagnostics;
using System.Globalization;
using PoeStreams.Storage.ClickHouse;

namespace PoeStreams.Benchmarks;

/// <summary>
/// Insert throughput of the sink's write path into a ClickHouse server: 1,000,000 fee-split rows (the
/// widest money table) in batches of 10k, 50k and 100k, one insert at a time, as the sink does.
/// </summary>
public static class ClickHouseThroughputHarness
{
    private const int Rows = 1_000_000;

    public static async Task<int> RunAsync(string url)
    {
        Console.WriteLine("| batch size | rows | seconds | rows/s |");
        Console.WriteLine("|---:|---:|---:|---:|");
        foreach (var batchSize in new[] { 10_000, 50_000, 100_000 })
        {
            using var store = new ClickHouseStore(new ClickHouseOptions { Url = url, Database = $"poe_bench_{batchSize}" });
            await store.ExecuteAsync($"DROP DATABASE IF EXISTS {store.Options.Database}");
            await Migrations.ApplyAsync(store, TimeProvider.System);
            var batch = new object?[batchSize][];
            var stopwatch = new Stopwatch();
            for (var written = 0; written < Rows; written += batchSize)
            {
                for (var i = 0; i < batchSize; i++)
                {
                    batch[i] = Row(written + i);
                }

                stopwatch.Start();
                await store.InsertAsync(Tables.JobFeeSplits.Name, Tables.JobFeeSplits.Columns, batch);
                stopwatch.Stop();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {batchSize:N0} | {Rows:N0} | {stopwatch.Elapsed.TotalSeconds:F2} | {Rows / stopwatch.Elapsed.TotalSeconds:N0} |"));
            await store.ExecuteAsync($"DROP DATABASE {store.Options.Database}");
        }

        return 0;
    }

    private static object?[] Row(int i)
    {
        var value = 100m + (i % 10_000);
        return
        [
            $"job-{i:D9}", $"miner-{i % 1000:D4}", "2026-11-20T12:00:00Z", new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc), value, 0m,
            value * 0.01m, value * 0.002m, value * 0.003m, value * 0.002m, value * 0.003m,
        ];
    }
}
