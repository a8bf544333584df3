using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Worker;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// The PoeStreams worker in this process, with what it published so far: fee splits, reward manifests
/// and dead letters by reason.
/// </summary>
public sealed class WorkerUnderTest : IAsyncDisposable
{
    public const string ApplicationId = "poe-bench";
    private readonly HashSet<string> feeSplits = new(StringComparer.Ordinal);
    private readonly HashSet<string> manifests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> deadLetters = new(StringComparer.Ordinal);
    private readonly IHost worker;
    private readonly OutputWatch watch;
    private readonly Arena arena;
    private readonly ISchemaRegistryClient registry;

    private WorkerUnderTest(Arena arena, IHost worker)
    {
        this.worker = worker;
        this.arena = arena;
        registry = SchemaRegistryClients.Connect(arena.SchemaRegistryUrl);
        var deadLetterReader = new AvroDeserializer<DeadLetter>(registry).AsSyncOverAsync();
        watch = new OutputWatch(arena, [PoeTopics.JobFees, PoeTopics.RewardManifests, PoeTopics.DeadLetters], record =>
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
        });
    }

    /// <param name="clock">The worker's wall clock; <see cref="FrozenAfter"/> to let only the data close epochs.</param>
    public static async Task<WorkerUnderTest> StartAsync(Arena arena, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = arena.BootstrapServers,
            ["SCHEMA_REGISTRY_URL"] = arena.SchemaRegistryUrl,
            ["APPLICATION_ID"] = ApplicationId,
            ["PARTITIONS"] = arena.Partitions.ToString(CultureInfo.InvariantCulture),
            ["GRACE_SECONDS"] = ThroughputLoad.Grace.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = "0",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), $"poe-bench-{Environment.ProcessId}"),
        }).Build();
        var worker = WorkerHost.Build(configuration, clock, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync();
        return new WorkerUnderTest(arena, worker);
    }

    public int FeeSplits => feeSplits.Count;

    /// <summary>Waits until the worker has committed everything <paramref name="topic"/> holds (its consumer group is the application id); false on timeout or if it stopped.</summary>
    public async Task<bool> CommittedAllAsync(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = arena.BootstrapServers, GroupId = ApplicationId }).Build();
        var partitions = Enumerable.Range(0, arena.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < arena.Timeout && !Stopped)
        {
            var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
            if (committed.All(c => c.Offset.Value >= consumer.QueryWatermarkOffsets(c.TopicPartition, TimeSpan.FromSeconds(10)).High.Value))
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    public int Late => deadLetters.GetValueOrDefault("late");

    public bool HasPublished(IEnumerable<string> epochIds) => epochIds.All(manifests.Contains);

    public int Published(IEnumerable<string> epochIds) => epochIds.Count(manifests.Contains);

    public string DeadLetters => deadLetters.Count == 0
        ? "none"
        : string.Join(", ", deadLetters.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} {d.Value}"));

    /// <summary>Whether the worker stopped itself (it does when the broker deleted records it had not read).</summary>
    public bool Stopped => worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;

    /// <summary>Waits until <paramref name="done"/> holds over what the worker published, the worker stops, or the timeout; says whether it held.</summary>
    public bool Until(Func<WorkerUnderTest, bool> done) => watch.Until(() => done(this) || Stopped) && !Stopped;

    public async ValueTask DisposeAsync()
    {
        watch.Dispose();
        await worker.StopAsync();
        worker.Dispose();
        registry.Dispose();
    }

    /// <summary>A wall clock stopped a day after the load: it closes no epoch, so only records do.</summary>
    public static TimeProvider FrozenAfter(LoadExpectations load) => new FrozenClock(load.ClosedAt.AddDays(1));

    private sealed class FrozenClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

/// <summary>
/// The worker as a contestant: its run ends when its effect is in the outputs, one fee split per
/// verified job and a reward manifest for every epoch of the load. It fails on a fee split too many,
/// any <c>late</c> dead letter, or the timeout. It runs on the system clock, as in production: the load
/// lies in the past, so an input partition with nothing (more) to read closes its epochs by the wall
/// clock once idle for the grace period, while partitions with a backlog keep their own clocks.
/// </summary>
public static class WorkerContestant
{
    public static async Task<ContestResult> RunAsync(Arena arena)
    {
        var load = arena.Load;
        var meter = ProcessMeter.Start();
        await using var worker = await WorkerUnderTest.StartAsync(arena, TimeProvider.System);
        var complete = await Task.Run(() => worker.Until(w => w.FeeSplits >= load.VerifiedJobs && w.HasPublished(load.EpochIds)));
        var cost = meter.Stop();

        var failures = new List<string>();
        if (worker.Stopped)
        {
            failures.Add("the worker stopped itself (see its log)");
        }
        else if (!complete)
        {
            failures.Add($"timed out after {arena.Timeout}: {worker.FeeSplits:N0} of {load.VerifiedJobs:N0} fee splits, {worker.Published(load.EpochIds)} of {load.EpochIds.Count} epochs published");
        }

        if (worker.FeeSplits > load.VerifiedJobs)
        {
            failures.Add($"{worker.FeeSplits:N0} fee splits for {load.VerifiedJobs:N0} verified jobs");
        }

        if (worker.Late > 0)
        {
            failures.Add($"{worker.Late:N0} records dead-lettered late");
        }

        return new ContestResult(
            "PoeStreams worker",
            load.Records,
            cost,
            $"{worker.FeeSplits:N0} fee splits = verified jobs, {worker.Published(load.EpochIds)} epochs published, dead letters: {worker.DeadLetters}",
            failures);
    }
}
