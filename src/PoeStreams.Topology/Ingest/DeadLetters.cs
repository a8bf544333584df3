using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.Ingest;

/// <summary>The reasons a record is dead-lettered; short codes so dashboards can group by them.</summary>
public static class DeadLetterReasons
{
    public const string Undecodable = "undecodable";
    public const string UnknownEnum = "unknown-enum";
    public const string Tombstone = "tombstone";
    public const string NegativeValue = "negative-value";
    public const string QualityOutOfRange = "quality-out-of-range";
    public const string UptimeOutOfRange = "uptime-out-of-range";
    public const string ValueOutOfRange = "value-out-of-range";
    public const string MissingField = "missing-field";
    public const string FutureTimestamp = "future-timestamp";
    public const string UnknownMiner = "unknown-miner";
    public const string DuplicateJob = "duplicate-job";
    public const string Late = "late";
    public const string InvalidGovernance = "invalid-governance";
    public const string MintRefused = "mint-refused";
}

/// <summary>Builds dead-letter outputs. The rejection time is the source record's timestamp, so replays match.</summary>
public static class DeadLetters
{
    public static Emit For(SourceRecord source, string reason, string detail) => new(
        PoeTopics.DeadLetters,
        source.Topic,
        new DeadLetter
        {
            source_topic = source.Topic,
            source_partition = source.Partition,
            source_offset = source.Offset,
            reason = reason,
            detail = detail,
            original_key = source.Key,
            original_value = source.Value,
            rejected_at = DateTimeOffset.FromUnixTimeMilliseconds(source.Timestamp).UtcDateTime,
        },
        source.Timestamp);
}

/// <summary>A rejection found while decoding or validating an input.</summary>
public sealed class RejectedInputException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}
