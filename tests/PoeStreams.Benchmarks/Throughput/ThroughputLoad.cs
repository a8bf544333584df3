using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using PoeStreams.Testing;
using PoeStreams.Topology;

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

    private ThroughputLoad(List<LoadRecord> records, int verifiedJobs, IReadOnlyList<string> epochIds, DateTimeOffset closedAt)
    {
        Records = records;
        VerifiedJobs = verifiedJobs;
        EpochIds = epochIds;
        ClosedAt = closedAt;
    }

    public IReadOnlyList<LoadRecord> Records { get; }

    /// <summary>Jobs of registered miners with status Verified: each must give exactly one fee split.</summary>
    public int VerifiedJobs { get; }

    /// <summary>The epochs of the load: each must be published (a reward manifest).</summary>
    public IReadOnlyList<string> EpochIds { get; }

    /// <summary>The record time of the closers, after every epoch of the load and its grace.</summary>
    public DateTimeOffset ClosedAt { get; }

    public static ThroughputLoad Generate(int records, int epochs, int miners, int partitions, ISchemaRegistryClient registry)
    {
        var random = new Random(11);
        var writer = new Writer(registry);
        var load = new List<LoadRecord>(records + (5 * partitions));
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

        var closedAt = Start.AddMinutes(5 * epochs).AddMinutes(1);
        load.AddRange(Scenarios.Closers(closedAt, partitions).Select(closer => new LoadRecord(
            closer.Topic, System.Text.Encoding.UTF8.GetBytes(closer.Key), closer.Bytes(registry), closer.At.ToUnixTimeMilliseconds())));
        var epochIds = Enumerable.Range(0, epochs).Select(e => EpochWindow.Containing(Start.AddMinutes(5 * e), TimeSpan.FromMinutes(5)).Id).ToList();
        return new ThroughputLoad(load, verified, epochIds, closedAt);
    }

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
