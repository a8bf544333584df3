using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Time.Testing;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Runs the real topology in Streamiz's TopologyTestDriver with Avro bytes in and out.</summary>
internal sealed class TopologyHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = Inputs.T0;

    private readonly TopologyTestDriver driver;
    private readonly Dictionary<string, TestInputTopic<byte[], byte[]>> inputs = [];
    private readonly Dictionary<string, TestOutputTopic<byte[], byte[]>> outputs = [];

    public TopologyHarness(PoeTopologyOptions? options = null, IInputBacklog? backlog = null)
    {
        Options = options ?? new PoeTopologyOptions { Partitions = 1 };
        var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = Options.ApplicationId };
        driver = new TopologyTestDriver(PoeTopology.Build(Options, Registry, Clock, backlog: backlog, positions: Positions), config);
    }

    /// <summary>Numbers the records each stage reads, per input partition (the test driver's offsets restart with every batch).</summary>
    public CountedPositions Positions { get; } = new();

    /// <summary>The wall clock the topology sees; starts at <see cref="T0"/>.</summary>
    public FakeTimeProvider Clock { get; } = new(T0);

    public InProcessSchemaRegistry Registry { get; } = new();

    public PoeTopologyOptions Options { get; }

    public void Pipe<T>(string topic, string key, T value, DateTimeOffset recordTime)
        where T : class, ISpecificRecord =>
        PipeBytes(topic, key, Serialize(topic, value), recordTime);

    /// <summary>The bytes a producer would write: Confluent framing with the schema id from <see cref="Registry"/>.</summary>
    public byte[] Serialize<T>(string topic, T value)
        where T : class, ISpecificRecord =>
        new AvroSerializer<T>(Registry).AsSyncOverAsync().Serialize(value, new SerializationContext(MessageComponentType.Value, topic));

    /// <summary>Publishes a governance event at its issue time, keyed by its id.</summary>
    public void Govern(GovernanceEvent governance) =>
        Pipe(PoeTopics.Governance, governance.event_id, governance, ContractMapping.Utc(governance.issued_at));

    /// <summary>Moves stream time to <paramref name="at"/>: any record does; an uptime sample is the lightest.</summary>
    public void Tick(DateTimeOffset at) =>
        Pipe(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 1m, at), at);

    /// <summary>
    /// Writes a record as a live producer would: the wall clock follows the record times, so input
    /// partitions that are idle move their clocks with it. <see cref="LiveClock"/> false freezes the clock,
    /// as in a backfill whose records are all older than the wall clock.
    /// </summary>
    public void PipeBytes(string topic, string key, byte[]? value, DateTimeOffset recordTime)
    {
        if (!inputs.TryGetValue(topic, out var input))
        {
            input = driver.CreateInputTopic<byte[], byte[]>(topic, new ByteArraySerDes(), new ByteArraySerDes());
            inputs[topic] = input;
        }

        input.PipeInput(System.Text.Encoding.UTF8.GetBytes(key), value!, recordTime.UtcDateTime);
        if (LiveClock && recordTime > Clock.GetUtcNow())
        {
            AdvanceWallClock(recordTime - Clock.GetUtcNow());
        }
    }

    /// <summary>Whether the wall clock follows the record times (see <see cref="PipeBytes"/>).</summary>
    public bool LiveClock { get; set; } = true;

    /// <summary>Moves the wall clock on and lets the punctuators run.</summary>
    public void AdvanceWallClock(TimeSpan by)
    {
        Clock.Advance(by);
        driver.AdvanceWallClockTime(by);
    }

    /// <summary>Everything written to <paramref name="topic"/> since the last read, decoded.</summary>
    public List<(string Key, T Value)> Read<T>(string topic)
        where T : class, ISpecificRecord
    {
        if (!outputs.TryGetValue(topic, out var output))
        {
            output = driver.CreateOutputTopic<byte[], byte[]>(topic, TimeSpan.FromSeconds(1), new ByteArraySerDes(), new ByteArraySerDes());
            outputs[topic] = output;
        }

        // Confluent's own deserializer: the worker's codec must write what it reads.
        var deserializer = new AvroDeserializer<T>(Registry).AsSyncOverAsync();
        return output.ReadKeyValueList()
            .Select(r => (System.Text.Encoding.UTF8.GetString(r.Message.Key), deserializer.Deserialize(r.Message.Value, false, new SerializationContext(MessageComponentType.Value, topic))))
            .ToList();
    }

    /// <summary>
    /// The one record written to <paramref name="topic"/>. Fails with the keys found, never with the
    /// records themselves: xunit formatting an AvroDecimal recurses until the stack overflows.
    /// </summary>
    public (string Key, T Value) ReadSingle<T>(string topic)
        where T : class, ISpecificRecord
    {
        var records = Read<T>(topic);
        Assert.True(records.Count == 1, $"{topic}: expected one record, found {records.Count}: [{string.Join(", ", records.Select(r => r.Key))}]");
        return records[0];
    }

    /// <summary>The raw values written to <paramref name="topic"/> since the last read.</summary>
    public List<(string Key, byte[] Value)> ReadBytes(string topic)
    {
        if (!outputs.TryGetValue(topic, out var output))
        {
            output = driver.CreateOutputTopic<byte[], byte[]>(topic, TimeSpan.FromSeconds(1), new ByteArraySerDes(), new ByteArraySerDes());
            outputs[topic] = output;
        }

        return output.ReadKeyValueList().Select(r => (System.Text.Encoding.UTF8.GetString(r.Message.Key), r.Message.Value)).ToList();
    }

    /// <summary>
    /// A run told what is committed by <paramref name="backlog"/>: miner m1 with job j1 in the first
    /// epoch and j2 in the second, so the first epoch is decided by the claim stage.
    /// </summary>
    public static TopologyHarness WithJobsInTwoEpochs(SwitchableBacklog backlog)
    {
        var run = new TopologyHarness(backlog: backlog);
        run.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        run.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddMinutes(1)), T0.AddMinutes(1));
        run.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", 100m, 0.5m, T0.AddMinutes(7)), T0.AddMinutes(7));
        return run;
    }

    /// <summary>The keys held by state store <paramref name="name"/> (of the one task that has it).</summary>
    public List<string> StoreKeys<T>(string name) => [.. driver.GetKeyValueStore<string, T>(name).All().Select(entry => entry.Key)];

    public void Dispose() => driver.Dispose();
}

