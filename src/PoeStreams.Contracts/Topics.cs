using Avro.Specific;

namespace PoeStreams.Contracts;

/// <summary>The names of the product's topics (SPEC §2). Everything else about a topic is in <see cref="TopicCatalog"/>.</summary>
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
    /// Internal: every valid input in the order stage 1 processes it, plus progress marks. Because the
    /// marks are records in this log, a replay closes epochs at the same places as the live run.
    /// Keyed and partitioned by miner id (jobs, registrations), source id (metrics) or vault id (gold);
    /// governance events and marks are written to every partition.
    /// </summary>
    public const string Sequenced = "poe.sequenced";

    /// <summary>
    /// Internal: valid jobs keyed by job id, so every copy of a job id meets in one claim task, with the
    /// progress marks of <see cref="Jobs"/>'s partitions written to every partition.
    /// </summary>
    public const string JobClaims = "poe.job-claims";

    /// <summary>Internal: stage 1's per-epoch partials and watermarks; one partition, read by stage 2.</summary>
    public const string EpochPartials = "poe.epoch-partials";

    public static IReadOnlyList<string> Inputs { get; } = [.. TopicCatalog.Topics.Where(t => t.Role == TopicRole.Input).Select(t => t.Name)];

    public static IReadOnlyList<string> Outputs { get; } = [.. TopicCatalog.Topics.Where(t => t.Role == TopicRole.Output).Select(t => t.Name)];
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

    /// <summary>Stage 2 runs as one task, so its stores' changelogs have one partition.</summary>
    public static IReadOnlyList<string> StageTwo { get; } = [EpochMinerScores, EpochIndex, Economy, PartitionWatermarks];
}

/// <summary>What a topic is to the worker.</summary>
public enum TopicRole
{
    /// <summary>Published by upstream systems, read by the worker (Avro).</summary>
    Input,

    /// <summary>Written and read by the worker between its stages (JSON, not a public contract).</summary>
    Internal,

    /// <summary>Published by the worker for downstream systems (Avro).</summary>
    Output,

    /// <summary>A state store's changelog (JSON values), written by the worker and read when it restores.</summary>
    Changelog,
}

/// <summary>
/// One topic: its name; what it is to the worker; what its record key is; the contract type of its values
/// (Avro, registered as <see cref="ValueSubject"/>; none for internal topics and changelogs); whether it
/// has one partition or the deployment's number; its clean-up policy; and the ClickHouse history table
/// the sink writes its records to, if any.
/// </summary>
public sealed record TopicDefinition(string Name, TopicRole Role, string Key, Type? ValueType, Avro.Schema? ValueSchema, bool SinglePartition, bool Compacted, string? HistoryTable)
{
    /// <summary>The registry subject of the values, by Confluent's TopicNameStrategy.</summary>
    public string ValueSubject => $"{Name}-value";

    /// <summary>The clean-up policy the topic is created with.</summary>
    public string CleanupPolicy => Compacted ? "compact" : "delete";
}

/// <summary>A topic of one deployment: its definition, with the number of partitions it must be created with.</summary>
public sealed record TopicSpec(TopicDefinition Definition, int Partitions)
{
    public string Name => Definition.Name;

    public bool Compacted => Definition.Compacted;
}

