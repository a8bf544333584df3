using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>A Streamiz SerDes over Confluent's Avro serializer and deserializer (Confluent wire format).</summary>
public sealed class AvroSerDes<T> : AbstractSerDes<T>
    where T : class, ISpecificRecord
{
    private readonly ISerializer<T> serializer;
    private readonly IDeserializer<T> deserializer;

    public AvroSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas = true)
    {
        serializer = new AvroSerializer<T>(registry, new AvroSerializerConfig { AutoRegisterSchemas = autoRegisterSchemas }).AsSyncOverAsync();
        deserializer = new AvroDeserializer<T>(registry).AsSyncOverAsync();
    }

    public override byte[] Serialize(T data, SerializationContext context) => serializer.Serialize(data, context);

    public override T Deserialize(byte[] data, SerializationContext context) => deserializer.Deserialize(data, data is null, context);
}
