using System.Runtime.CompilerServices;
using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// The JSON SerDes of a stage's source topic. Streamiz (1.8.2 and its newest source) deserializes every
/// record it reads twice: once when the record reaches the head of its partition's queue, to extract
/// its timestamp, and again when the task processes it, both times from the same byte array. The
/// second call gets the first one's object, so a record is parsed once (safe because the messages are
/// immutable records). An entry lives only as long as the record's bytes, and is dropped at the second
/// call.
/// </summary>
public sealed class SourceValueSerDes<T> : AbstractSerDes<T>
    where T : class
{
    private readonly ConditionalWeakTable<byte[], T> parsed = [];

    public override byte[] Serialize(T data, SerializationContext context) => Json.Serialize(data);

    public override T Deserialize(byte[] data, SerializationContext context)
    {
        if (data is not null && parsed.TryGetValue(data, out var first))
        {
            parsed.Remove(data);
            return first;
        }

        var value = Json.Deserialize<T>(data);
        parsed.AddOrUpdate(data!, value); // null bytes never parse
        return value;
    }
}
