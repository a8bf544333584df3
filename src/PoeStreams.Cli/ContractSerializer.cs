using System.Collections.Concurrent;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Cli;

/// <summary>Serializes any contract record as Avro in Confluent wire format, choosing the serializer by its type.</summary>
public sealed class ContractSerializer(ISchemaRegistryClient registry)
{
    private readonly ConcurrentDictionary<Type, ISerDes> serializers = new();

    public byte[] Serialize(string topic, ISpecificRecord value)
    {
        var serdes = serializers.GetOrAdd(value.GetType(), type => (ISerDes)Activator.CreateInstance(typeof(AvroSerDes<>).MakeGenericType(type), registry, true)!);
        return serdes.SerializeObject(value, new SerializationContext(MessageComponentType.Value, topic));
    }
}
