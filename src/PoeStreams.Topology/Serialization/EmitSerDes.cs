using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// Serializes an <see cref="Emit"/>'s value by its type: the public contracts as Avro with the schema
/// registry, the internal records as JSON. Sinks only write, so it never deserializes.
/// </summary>
public sealed class EmitSerDes : AbstractSerDes<Emit>
{
    private readonly Dictionary<Type, Func<object, SerializationContext, byte[]>> serializers;

    public EmitSerDes(ISchemaRegistryClient registry, bool autoRegisterSchemas = true)
    {
        serializers = new Dictionary<Type, Func<object, SerializationContext, byte[]>>
        {
            [typeof(JobFeeSplit)] = Avro<JobFeeSplit>(registry, autoRegisterSchemas),
            [typeof(PoeIndexSnapshot)] = Avro<PoeIndexSnapshot>(registry, autoRegisterSchemas),
            [typeof(MinerReward)] = Avro<MinerReward>(registry, autoRegisterSchemas),
            [typeof(RewardManifest)] = Avro<RewardManifest>(registry, autoRegisterSchemas),
            [typeof(MintDecision)] = Avro<MintDecision>(registry, autoRegisterSchemas),
            [typeof(OwnerSalaryReport)] = Avro<OwnerSalaryReport>(registry, autoRegisterSchemas),
            [typeof(DeadLetter)] = Avro<DeadLetter>(registry, autoRegisterSchemas),
            [typeof(SequencedEvent)] = (value, _) => Json.Serialize((SequencedEvent)value),
            [typeof(EpochPartial)] = (value, _) => Json.Serialize((EpochPartial)value),
        };
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
