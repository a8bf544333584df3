using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PoeStreams.Cli;
using PoeStreams.Cli.Commands;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using PoeStreams.Topology;
using PoeStreams.Worker;

namespace PoeStreams.Benchmarks;

/// <summary>
/// A load harness (not BenchmarkDotNet: the worker is a long-running service): the local broker, the
/// worker in-process with 4 partitions, and a seeded backfill of N records; it prints how fast the
/// records were produced and how long the worker took to process all of them (its committed offsets on
/// every input and internal topic reaching their ends), and the process's peak memory.
/// </summary>
public static class WorkerThroughputHarness
{
    public static async Task<int> RunAsync(int records)
    {
        const int partitions = 4;
        var applicationId = "poe-bench";
        var topics = TopicCatalog.For(new PoeTopologyOptions { ApplicationId = applicationId, Partitions = partitions });
        await using var broker = LocalKafkaCluster.Start(topics.Select(t => new LocalTopic(t.Name, t.Partitions)), port: 0);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = broker.BootstrapServers,
            ["APPLICATION_ID"] = applicationId,
            ["PARTITIONS"] = partitions.ToString(CultureInfo.InvariantCulture),
            ["GRACE_SECONDS"] = "5",
            ["METRICS_PORT"] = "0",
            ["SESSION_TIMEOUT_MS"] = "6000",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), $"poe-bench-{Environment.ProcessId}"),
        }).Build();
        using var worker = WorkerHost.Build(configuration, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync();

        var produce = Stopwatch.StartNew();
        using (var publisher = new RecordPublisher(broker.BootstrapServers, InProcessSchemaRegistry.WithContracts()))
        {
            var settings = new GenerateCommand.Settings { Miners = 1_000, Rate = 1_000, Duration = records / 1_000, Seed = 42, BadShare = 0.01 };
            await GenerateCommand.RunAsync(publisher, settings, new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), TimeProvider.System, CancellationToken.None);
            publisher.Flush(TimeSpan.FromMinutes(2));
        }

        produce.Stop();
        var process = Stopwatch.StartNew();
        await WaitUntilCaughtUpAsync(broker.BootstrapServers, applicationId, partitions, TimeSpan.FromMinutes(10));
        process.Stop();
        await worker.StopAsync();

        var total = produce.Elapsed + process.Elapsed;
        Console.WriteLine("| records | produce | worker catch-up after produce | end to end | throughput | peak working set |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {records:N0} | {produce.Elapsed.TotalSeconds:F1} s ({records / produce.Elapsed.TotalSeconds:N0} rec/s) | {process.Elapsed.TotalSeconds:F1} s | {total.TotalSeconds:F1} s | {records / total.TotalSeconds:N0} rec/s | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB |"));
        return 0;
    }

    private static async Task WaitUntilCaughtUpAsync(string bootstrapServers, string applicationId, int partitions, TimeSpan timeout)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = applicationId, EnableAutoCommit = false }).Build();
        var watched = PoeTopics.Inputs.Append(PoeTopics.Sequenced)
            .SelectMany(topic => Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)))
            .Append(new TopicPartition(PoeTopics.EpochPartials, 0))
            .ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ConsumerLag.RecordsBehind(consumer, watched, TimeSpan.FromSeconds(10)).Values.Sum() == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The worker did not catch up within {timeout}.");
    }
}
