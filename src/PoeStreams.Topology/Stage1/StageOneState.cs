using System.Collections.Immutable;
using PoeStreams.Economics;
using PoeStreams.Economics.Mining;
using PoeStreams.Topology.Governance;
using PoeTopics = PoeStreams.Contracts.PoeTopics;

namespace PoeStreams.Topology.Stage1;

/// <summary>
/// A registered miner as stage 1 keeps it. Both lists are keyed by position, so a record read again
/// after a crash (the store restored ahead of the committed offsets) sees the miner as it was then:
/// registrations by the offset of <see cref="PoeTopics.Sequenced"/> that brought them, reputations by
/// the epoch whose close produced them.
/// </summary>
public sealed record MinerState(IReadOnlyList<MinerRegistrationAt> Registrations, IReadOnlyList<ReputationAfter> Reputations)
{
    /// <summary>How many registrations are kept (a re-registration changes the specialization from then on).</summary>
    public const int RetainedRegistrations = 8;

    /// <summary>The registration in force at <paramref name="offset"/>, if the miner was registered by then.</summary>
    public MinerRegistrationAt? AsOf(long offset) => Registrations.LastOrDefault(r => r.Offset <= offset);

    /// <summary>The reputation the close of the epoch starting at <paramref name="epochStart"/> starts from.</summary>
    public Reputation Before(DateTimeOffset epochStart) => Reputations.LastOrDefault(r => r.EpochStart < epochStart)?.Reputation ?? Reputation.Initial;

    /// <summary>The miner with the reputation its close of <paramref name="epochStart"/> produced, keeping what a replay after <paramref name="keepFrom"/> can still need.</summary>
    public MinerState Closed(DateTimeOffset epochStart, Reputation after, DateTimeOffset keepFrom)
    {
        var kept = Reputations.Where(r => r.EpochStart >= keepFrom).ToList();
        var lastBefore = Reputations.LastOrDefault(r => r.EpochStart < keepFrom);
        return this with { Reputations = [.. lastBefore is null ? [] : new[] { lastBefore }, .. kept, new ReputationAfter(epochStart, after)] };
    }
}

/// <summary>A registration as stage 1 applied it: at <see cref="Offset"/> of its partition of <see cref="PoeTopics.Sequenced"/>.</summary>
public sealed record MinerRegistrationAt(long Offset, JobType? Specialization, DateTimeOffset RegisteredAt);

/// <summary>A miner's reputation after the close of the epoch starting at <see cref="EpochStart"/>.</summary>
public sealed record ReputationAfter(DateTimeOffset EpochStart, Reputation Reputation);

/// <summary>
/// The input positions folded into a stored sum. Records of one input partition reach a stage-1
/// partition in offset order, so a sum that has folded in offset N of it has folded in everything of it
/// up to N (<see cref="Through"/>). A job that waited for its miner's registration is folded in later
/// than jobs after it, so it is remembered by its own position (<see cref="Waited"/>).
/// </summary>
public sealed record AppliedInputs(IReadOnlyDictionary<string, long> Through, IReadOnlyList<string> Waited)
{
    public static AppliedInputs None { get; } = new(ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal), []);

    public bool Includes(SourceRecord source, bool waited) =>
        waited
            ? Waited.Contains(source.Position)
            : Through.TryGetValue(source.InputPartition, out var offset) && source.Offset <= offset;

    public AppliedInputs With(SourceRecord source, bool waited) =>
        waited
            ? this with { Waited = [.. Waited, source.Position] }
            : this with { Through = Sorted(Through).SetItem(source.InputPartition, source.Offset) };

    // A job folds in one position: an immutable map shares the others instead of copying them. Read back
    // from a store the map is a plain dictionary, sorted once.
    private static ImmutableSortedDictionary<string, long> Sorted(IReadOnlyDictionary<string, long> through) =>
        through as ImmutableSortedDictionary<string, long> ?? through.ToImmutableSortedDictionary(StringComparer.Ordinal);
}

/// <summary>The stored form of a <see cref="MinerEpochTally"/>, with the input positions folded into it.</summary>
public sealed record TallyState(
    string MinerId, JobType? Specialization, int JobCount, decimal RawScore, decimal QualitySum, decimal VerifiedValue, IReadOnlyList<decimal> ValueByJobType)
{
    /// <summary>The input positions folded in: a replayed job is not counted again.</summary>
    public AppliedInputs Applied { get; init; } = AppliedInputs.None;

    public static TallyState Of(MinerEpochTally tally) =>
        new(tally.MinerId, tally.Specialization, tally.JobCount, tally.RawScore, tally.QualitySum, tally.VerifiedValue, [.. tally.ValueByJobType]);

    public MinerEpochTally ToTally() =>
        MinerEpochTally.Restore(MinerId, Specialization, JobCount, RawScore, QualitySum, VerifiedValue, ValueByJobType);
}

/// <summary>
/// A partition's clock: the boundary up to which it has closed every epoch (the lowest of its input
/// partitions' boundaries), the epochs still open, oldest first, and the recent boundary moves. Written
/// only when the boundary moves or an epoch opens; the input partitions' marks are kept apart
/// (<see cref="BoundaryMarks"/>), so a progress mark writes a few bytes, not the clock.
/// </summary>
public sealed record PartitionClock(DateTimeOffset? ClosedThrough, IReadOnlyList<DateTimeOffset> OpenEpochs)
{
    public static PartitionClock Initial { get; } = new(null, []);

    /// <summary>The offset of the last record whose effect is in this clock: a record at or before it is read again.</summary>
    public long WrittenAt { get; init; } = -1;

    /// <summary>The last <see cref="CloseBoundary.Retained"/> boundary moves, oldest first.</summary>
    public IReadOnlyList<CloseBoundary> Boundaries { get; init; } = [];

    /// <summary>The boundary a record at <paramref name="offset"/> was (or is) judged by.</summary>
    public DateTimeOffset? ClosedThroughBefore(long offset) => CloseBoundary.ClosedThroughBefore(Boundaries, offset, ClosedThrough);
}

/// <summary>A partition's sums of one epoch, with the input positions folded into them: a replayed job or metric is not counted again.</summary>
public sealed record ActivityState(PartitionEpochActivity Activity, AppliedInputs Applied)
{
    public static ActivityState Empty { get; } = new(PartitionEpochActivity.Empty, AppliedInputs.None);
}

/// <summary>Jobs of one miner and epoch that arrived before the miner's registration, in arrival order.</summary>
public sealed record PendingJobs(IReadOnlyList<SequencedEvent> Jobs);

/// <summary>The accepted governance parameter patches (the baseline comes from configuration).</summary>
public sealed record PatchesState(IReadOnlyList<ParameterPatch> Patches);
