using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Topology;
using PoeStreams.Worker;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// The PoeStreams worker, in this process, reading the backfill. Its run ends when its effect is in the
/// outputs: one fee split per verified job and a reward manifest for every epoch of the load. It fails on
/// any fee split too many, any <c>late</c> dead letter, or the timeout.
/// </summary>
public static class WorkerContestant
{
    public const string ApplicationId = "poe-bench";

    public static async Task<ContestResult> RunAsync(Arena arena, ISchemaRegistryClient registry)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = arena.BootstrapServers,
            ["APPLICATION_ID"] = ApplicationId,
            ["PARTITIONS"] = arena.Partitions.ToString(CultureInfo.InvariantCulture),
            ["GRACE_SECONDS"] = "5",
            ["METRICS_PORT"] = "0",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), $"poe-bench-{Environment.ProcessId}"),
        }).Build();

        // A frozen clock after the load: the wall clock closes nothing, the closers close the last epoch.
        var clock = new FrozenClock(arena.Load.ClosedAt.AddDays(1));
        var feeSplits = new HashSet<string>(StringComparer.Ordinal);
        var manifests = new HashSet<string>(StringComparer.Ordinal);
        var deadLetters = new Dictionary<string, int>(StringComparer.Ordinal);
        var deadLetterReader = new AvroDeserializer<DeadLetter>(registry).AsSyncOverAsync();

        var meter = ProcessMeter.Start();
        using var worker = WorkerHost.Build(configuration, clock, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync();
        var complete = await Task.Run(() => OutputWatch.Until(
            arena,
            [PoeTopics.JobFees, PoeTopics.RewardManifests, PoeTopics.DeadLetters],
            record =>
            {
                var key = Encoding.UTF8.GetString(record.Message.Key);
                switch (record.Topic)
                {
                    case PoeTopics.JobFees:
                        feeSplits.Add(key);
                        break;
                    case PoeTopics.RewardManifests:
                        manifests.Add(key);
                        break;
                    default:
                        var reason = deadLetterReader.Deserialize(record.Message.Value, false, new SerializationContext(MessageComponentType.Value, record.Topic)).reason;
                        deadLetters[reason] = deadLetters.GetValueOrDefault(reason) + 1;
                        break;
                }
            },
            () => feeSplits.Count >= arena.Load.VerifiedJobs && arena.Load.EpochIds.All(manifests.Contains)));
        var cost = meter.Stop();
        await worker.StopAsync();

        var failures = new List<string>();
        if (!complete)
        {
            failures.Add($"timed out after {arena.Timeout}: {feeSplits.Count:N0} of {arena.Load.VerifiedJobs:N0} fee splits, {manifests.Count(arena.Load.EpochIds.Contains)} of {arena.Load.EpochIds.Count} epochs published");
        }

        if (feeSplits.Count > arena.Load.VerifiedJobs)
        {
            failures.Add($"{feeSplits.Count:N0} fee splits for {arena.Load.VerifiedJobs:N0} verified jobs");
        }

        if (deadLetters.GetValueOrDefault("late") is > 0 and var late)
        {
            failures.Add($"{late:N0} records dead-lettered late");
        }

        var letters = string.Join(", ", deadLetters.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}"));
        return new ContestResult(
            "PoeStreams worker",
            arena.Load.Records.Count,
            cost,
            $"{feeSplits.Count:N0} fee splits = verified jobs, {manifests.Count} epochs published, dead letters: {(letters.Length == 0 ? "none" : letters)}",
            failures);
    }

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
