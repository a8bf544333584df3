using System.Reflection;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// Serializes an <see cref="Emit"/>'s value by its type: the contract of each output topic of the
/// catalog as Avro with the schema registry, the internal records as JSON. Sinks only write, so it
/// never deserializes.
/// </summary>
public sealed class EmitSerDes : AbstractSerDes<Emit>
{
    private readonly Dictionary<Type, Func<object, SerializationContext, byte[]>> serializers;

    public EmitSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas = true)
    {
        // The Avro contract of every output topic in the catalog.
        var avro = typeof(EmitSerDes).GetMethod(nameof(Avro), BindingFlags.NonPublic | BindingFlags.Static)!;
        serializers = TopicCatalog.Topics
            .Where(topic => topic.Role == TopicRole.Output)
            .ToDictionary(
                topic => topic.ValueType!,
                topic => (Func<object, SerializationContext, byte[]>)avro.MakeGenericMethod(topic.ValueType!).Invoke(null, [registry, autoRegisterSchemas])!);
        serializers[typeof(SequencedEvent)] = (value, _) => Json.Serialize((SequencedEvent)value);
        serializers[typeof(EpochPartial)] = (value, _) => Json.Serialize((EpochPartial)value);
    }

    public override byte[] Serialize(Emit data, SerializationContext context) =>
        serializers.TryGetValue(data.Value.GetType(), out var serialize)
            ? serialize(data.Value, new SerializationContext(context.Component, data.Topic, context.Headers))
            : throw new InvalidOperationException($"No serializer for {data.Value.GetType().Name} on {data.Topic}.");

    public override Emit Deserialize(byte[] data, SerializationContext context) =>
        throw new NotSupportedException("Emit records are written by sinks and never read back.");

    private static Func<object, SerializationContext, byte[]> Avro<T>(ISchemaRegistryClient registry, bool autoRegister)
        where T : class, ISpecificRecord, new()
    {
        var serdes = new AvroSerDes<T>(registry, autoRegister);
        return (value, context) => serdes.Serialize((T)value, context);
    }
}
