using Streamiz.Kafka.Net.Processors;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// Where an <see cref="Emit"/> goes: its own topic and timestamp. The partition is left to the
/// producer's murmur2 partitioner (the worker configures it), which places each key where a Java
/// producer would.
/// </summary>
public sealed class EmitRouting : ITopicNameExtractor<string, Emit>, IRecordTimestampExtractor<string, Emit>
{
    string ITopicNameExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => value.Topic;

    long IRecordTimestampExtractor<string, Emit>.Extract(string key, Emit value, IRecordContext recordContext) => value.Timestamp;
}
