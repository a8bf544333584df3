using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using PoeStreams.Testing;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>One input record of the load, serialized once and produced as is.</summary>
public sealed record LoadRecord(string Topic, byte[] Key, byte[] Value, long Timestamp);

/// <summary>
/// A seeded backfill of valid work spread over several five-minute epochs: the registrations of
/// <c>miners</c> miners, then jobs (one in ten unverified) with an uptime, quality, liquidity and load
/// sample of one of sixteen nodes for every ten, and a gold attestation per epoch; then closers on every input partition, so the
/// last epoch closes without the wall clock. What every contestant must account for is known in advance.
/// </summary>
public sealed class ThroughputLoad
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The grace period the worker runs with: an epoch closes once every input partition is past its end and this.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private ThroughputLoad(List<LoadRecord> work, List<LoadRecord> closers, int verifiedJobs, IReadOnlyList<string> epochIds, DateTimeOffset closedAt)
    {
        Work = work;
        Closers = closers;
        Records = [.. work, .. closers];
        VerifiedJobs = verifiedJobs;
        EpochIds = epochIds;
        ClosedAt = closedAt;
    }

    /// <summary>Every record: the work, then the closers.</summary>
    public IReadOnlyList<LoadRecord> Records { get; }

    /// <summary>The records of the epochs.</summary>
    public IReadOnlyList<LoadRecord> Work { get; }

    /// <summary>A record at <see cref="ClosedAt"/> in every input partition: they close every epoch of the work.</summary>
    public IReadOnlyList<LoadRecord> Closers { get; }

    /// <summary>Jobs of registered miners with status Verified: each must give exactly one fee split.</summary>
    public int VerifiedJobs { get; }

    /// <summary>The epochs of the load: each must be published (a reward manifest).</summary>
    public IReadOnlyList<string> EpochIds { get; }

    /// <summary>The record time of the closers, after every epoch of the load and its grace.</summary>
    public DateTimeOffset ClosedAt { get; }

    public LoadExpectations Expectations => new(Records.Count, VerifiedJobs, EpochIds, ClosedAt);

    public static ThroughputLoad Generate(int records, int epochs, int miners, int partitions, ISchemaRegistryClient registry)
    {
        var random = new Random(11);
        var writer = new Writer(registry);
        var load = new List<LoadRecord>(records);
        for (var m = 0; m < miners; m++)
        {
            var at = Start.AddMilliseconds(m);
            load.Add(writer.Record(PoeTopics.Miners, $"m{m}", Inputs.Miner($"m{m}", (JobType)(m % 10), at), at));
        }

        // Per ten jobs: ten jobs and four metric samples.
        var jobsPerEpoch = (int)Math.Max(10, (records - miners) / epochs / 14L * 10);
        var spacing = TimeSpan.FromMinutes(5) / (jobsPerEpoch + 2);
        var verified = 0;
        for (var e = 0; e < epochs; e++)
        {
            var epochStart = Start.AddMinutes(5 * e);
            load.Add(writer.Record(PoeTopics.GoldReserves, $"vault-{e % 3}", Inputs.Gold($"vault-{e % 3}", 100m * (e + 1), epochStart + spacing), epochStart + spacing));
            for (var i = 0; i < jobsPerEpoch; i++)
            {
                var at = epochStart + (spacing * (i + 2));
                var miner = $"m{random.Next(miners)}";
                var status = i % 10 == 9 ? VerificationStatus.Pending : VerificationStatus.Verified;
                verified += status == VerificationStatus.Verified ? 1 : 0;
                load.Add(writer.Record(PoeTopics.Jobs, miner, Inputs.Job($"e{e}-j{i}", miner, random.Next(1, 200_000), random.Next(0, 101) / 100m, at, (JobType)random.Next(10), status), at));
                if (i % 10 == 0)
                {
                    // Sixteen reporting nodes, so no partition gets every sample.
                    var node = $"node-{i / 10 % 16}";
                    load.Add(writer.Record(PoeTopics.NetworkMetrics, node, Inputs.Metric(node, MetricKind.Uptime, random.Next(80, 101) / 100m, at), at));
                    load.Add(writer.Record(PoeTopics.NetworkMetrics, node, Inputs.Metric(node, MetricKind.ServiceQuality, random.Next(50, 101) / 100m, at), at));
                    load.Add(writer.Record(PoeTopics.NetworkMetrics, node, Inputs.Metric(node, MetricKind.LiquidityDelta, random.Next(-1000, 5000), at), at));
                    load.Add(writer.Record(PoeTopics.NetworkMetrics, node, Inputs.Load(node, random.Next(1000, 90_000), 20m, random.Next(0, 900), random.Next(1, 50) / 10m, at), at));
                }
            }
        }

        return Closed(load, verified, epochs, partitions, registry);
    }

    /// <summary>
    /// One epoch in which each of <paramref name="miners"/> registered miners completes one verified
    /// job: what stage 1 and stage 2 do at the close of an epoch with that many active miners. The
    /// epoch before it is closed first (records just past its grace in every input partition), so each
    /// job is applied as it arrives and only the close itself is left for the closers.
    /// </summary>
    public static ThroughputLoad OneEpoch(int miners, int partitions, ISchemaRegistryClient registry)
    {
        var writer = new Writer(registry);
        var load = new List<LoadRecord>(2 * miners);
        var spacing = TimeSpan.FromMinutes(4) / miners;
        for (var m = 0; m < miners; m++)
        {
            load.Add(writer.Record(PoeTopics.Miners, $"m{m}", Inputs.Miner($"m{m}", (JobType)(m % 10), Start), Start));
        }

        load.AddRange(Closing(Start + Grace + TimeSpan.FromSeconds(1), partitions, registry));

        for (var m = 0; m < miners; m++)
        {
            var at = Start + TimeSpan.FromSeconds(30) + (spacing * m);
            load.Add(writer.Record(PoeTopics.Jobs, $"m{m}", Inputs.Job($"j{m}", $"m{m}", 1_000 + (m % 997), (m % 101) / 100m, at), at));
        }

        return Closed(load, miners, epochs: 1, partitions, registry);
    }

    private static ThroughputLoad Closed(List<LoadRecord> work, int verified, int epochs, int partitions, ISchemaRegistryClient registry)
    {
        var closedAt = Start.AddMinutes(5 * epochs).AddMinutes(1);
        var closers = Closing(closedAt, partitions, registry);
        var epochIds = Enumerable.Range(0, epochs).Select(e => EpochWindow.Containing(Start.AddMinutes(5 * e), TimeSpan.FromMinutes(5)).Id).ToList();
        return new ThroughputLoad(work, closers, verified, epochIds, closedAt);
    }

    private static List<LoadRecord> Closing(DateTimeOffset at, int partitions, ISchemaRegistryClient registry) =>
        Scenarios.Closers(at, partitions)
            .Select(closer => new LoadRecord(closer.Topic, System.Text.Encoding.UTF8.GetBytes(closer.Key), closer.Bytes(registry), closer.At.ToUnixTimeMilliseconds()))
            .ToList();

    // One Confluent serializer per contract type, each used for every record of its type.
    private sealed class Writer(ISchemaRegistryClient registry)
    {
        private readonly Dictionary<Type, object> serializers = [];

        public LoadRecord Record<T>(string topic, string key, T value, DateTimeOffset at)
            where T : class, ISpecificRecord
        {
            if (!serializers.TryGetValue(typeof(T), out var serializer))
            {
                serializers[typeof(T)] = serializer = new AvroSerializer<T>(registry).AsSyncOverAsync();
            }

            var bytes = ((ISerializer<T>)serializer).Serialize(value, new SerializationContext(MessageComponentType.Value, topic));
            return new LoadRecord(topic, System.Text.Encoding.UTF8.GetBytes(key), bytes, at.ToUnixTimeMilliseconds());
        }
    }
}
