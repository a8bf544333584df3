using System.Text.Json.Serialization;
using PoeStreams.Economics;
using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Minting;
using PoeTopics = PoeStreams.Contracts.PoeTopics;

namespace PoeStreams.Topology;

/// <summary>Where an input record came from, with its original bytes, so a later rejection loses nothing.</summary>
public sealed record SourceRecord(string Topic, int Partition, long Offset, long Timestamp, byte[]? Key, byte[]? Value)
{
    /// <summary>The input partition the record came from, as progress marks name it.</summary>
    [JsonIgnore]
    public string InputPartition => InputPartitionOf(Topic, Partition);

    /// <summary>The record's position: its input partition and offset.</summary>
    [JsonIgnore]
    public string Position => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{InputPartition}/{Offset}");

    public static string InputPartitionOf(string topic, int partition) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{topic}/{partition}");
}

public sealed record MinerRegistration(string MinerId, JobType? Specialization, DateTimeOffset RegisteredAt);

public enum MetricSampleKind
{
    LiquidityDelta,
    Uptime,
    ServiceQuality,
    NetworkLoad,
}

/// <summary>A validated network metric: <see cref="Value"/> for the first three kinds, <see cref="Load"/> for NetworkLoad.</summary>
public sealed record MetricSample(string SourceId, MetricSampleKind Kind, DateTimeOffset Timestamp, decimal? Value, NetworkLoadSample? Load);

public enum GovernanceActionKind
{
    UpdateParameters,
    ApproveSalary,
    EmergencyHalt,
    LiftHalt,
    MintRequest,
}

/// <summary>A governance event. It takes effect from the epoch after the one containing <see cref="IssuedAt"/>.</summary>
public sealed record GovernanceCommand(
    string EventId,
    GovernanceActionKind Action,
    DateTimeOffset IssuedAt,
    string IssuedBy,
    IReadOnlyDictionary<string, string> Parameters,
    string? Month,
    Token? Token,
    decimal? Amount);

public enum SequencedKind
{
    MinerRegistered,
    Job,
    Metric,
    GoldAttestation,
    Governance,

    /// <summary>An input partition's close boundary moved (<see cref="SequencedEvent.Progress"/>); written to every partition.</summary>
    Progress,
}

/// <summary>Input partition <see cref="Source"/> (<c>topic/partition</c>) has closed every epoch ending at or before <see cref="ClosedThrough"/>.</summary>
public sealed record SourceProgress(string Source, DateTimeOffset ClosedThrough);

/// <summary>
/// One record of <see cref="PoeTopics.Sequenced"/> (and, for jobs and their progress marks, of
/// <see cref="PoeTopics.JobClaims"/> before it): exactly one payload is set, by <see cref="Kind"/>.
/// A job that passed the claim stage carries its claim as <see cref="Via"/> (topic, partition and claim
/// number; no bytes): stage 1 counts what it folded in by that position, because jobs of one input
/// partition reach it through many claim partitions, each in its own order.
/// </summary>
public sealed record SequencedEvent(
    SequencedKind Kind,
    DateTimeOffset EventTime,
    SourceRecord? Source = null,
    MinerRegistration? Registration = null,
    EconomicJob? Job = null,
    MetricSample? Metric = null,
    GoldReserveAttestation? Gold = null,
    GovernanceCommand? Governance = null,
    SourceProgress? Progress = null,
    SourceRecord? Via = null)
{
    /// <summary>The position by which stage 1 counts this record as folded in: its claim for a job, else its input position.</summary>
    [JsonIgnore]
    public SourceRecord Applied => Via ?? Source!;
}

/// <summary>What one stage-1 partition saw of one epoch, besides per-miner scores.</summary>
public sealed record PartitionEpochActivity(EpochActivity Activity, NetworkLoadTally NetworkLoad, decimal OwnerSalary, long FeeSplits)
{
    public static PartitionEpochActivity Empty { get; } = new(EpochActivity.Empty, NetworkLoadTally.Empty, 0m, 0);

    public PartitionEpochActivity Combine(PartitionEpochActivity other) =>
        new(Activity.Combine(other.Activity), NetworkLoad.Combine(other.NetworkLoad), OwnerSalary + other.OwnerSalary, FeeSplits + other.FeeSplits);
}

public enum EpochPartialKind
{
    /// <summary>
    /// Up to <see cref="EpochPartial.ScoresPerRecord"/> miners' scores of one epoch, in miner-key order:
    /// one record per miner made the hop to stage 2 cost as much as scoring them.
    /// </summary>
    MinerScores,
    Activity,
    GoldAttestation,
    Governance,

    /// <summary>The partition has closed every epoch ending at or before <see cref="EpochPartial.ClosedThrough"/>.</summary>
    Watermark,
}

/// <summary>One record of <see cref="PoeTopics.EpochPartials"/>, from stage-1 partition <see cref="Partition"/>.</summary>
public sealed record EpochPartial(
    EpochPartialKind Kind,
    int Partition,
    DateTimeOffset? EpochStart = null,
    IReadOnlyList<MinerEpochScore>? Scores = null,
    PartitionEpochActivity? Activity = null,
    GoldReserveAttestation? Gold = null,
    GovernanceCommand? Governance = null,
    SourceRecord? Source = null,
    DateTimeOffset? ClosedThrough = null)
{
    /// <summary>The most scores one <see cref="EpochPartialKind.MinerScores"/> record carries.</summary>
    public const int ScoresPerRecord = 500;

    /// <summary>
    /// The most JSON bytes of scores one record carries, by <see cref="ScoreJsonBytesAtMost"/>: half of
    /// Kafka's default 1 MB message limit. A score larger than that (a miner id of about 87,000
    /// characters or more) goes alone, as every score did before they were batched.
    /// </summary>
    public const int ScoreBytesPerRecord = 512 * 1024;

    /// <summary>
    /// Cuts an epoch's scores, in order, into records of at most <see cref="ScoresPerRecord"/> scores and
    /// <see cref="ScoreBytesPerRecord"/> bytes. The same scores give the same records, so a close read
    /// again after a crash sends the same records again.
    /// </summary>
    public static IEnumerable<MinerEpochScore[]> ScoreBatches(IEnumerable<MinerEpochScore> scores)
    {
        var batch = new List<MinerEpochScore>(ScoresPerRecord);
        var bytes = 0L;
        foreach (var score in scores)
        {
            var size = ScoreJsonBytesAtMost(score);
            if (batch.Count == ScoresPerRecord || (batch.Count > 0 && bytes + size > ScoreBytesPerRecord))
            {
                yield return [.. batch];
                batch.Clear();
                bytes = 0;
            }

            batch.Add(score);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    /// <summary>
    /// An upper bound of a score's JSON: its field names and amounts at their longest (a decimal prints in
    /// at most 31 characters) take under 500 bytes, and each character of its id at most 6 (<c>\uXXXX</c>).
    /// </summary>
    public static long ScoreJsonBytesAtMost(MinerEpochScore score) => 500 + (6L * score.MinerId.Length);
}
