using PoeStreams.Economics;
using PoeStreams.Economics.Mining;
using PoeStreams.Topology.Governance;

namespace PoeStreams.Topology.Stage1;

/// <summary>A registered miner as stage 1 keeps it: specialization and reputation.</summary>
public sealed record MinerState(JobType? Specialization, DateTimeOffset RegisteredAt, Reputation Reputation);

/// <summary>The stored form of a <see cref="MinerEpochTally"/>, with the input positions folded into it.</summary>
public sealed record TallyState(
    string MinerId, JobType? Specialization, int JobCount, decimal RawScore, decimal QualitySum, decimal VerifiedValue, IReadOnlyList<decimal> ValueByJobType)
{
    /// <summary>The last input position folded in, per input partition: a replayed job is not counted again.</summary>
    public IReadOnlyDictionary<string, long> Applied { get; init; } = AppliedPositions.None;

    public static TallyState Of(MinerEpochTally tally) =>
        new(tally.MinerId, tally.Specialization, tally.JobCount, tally.RawScore, tally.QualitySum, tally.VerifiedValue, [.. tally.ValueByJobType]);

    public MinerEpochTally ToTally() =>
        MinerEpochTally.Restore(MinerId, Specialization, JobCount, RawScore, QualitySum, VerifiedValue, ValueByJobType);
}

/// <summary>
/// A partition's clock: the close boundary of every input partition (from their progress marks), the
/// boundary up to which this partition has closed every epoch (the lowest of them), and the epochs still
/// open, oldest first.
/// </summary>
public sealed record PartitionClock(IReadOnlyDictionary<string, DateTimeOffset> Sources, DateTimeOffset? ClosedThrough, IReadOnlyList<DateTimeOffset> OpenEpochs)
{
    public static PartitionClock Initial { get; } = new(new SortedDictionary<string, DateTimeOffset>(StringComparer.Ordinal), null, []);
}

/// <summary>A partition's sums of one epoch, with the input positions folded into them: a replayed job or metric is not counted again.</summary>
public sealed record ActivityState(PartitionEpochActivity Activity, IReadOnlyDictionary<string, long> Applied)
{
    public static ActivityState Empty { get; } = new(PartitionEpochActivity.Empty, AppliedPositions.None);
}

/// <summary>Jobs of one miner and epoch that arrived before the miner's registration, in arrival order.</summary>
public sealed record PendingJobs(IReadOnlyList<SequencedEvent> Jobs);

/// <summary>The accepted governance parameter patches (the baseline comes from configuration).</summary>
public sealed record PatchesState(IReadOnlyList<ParameterPatch> Patches);
