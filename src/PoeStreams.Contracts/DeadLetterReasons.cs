namespace PoeStreams.Contracts;

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
