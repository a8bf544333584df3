using Streamiz.Kafka.Net.Processors;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// An output sink's route: its one topic, and each <see cref="Emit"/>'s own timestamp. The partition is
/// left to the producer's murmur2 partitioner (the worker configures it), which places each key where a
/// Java producer would.
/// </summary>
public sealed class EmitTo(string topic) : ITopicNameExtractor<string, Emit>, IRecordTimestampExtractor<string, Emit>
{
    string ITopicNameExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => topic;

    long IRecordTimestampExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => value.Timestamp;
}
