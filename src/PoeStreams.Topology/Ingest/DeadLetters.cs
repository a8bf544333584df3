using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.Ingest;

/// <summary>The reasons a record is dead-lettered; short codes so dashboards can group by them.</summary>
public static class DeadLetterReasons
{
    public const string Undecodable = "undecodable";
    public const string UnknownEnum = "unknown-enum";

    /// <summary>Valid Avro written with the schema of another record type (another topic's record).</summary>
    public const string WrongSchema = "wrong-schema";
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
    public const string TooLarge = "too-large";

    /// <summary>ClickHouse refused the row for its data: the record is in Kafka, but not in the history.</summary>
    public const string SinkRejected = "sink-rejected";
}

/// <summary>Builds dead-letter outputs. The rejection time is the source record's timestamp, so replays match.</summary>
public static class DeadLetters
{
    /// <summary>
    /// The most bytes of key and value an input record may have. A larger one is rejected as
    /// <see cref="DeadLetterReasons.TooLarge"/> before anything copies it: the internal hop and its dead
    /// letter must stay below the producers' message limit (1 MB by default), or the record would stop
    /// the stream thread on every restart.
    /// </summary>
    public const int MaxOriginalBytes = 256 * 1024;

    /// <summary>How much of a too-large original a dead letter keeps; its size and SHA-256 go into the detail.</summary>
    public const int KeptPrefixBytes = 4 * 1024;

    public static Emit For(SourceRecord source, string reason, string detail)
    {
        var (key, value) = (source.Key, source.Value);
        if (SizeOf(source) > MaxOriginalBytes)
        {
            detail += $" (original key {Describe(key)}, value {Describe(value)}; the first {KeptPrefixBytes} bytes of each are kept)";
            (key, value) = (Prefix(key), Prefix(value));
        }

        return new(
            PoeTopics.DeadLetters,
            source.Topic,
            new DeadLetter
            {
                source_topic = source.Topic,
                source_partition = source.Partition,
                source_offset = source.Offset,
                reason = reason,
                detail = detail,
                original_key = key,
                original_value = value,
                rejected_at = DateTimeOffset.FromUnixTimeMilliseconds(source.Timestamp).UtcDateTime,
            },
            source.Timestamp);
    }

    /// <summary>The bytes of the record's key and value together.</summary>
    public static long SizeOf(SourceRecord source) => (long)(source.Key?.Length ?? 0) + (source.Value?.Length ?? 0);

    private static string Describe(byte[]? bytes) =>
        bytes is null ? "null" : $"{bytes.Length} bytes, SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}";

    private static byte[]? Prefix(byte[]? bytes) => bytes is null || bytes.Length <= KeptPrefixBytes ? bytes : bytes[..KeptPrefixBytes];
}

/// <summary>A rejection found while decoding or validating an input.</summary>
public sealed class RejectedInputException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}
