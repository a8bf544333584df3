using PoeStreams.Contracts;

namespace PoeStreams.Topology;

/// <summary>The product's topics (SPEC §2). Keys are strings; values are Avro in Confluent wire format.</summary>
public static class PoeTopics
{
    public const string Miners = "poe.miners";
    public const string Jobs = "poe.jobs";
    public const string NetworkMetrics = "poe.network-metrics";
    public const string GoldReserves = "poe.gold-reserves";
    public const string Governance = "poe.governance";
    public const string JobFees = "poe.job-fees";
    public const string Index = "poe.index";
    public const string Rewards = "poe.rewards";
    public const string RewardManifests = "poe.reward-manifests";
    public const string Mints = "poe.mints";
    public const string OwnerSalary = "poe.owner-salary";
    public const string DeadLetters = "poe.dead-letters";

    /// <summary>
    /// Internal: every valid input in the order stage 1 processes it, plus wall-clock ticks. Because
    /// ticks are records in this log, a replay closes epochs at the same places as the live run.
    /// Keyed and partitioned by miner id (jobs, registrations), source id (metrics) or vault id (gold);
    /// governance events and ticks are written to every partition.
    /// </summary>
    public const string Sequenced = "poe.sequenced";

    /// <summary>
    /// Internal: valid jobs keyed by job id, so every copy of a job id meets in one claim task, with the
    /// progress marks of <see cref="Jobs"/>'s partitions written to every partition.
    /// </summary>
    public const string JobClaims = "poe.job-claims";

    /// <summary>Internal: stage 1's per-epoch partials and watermarks; one partition, read by stage 2.</summary>
    public const string EpochPartials = "poe.epoch-partials";

    public static IReadOnlyList<string> Inputs { get; } = [Miners, Jobs, NetworkMetrics, GoldReserves, Governance];

    /// <summary>
    /// The topics whose partitions send progress marks to stage 1: the inputs, with jobs replaced by
    /// the claim stage they pass through. Stage 1 closes an epoch when every partition of each has closed it.
    /// </summary>
    public static IReadOnlyList<string> MarkingStageOne { get; } = [Miners, JobClaims, NetworkMetrics, GoldReserves, Governance];

    public static IReadOnlyList<string> Outputs { get; } = [JobFees, Index, Rewards, RewardManifests, Mints, OwnerSalary, DeadLetters];
}

/// <summary>State store names; each is backed by a changelog topic <c>{application id}-{store}-changelog</c>.</summary>
public static class StoreNames
{
    public const string Miners = "miners";
    public const string MinerEpochTallies = "miner-epoch-tallies";
    public const string PartitionEpochs = "partition-epochs";
    public const string PartitionState = "partition-state";
    public const string PendingJobs = "pending-jobs";
    public const string DeferredJobs = "deferred-jobs";
    public const string SourceClocks = "source-clocks";
    public const string EpochMinerScores = "epoch-miner-scores";
    public const string EpochIndex = "epoch-index";
    public const string Economy = "economy";
    public const string PartitionWatermarks = "partition-watermarks";
    public const string JobClaims = "job-claims";
    public const string WaitingClaims = "waiting-claims";
    public const string ClaimMarks = "claim-marks";
    public const string ClaimClocks = "claim-clocks";

    public static IReadOnlyList<string> Ingest { get; } = [SourceClocks];

    public static IReadOnlyList<string> Claims { get; } = [JobClaims, WaitingClaims, ClaimMarks, ClaimClocks];

    public static IReadOnlyList<string> StageOne { get; } = [Miners, MinerEpochTallies, PartitionEpochs, PartitionState, PendingJobs, DeferredJobs];

    public static IReadOnlyList<string> StageTwo { get; } = [EpochMinerScores, EpochIndex, Economy, PartitionWatermarks];
}

/// <summary>
/// A topic the product needs, with the partition count and clean-up policy it must be created with, and
/// the Avro schema of its values (registered as <c>{name}-value</c>); internal topics have none.
/// </summary>
public sealed record TopicSpec(string Name, int Partitions, bool Compacted, Avro.Schema? ValueSchema = null)
{
    /// <summary>The registry subject of the values, by Confluent's TopicNameStrategy.</summary>
    public string ValueSubject => $"{Name}-value";
}

/// <summary>
/// The one list of topics the running topology uses, internal and changelog topics included: the
/// local broker pre-creates exactly these, and a real cluster's operator creates the same.
/// </summary>
public static class TopicCatalog
{
    public static IReadOnlyList<TopicSpec> For(PoeTopologyOptions options)
    {
        var partitions = options.Partitions;
        var topics = new List<TopicSpec>
        {
            new(PoeTopics.Miners, partitions, Compacted: true, MinerRegistered._SCHEMA),
            new(PoeTopics.Jobs, partitions, false, EconomicJob._SCHEMA),
            new(PoeTopics.NetworkMetrics, partitions, false, NetworkMetric._SCHEMA),
            new(PoeTopics.GoldReserves, partitions, false, GoldReserveAttestation._SCHEMA),
            new(PoeTopics.Governance, partitions, false, GovernanceEvent._SCHEMA),
            new(PoeTopics.JobClaims, partitions, false),
            new(PoeTopics.Sequenced, partitions, false),
            new(PoeTopics.EpochPartials, 1, false),
            new(PoeTopics.JobFees, partitions, true, JobFeeSplit._SCHEMA),
            new(PoeTopics.Index, partitions, true, PoeIndexSnapshot._SCHEMA),
            new(PoeTopics.Rewards, partitions, true, MinerReward._SCHEMA),
            new(PoeTopics.RewardManifests, partitions, true, RewardManifest._SCHEMA),
            new(PoeTopics.Mints, partitions, true, MintDecision._SCHEMA),
            new(PoeTopics.OwnerSalary, partitions, true, OwnerSalaryReport._SCHEMA),
            new(PoeTopics.DeadLetters, partitions, false, DeadLetter._SCHEMA),
        };
        topics.AddRange(StoreNames.Ingest.Concat(StoreNames.Claims).Concat(StoreNames.StageOne).Select(store => new TopicSpec(ChangelogOf(options, store), partitions, true)));
        topics.AddRange(StoreNames.StageTwo.Select(store => new TopicSpec(ChangelogOf(options, store), 1, true)));
        return topics;
    }

    /// <summary>The registry subjects of <paramref name="topics"/> with their schemas, in catalog order (what a local registry is started with).</summary>
    public static IEnumerable<(string Subject, string Schema)> Subjects(IEnumerable<TopicSpec> topics) =>
        topics.Where(t => t.ValueSchema is not null).Select(t => (t.ValueSubject, t.ValueSchema!.ToString()));

    public static string ChangelogOf(PoeTopologyOptions options, string store) => $"{options.ApplicationId}-{store}-changelog";
}
