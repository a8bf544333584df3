using Avro.Specific;
using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Runs the real topology in Streamiz's TopologyTestDriver with Avro bytes in and out.</summary>
internal sealed class TopologyHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly TopologyTestDriver driver;
    private readonly Dictionary<string, TestInputTopic<byte[], byte[]>> inputs = [];
    private readonly Dictionary<string, TestOutputTopic<byte[], byte[]>> outputs = [];

    public TopologyHarness(PoeTopologyOptions? options = null)
    {
        Options = options ?? new PoeTopologyOptions { Partitions = 1 };
        var config = new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = Options.ApplicationId };
        driver = new TopologyTestDriver(PoeTopology.Build(Options, Registry), config);
    }

    public InProcessSchemaRegistry Registry { get; } = new();

    public PoeTopologyOptions Options { get; }

    public void Pipe<T>(string topic, string key, T value, DateTimeOffset recordTime)
        where T : class, ISpecificRecord =>
        PipeBytes(topic, key, new AvroSerDes<T>(Registry).Serialize(value, new SerializationContext(MessageComponentType.Value, topic)), recordTime);

    public void PipeBytes(string topic, string key, byte[]? value, DateTimeOffset recordTime)
    {
        if (!inputs.TryGetValue(topic, out var input))
        {
            input = driver.CreateInputTopic<byte[], byte[]>(topic, new ByteArraySerDes(), new ByteArraySerDes());
            inputs[topic] = input;
        }

        input.PipeInput(System.Text.Encoding.UTF8.GetBytes(key), value!, recordTime.UtcDateTime);
    }

    public void AdvanceWallClock(TimeSpan by) => driver.AdvanceWallClockTime(by);

    /// <summary>Everything written to <paramref name="topic"/> since the last read, decoded.</summary>
    public List<(string Key, T Value)> Read<T>(string topic)
        where T : class, ISpecificRecord
    {
        if (!outputs.TryGetValue(topic, out var output))
        {
            output = driver.CreateOutputTopic<byte[], byte[]>(topic, TimeSpan.FromSeconds(1), new ByteArraySerDes(), new ByteArraySerDes());
            outputs[topic] = output;
        }

        var serdes = new AvroSerDes<T>(Registry);
        return output.ReadKeyValueList()
            .Select(r => (System.Text.Encoding.UTF8.GetString(r.Message.Key), serdes.Deserialize(r.Message.Value, new SerializationContext(MessageComponentType.Value, topic))))
            .ToList();
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

    public void Dispose() => driver.Dispose();
}
