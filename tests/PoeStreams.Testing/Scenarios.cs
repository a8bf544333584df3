using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Testing;

/// <summary>An input record of a scenario: its topic, key and record time, and its Avro bytes for a registry.</summary>
public sealed record ScenarioRecord(string Topic, string Key, DateTimeOffset At, Func<ISchemaRegistryClient, byte[]> Bytes);

/// <summary>Input scenarios shared by the topology and the over-the-wire tests.</summary>
public static class Scenarios
{
    /// <summary>A scenario record of <paramref name="value"/>, serialized with Confluent's Avro serializer for whichever registry reads it.</summary>
    public static ScenarioRecord Record<T>(string topic, string key, T value, DateTimeOffset at)
        where T : class, ISpecificRecord =>
        new(topic, key, at, registry => new AvroSerializer<T>(registry).AsSyncOverAsync().Serialize(value, new SerializationContext(MessageComponentType.Value, topic)));

    /// <summary>
    /// Three five-minute epochs from <paramref name="start"/> with every input topic: four registrations,
    /// 90 jobs, every metric kind, two gold attestations, a mint request and a fee-rate update; with
    /// <paramref name="withRejections"/> also a job of an unknown miner and one that is late in its own
    /// partition. In record-time order, which is each topic's log order in every run.
    /// </summary>
    public static List<ScenarioRecord> ThreeEpochs(DateTimeOffset start, bool withRejections)
    {
        var random = new Random(5);
        var records = new List<ScenarioRecord>();
        void Add<T>(string topic, string key, T value, DateTimeOffset at)
            where T : class, ISpecificRecord => records.Add(Record(topic, key, value, at));

        for (var m = 0; m < 4; m++)
        {
            Add("poe.miners", $"m{m}", Inputs.Miner($"m{m}", (JobType)(m * 3 % 10), start.AddSeconds(m)), start.AddSeconds(m));
        }

        for (var i = 0; i < 90; i++)
        {
            var at = start.AddSeconds(5 + (i * 9));
            var miner = $"m{random.Next(4)}";
            Add("poe.jobs", miner, Inputs.Job($"j{i}", miner, random.Next(1, 200_000), random.Next(0, 101) / 100m, at, (JobType)random.Next(10)), at);
            Add("poe.network-metrics", "up", Inputs.Metric("up", MetricKind.Uptime, random.Next(80, 101) / 100m, at), at);
            if (i % 3 == 0)
            {
                Add("poe.network-metrics", "q", Inputs.Metric("q", MetricKind.ServiceQuality, random.Next(50, 101) / 100m, at.AddSeconds(1)), at.AddSeconds(1));
                Add("poe.network-metrics", "l", Inputs.Metric("l", MetricKind.LiquidityDelta, random.Next(-1000, 5000), at.AddSeconds(2)), at.AddSeconds(2));
                Add("poe.network-metrics", "load", Inputs.Load("load", random.Next(1000, 90_000), 20m, random.Next(0, 900), random.Next(1, 50) / 10m, at.AddSeconds(3)), at.AddSeconds(3));
            }
        }

        if (withRejections)
        {
            Add("poe.jobs", "ghost", Inputs.Job("orphan", "ghost", 1_000m, 0.5m, start.AddSeconds(100)), start.AddSeconds(100));
            Add("poe.jobs", "m1", Inputs.Job("too-late", "m1", 1_000m, 0.5m, start.AddSeconds(30)), start.AddSeconds(812));
        }

        Add("poe.gold-reserves", "vault-1", Inputs.Gold("vault-1", 500m, start.AddSeconds(40)), start.AddSeconds(40));
        Add("poe.gold-reserves", "vault-2", Inputs.Gold("vault-2", 250m, start.AddSeconds(400)), start.AddSeconds(400));
        Add("poe.governance", "mint-1", Inputs.MintRequest("mint-1", TokenSymbol.NEX, 25m, start.AddSeconds(200)), start.AddSeconds(200));
        Add("poe.governance", "fees-2", Inputs.Governance("fees-2", GovernanceAction.UpdateParameters, start.AddSeconds(290), new Dictionary<string, string>
        {
            ["fee_structure.total_fee_rate"] = "0.02",
            ["fee_structure.treasury_rate"] = "0.013",
        }), start.AddSeconds(290));
        return [.. records.OrderBy(r => r.At)];
    }

