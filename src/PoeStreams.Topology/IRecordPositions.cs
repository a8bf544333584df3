namespace PoeStreams.Topology;

/// <summary>
/// The position of the record a stage is processing in its input partition, on which the stages'
/// replay checks rely (a record at or before the position a state was written at is read again). In
/// production it is the Kafka offset. Streamiz's synchronous test driver numbers each batch it forwards
/// from one sub-topology to the next from 0 again, so topology tests count records instead.
/// </summary>
public interface IRecordPositions
{
    long Of(string topic, int partition, long offset);
}

/// <summary>The Kafka offset.</summary>
public sealed class KafkaOffsets : IRecordPositions
{
    public static KafkaOffsets Instance { get; } = new();

    public long Of(string topic, int partition, long offset) => offset;
}
