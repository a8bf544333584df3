using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>A Streamiz SerDes over <see cref="AvroCodec{T}"/> (Confluent wire format).</summary>
public sealed class AvroSerDes<T>(ISchemaRegistryClient registry, bool autoRegisterSchemas = true) : AbstractSerDes<T>
    where T : class, ISpecificRecord, new()
{
    private readonly AvroCodec<T> codec = new(registry, autoRegisterSchemas);

    public override byte[] Serialize(T data, SerializationContext context) => codec.Serialize(data, context.Topic, context.Component);

    public override T Deserialize(byte[] data, SerializationContext context) => codec.Deserialize(data);
}