    /// <summary>
    /// <paramref name="epochs"/> five-minute epochs from <paramref name="start"/> (a month end inside
    /// makes a salary report): <paramref name="miners"/> registrations, then per epoch
    /// <paramref name="jobsPerEpoch"/> jobs (one in ten unverified), an uptime, quality, liquidity and
    /// load sample for every ten jobs, and a gold attestation; a fee-rate update, a mint request, a
    /// salary approval, a job of an unknown miner, a reused job id and a job id copied under another miner. Record-time order.
    /// </summary>
    public static List<ScenarioRecord> Steady(DateTimeOffset start, int epochs, int miners, int jobsPerEpoch)
    {
        var random = new Random(7);
        var records = new List<ScenarioRecord>();
        void Add<T>(string topic, string key, T value, DateTimeOffset at)
            where T : class, ISpecificRecord => records.Add(Record(topic, key, value, at));

        for (var m = 0; m < miners; m++)
        {
            Add("poe.miners", $"m{m}", Inputs.Miner($"m{m}", (JobType)(m % 10), start.AddSeconds(m % 60)), start.AddSeconds(m % 60));
        }

        var spacing = TimeSpan.FromMinutes(5) / (jobsPerEpoch + 1);
        for (var e = 0; e < epochs; e++)
        {
            var epochStart = start.AddMinutes(5 * e);
            for (var i = 0; i < jobsPerEpoch; i++)
            {
                var at = epochStart + (spacing * (i + 1));
                var miner = $"m{random.Next(miners)}";
                var verification = i % 10 == 9 ? VerificationStatus.Pending : VerificationStatus.Verified;
                Add("poe.jobs", miner, Inputs.Job($"e{e}-j{i}", miner, random.Next(1, 200_000), random.Next(0, 101) / 100m, at, (JobType)random.Next(10), verification), at);
                if (i % 10 == 0)
                {
                    Add("poe.network-metrics", "up", Inputs.Metric("up", MetricKind.Uptime, random.Next(80, 101) / 100m, at), at);
                    Add("poe.network-metrics", "q", Inputs.Metric("q", MetricKind.ServiceQuality, random.Next(50, 101) / 100m, at), at);
                    Add("poe.network-metrics", "l", Inputs.Metric("l", MetricKind.LiquidityDelta, random.Next(-1000, 5000), at), at);
                    Add("poe.network-metrics", "load", Inputs.Load("load", random.Next(1000, 90_000), 20m, random.Next(0, 900), random.Next(1, 50) / 10m, at), at);
                }
            }

            Add("poe.gold-reserves", $"vault-{e % 3}", Inputs.Gold($"vault-{e % 3}", 100m * (e + 1), epochStart.AddSeconds(30)), epochStart.AddSeconds(30));
        }

        var middle = start.AddMinutes(5 * (epochs / 2)).AddSeconds(17);
        Add("poe.governance", "fees-1", Inputs.Governance("fees-1", GovernanceAction.UpdateParameters, middle, new Dictionary<string, string> { ["fee_structure.treasury_rate"] = "0.004" }), middle);
        Add("poe.governance", "mint-1", Inputs.MintRequest("mint-1", TokenSymbol.NEX, 25m, middle.AddSeconds(1)), middle.AddSeconds(1));
        var monthEnd = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        Add("poe.governance", "approve-1", Inputs.Governance("approve-1", GovernanceAction.ApproveSalary, monthEnd.AddMinutes(2), month: start.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)), monthEnd.AddMinutes(2));
        Add("poe.jobs", "ghost", Inputs.Job("orphan", "ghost", 1_000m, 0.5m, start.AddSeconds(100)), start.AddSeconds(100));
        Add("poe.jobs", "m0", Inputs.Job("e0-j0", "m0", 1_000m, 0.5m, start.AddSeconds(200)), start.AddSeconds(200));

        // A copy of a job id under another miner, earlier in event time than the first: it wins, whichever input partition is read first.
        var copier = $"m{miners - 1}";
        Add("poe.jobs", copier, Inputs.Job("e0-j1", copier, 2_000m, 0.7m, start.AddSeconds(1)), start.AddSeconds(1));
        return [.. records.OrderBy(r => r.At)];
    }

    /// <summary>
    /// Records at <paramref name="at"/> in every partition of every input topic, so every input
    /// partition's clock passes it and closes the epochs before it without waiting for the wall clock:
    /// an uptime sample, a registration, a job of an unknown miner, a gold attestation of nothing and a
    /// salary approval of a long-gone month.
    /// </summary>
    public static List<ScenarioRecord> Closers(DateTimeOffset at, int partitions)
    {
        var records = new List<ScenarioRecord>();
        void Add<T>(string topic, string key, T value)
            where T : class, ISpecificRecord => records.Add(Record(topic, key, value, at));

        for (var partition = 0; partition < partitions; partition++)
        {
            var id = Enumerable.Range(0, 1000).Select(i => $"closer-{i}").First(id => KafkaPartitioner.PartitionOf(id, partitions) == partition);
            var key = $"{id}-{at:HHmmss}";
            key = Enumerable.Range(0, 1000).Select(i => $"{key}-{i}").First(k => KafkaPartitioner.PartitionOf(k, partitions) == partition);
            Add(PoeTopics.NetworkMetrics, id, Inputs.Metric(id, MetricKind.Uptime, 1m, at));
            Add(PoeTopics.Miners, key, Inputs.Miner(key, null, at));
            Add(PoeTopics.Jobs, key, Inputs.Job(key, key + "-unknown", 1m, 1m, at));
            Add(PoeTopics.GoldReserves, id, Inputs.Gold(id, 0m, at));
            Add(PoeTopics.Governance, key, Inputs.Governance(key, GovernanceAction.ApproveSalary, at, month: "2020-01"));
        }

        return records;
    }

    /// <summary>The records one topic after another (registrations last), each topic in its own order: a burst where topics are read at very different speeds.</summary>
    public static List<ScenarioRecord> TopicByTopic(IEnumerable<ScenarioRecord> records) =>
        [.. records.OrderBy(r => r.Topic == "poe.miners" ? 1 : 0).ThenBy(r => r.Topic, StringComparer.Ordinal)];
}