/// <summary>
/// The one definition of every topic the product uses: the topology, the start-up checks, the output
/// serializers, the ClickHouse sink, the local broker and registry, <c>poe topics</c> and the demo all
/// read it. Adding a topic is an entry here plus the processor that writes it (and, for history, its
/// table's columns and row).
/// </summary>
public static class TopicCatalog
{
    /// <summary>The product's own topics, inputs first, in the order the local registry registers their schemas (so ids are stable).</summary>
    public static IReadOnlyList<TopicDefinition> Topics { get; } =
    [
        Contract<MinerRegistered>(PoeTopics.Miners, TopicRole.Input, "miner_id", compacted: true, "miners"),
        Contract<EconomicJob>(PoeTopics.Jobs, TopicRole.Input, "miner_id", compacted: false, "jobs"),
        Contract<NetworkMetric>(PoeTopics.NetworkMetrics, TopicRole.Input, "metric source id", compacted: false, "network_metrics"),
        Contract<GoldReserveAttestation>(PoeTopics.GoldReserves, TopicRole.Input, "vault id", compacted: false, "gold_attestations"),
        Contract<GovernanceEvent>(PoeTopics.Governance, TopicRole.Input, "parameter name or action", compacted: false, "governance_events"),
        Internal(PoeTopics.JobClaims, "job id", singlePartition: false),
        Internal(PoeTopics.Sequenced, "miner, source or vault id", singlePartition: false),
        Internal(PoeTopics.EpochPartials, "stage-1 partition", singlePartition: true),
        Contract<JobFeeSplit>(PoeTopics.JobFees, TopicRole.Output, "job_id", compacted: true, "job_fee_splits"),
        Contract<PoeIndexSnapshot>(PoeTopics.Index, TopicRole.Output, "epoch id", compacted: true, "index_snapshots"),
        Contract<MinerReward>(PoeTopics.Rewards, TopicRole.Output, "epoch id|miner_id", compacted: true, "miner_rewards"),
        Contract<RewardManifest>(PoeTopics.RewardManifests, TopicRole.Output, "epoch id", compacted: true, "reward_manifests"),
        Contract<MintDecision>(PoeTopics.Mints, TopicRole.Output, "epoch id|token", compacted: true, "mints"),
        Contract<OwnerSalaryReport>(PoeTopics.OwnerSalary, TopicRole.Output, "YYYY-MM", compacted: true, "owner_salary_reports"),
        Contract<DeadLetter>(PoeTopics.DeadLetters, TopicRole.Output, "source topic", compacted: false, "dead_letters"),
    ];

    /// <summary>The definition of <paramref name="topic"/>, one of <see cref="Topics"/>.</summary>
    public static TopicDefinition Of(string topic) =>
        Topics.FirstOrDefault(t => t.Name == topic) ?? throw new ArgumentException($"{topic} is not a topic of the catalog", nameof(topic));

    /// <summary>
    /// Every topic a deployment needs, changelogs included: the local broker pre-creates exactly these,
    /// the worker checks them at start-up, and a real cluster's operator creates the same (<c>poe topics --script</c>).
    /// </summary>
    public static IReadOnlyList<TopicSpec> For(int partitions, string applicationId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var changelogs = StoreNames.Ingest.Concat(StoreNames.Claims).Concat(StoreNames.StageOne).Select(store => Changelog(applicationId, store, singlePartition: false))
            .Concat(StoreNames.StageTwo.Select(store => Changelog(applicationId, store, singlePartition: true)));
        return [.. Topics.Concat(changelogs).Select(t => new TopicSpec(t, t.SinglePartition ? 1 : partitions))];
    }

    /// <summary>The registry subjects of the topics with Avro values, with their schemas, in catalog order (what a local registry is started with).</summary>
    public static IEnumerable<(string Subject, string Schema)> Subjects() =>
        Topics.Where(t => t.ValueSchema is not null).Select(t => (t.ValueSubject, t.ValueSchema!.ToString()));

    private static string ChangelogOf(string applicationId, string store) => $"{applicationId}-{store}-changelog";

    private static TopicDefinition Contract<T>(string name, TopicRole role, string key, bool compacted, string historyTable)
        where T : ISpecificRecord, new() =>
        new(name, role, key, typeof(T), new T().Schema, SinglePartition: false, compacted, historyTable);

    private static TopicDefinition Internal(string name, string key, bool singlePartition) =>
        new(name, TopicRole.Internal, key, null, null, singlePartition, Compacted: false, HistoryTable: null);

    private static TopicDefinition Changelog(string applicationId, string store, bool singlePartition) =>
        new(ChangelogOf(applicationId, store), TopicRole.Changelog, $"{store} key", null, null, singlePartition, Compacted: true, HistoryTable: null);
}
