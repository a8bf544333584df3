using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.Ingest;

/// <summary>Builds dead-letter outputs, keyed by the source topic.</summary>
public static class DeadLetters
{
    public static Emit For(SourceRecord source, string reason, string detail) =>
        new(
            PoeTopics.DeadLetters,
            source.Topic,
            DeadLetter.Of(source.Topic, source.Partition, source.Offset, source.Timestamp, source.Key, source.Value, reason, detail),
            source.Timestamp);
}

/// <summary>A rejection found while decoding or validating an input.</summary>
public sealed class RejectedInputException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}
