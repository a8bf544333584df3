using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// Where an <see cref="Emit"/> goes: its own topic and timestamp, and its own partition when it names
/// one, otherwise Kafka's murmur2 partition of its key (the same place a Java producer would put it).
/// </summary>
public sealed class EmitRouting : ITopicNameExtractor<string, Emit>, IRecordTimestampExtractor<string, Emit>, IStreamPartitioner<string, Emit>
{
    string ITopicNameExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => value.Topic;

    long IRecordTimestampExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => value.Timestamp;

    public void Initialize(IStreamConfig config)
    {
    }

    public Partition Partition(string topic, string key, Emit value, Partition sourcePartition, int numPartitions) =>
        new(value.Partition is { } partition ? partition % numPartitions : KafkaPartitioner.PartitionOf(value.Key, numPartitions));
}