/// <summary>Counts the records read per topic partition; <see cref="Rewind"/> makes the next ones count again from an earlier position, as a consumer restarting from its last commit does.</summary>
internal sealed class CountedPositions : IRecordPositions
{
    private readonly Dictionary<(string Topic, int Partition), long> next = [];

    public long Of(string topic, int partition, long offset)
    {
        var position = next.GetValueOrDefault((topic, partition));
        next[(topic, partition)] = position + 1;
        return position;
    }

    public long Next(string topic, int partition = 0) => next.GetValueOrDefault((topic, partition));

    public void Rewind(string topic, int partition, long to) => next[(topic, partition)] = to;
}

/// <summary>Says every input partition is read to its end except those of <see cref="Behind"/>, and what is committed.</summary>
internal sealed class SwitchableBacklog : IInputBacklog
{
    public string? Behind { get; set; }

    public void Read(string topic, int partition, long offset)
    {
    }

    public bool IsCaughtUp(string topic, int partition) => topic != Behind;

    /// <summary>What the application has committed, per topic (every partition alike); unknown for others.</summary>
    public Dictionary<string, long> CommittedOffsets { get; } = [];

    public long? Committed(string topic, int partition) => CommittedOffsets.TryGetValue(topic, out var committed) ? committed : null;
}
