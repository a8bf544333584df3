using System.Text.Json.Serialization;
using PoeStreams.Economics;
using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Minting;
using PoeStreams.Topology.Serialization;
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

    /// <summary>
    /// Claimed jobs released together for one stage-1 partition (<see cref="SequencedEvent.Jobs"/>, each a
    /// <see cref="Job"/> with its claim), in claim order: one record per job made the hop cost as much
    /// as applying them.
    /// </summary>
    JobBatch,
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
    SourceRecord? Via = null,
    IReadOnlyList<SequencedEvent>? Jobs = null)
{
    /// <summary>The most jobs one <see cref="SequencedKind.JobBatch"/> record carries.</summary>
    public const int JobsPerRecord = 500;

    /// <summary>The position by which stage 1 counts this record as folded in: its claim for a job, else its input position.</summary>
    [JsonIgnore]
    public SourceRecord Applied => Via ?? Source!;

    /// <summary>
    /// Claimed jobs as the claim stage releases them: grouped by their miner's stage-1 partition (of
    /// <paramref name="partitions"/>, by the producer's murmur2), in claim order within each, in records of
    /// at most <see cref="JobsPerRecord"/> (<see cref="RecordBatches"/>).
    /// </summary>
    public static IEnumerable<(int Partition, SequencedEvent[] Jobs)> JobBatches(IEnumerable<SequencedEvent> jobs, int partitions) =>
        jobs.GroupBy(job => KafkaPartitioner.PartitionOf(job.Job!.MinerId, partitions))
            .OrderBy(group => group.Key)
            .SelectMany(group => RecordBatches.Cut(group, JobsPerRecord, JobJsonBytesAtMost).Select(batch => (group.Key, batch)));

    /// <summary>
    /// An upper bound of a claimed job's JSON: its field names, enums, times, numbers and the topics of its
    /// source and claim take under 800 bytes (about 640 with every one at its longest), each revenue
    /// stream under 200 (167), each character of its ids at most 6 (<c>\uXXXX</c>), and its source's key
    /// and value bytes 4 for every 3 (base64, never escaped).
    /// </summary>
    public static long JobJsonBytesAtMost(SequencedEvent job) =>
        800
        + (200L * job.Job!.RevenueStreams.Count)
        + (6L * (job.Job.JobId.Length + job.Job.MinerId.Length))
        + Base64Length(job.Source?.Key)
        + Base64Length(job.Source?.Value);

    private static long Base64Length(byte[]? bytes) => bytes is null ? 0 : 4L * ((bytes.Length + 2) / 3);
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

    /// <summary>An epoch's scores, in order, in records of at most <see cref="ScoresPerRecord"/> (<see cref="RecordBatches"/>).</summary>
    public static IEnumerable<MinerEpochScore[]> ScoreBatches(IEnumerable<MinerEpochScore> scores) =>
        RecordBatches.Cut(scores, ScoresPerRecord, ScoreJsonBytesAtMost);

    /// <summary>
    /// An upper bound of a score's JSON: its field names and amounts at their longest (a decimal prints in
    /// at most 31 characters) take under 500 bytes, and each character of its id at most 6 (<c>\uXXXX</c>).
    /// </summary>
    public static long ScoreJsonBytesAtMost(MinerEpochScore score) => 500 + (6L * score.MinerId.Length);
}
