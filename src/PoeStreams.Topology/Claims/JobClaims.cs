using PoeStreams.Economics.Time;

namespace PoeStreams.Topology.Claims;

/// <summary>
/// The accepted copy of a job id: the input position it came from, its claim number (the order in
/// which the claim stage sent its jobs on, by which stage 1 knows what it has folded in), and the
/// epoch it belongs to, which decides when the claim expires.
/// </summary>
public sealed record JobClaim(string Position, long Number, string EpochId);

/// <summary>What happens to one copy of a job when its epoch is decided.</summary>
/// <param name="Job">The copy, as ingest sent it.</param>
/// <param name="Claim">The job id's claim: this copy's own when <paramref name="Accepted"/>, else the one it lost to.</param>
public sealed record ClaimVerdict(SequencedEvent Job, JobClaim Claim, bool Accepted);

/// <summary>
/// The claim decision, a pure function. A job id is accepted once within the horizon, whichever miner,
/// epoch or process sends it again. The decision waits until every input partition has closed the
/// job's epoch, so it does not depend on which copy was read first: of the copies of one epoch the
/// earliest (event time, then input position) wins; a copy in a later epoch, or after the claim, is a
/// duplicate. A claim whose epoch started more than the horizon before the copy's counts as gone, so
/// the verdict does not depend on when the stage lets old claims go.
/// </summary>
public static class JobClaims
{
    /// <summary>
    /// Decides the waiting copies of the epochs being closed, given the claims made before. Returns
    /// every copy's verdict, in the order the stage sends them, and the claims it makes, numbered from
    /// <paramref name="nextNumber"/>. Deciding the same copies again, with those claims stored, gives
    /// the same verdicts and makes no claim: so a boundary move read again after a crash sends the
    /// same records again.
    /// </summary>
    public static (IReadOnlyList<ClaimVerdict> Verdicts, IReadOnlyList<(string JobId, JobClaim Claim)> Claims) Decide(
        IEnumerable<SequencedEvent> waiting, Func<string, JobClaim?> claimed, long nextNumber, TimeSpan epochLength, TimeSpan horizon)
    {
        var verdicts = new List<ClaimVerdict>();
        var made = new Dictionary<string, JobClaim>(StringComparer.Ordinal);
        var claims = new List<(string, JobClaim)>();
        foreach (var copy in waiting.Order(DecisionOrder.Instance))
        {
            var jobId = copy.Job!.JobId;
            var position = copy.Source!.Position;
            var epoch = EpochWindow.Containing(copy.EventTime, epochLength);
            if (Within(made.GetValueOrDefault(jobId) ?? claimed(jobId), epoch, horizon) is { } claim)
            {
                verdicts.Add(new ClaimVerdict(copy, claim, Accepted: claim.Position == position));
                continue;
            }

            var first = new JobClaim(position, nextNumber++, epoch.Id);
            made[jobId] = first;
            claims.Add((jobId, first));
            verdicts.Add(new ClaimVerdict(copy, first, Accepted: true));
        }

        return (verdicts, claims);
    }

    /// <summary>
    /// The verdict on a copy read again after its epoch was decided: it was decided then, so it is sent
    /// on no more, but a duplicate is refused again. Returns the claim it duplicates, if it does.
    /// </summary>
    public static JobClaim? Duplicated(JobClaim? claim, SequencedEvent copy, TimeSpan epochLength, TimeSpan horizon) =>
        Within(claim, EpochWindow.Containing(copy.EventTime, epochLength), horizon) is { } held && held.Position != copy.Source!.Position ? held : null;

    /// <summary>The epochs whose claims may be let go once the boundary is at <paramref name="oldestDecidable"/>: every later decision is of an epoch after it.</summary>
    public static DateTimeOffset ExpiredBefore(DateTimeOffset oldestDecidable, TimeSpan horizon) => oldestDecidable - horizon;

    // A claim counts for a copy when its epoch started at most the horizon before the copy's.
    private static JobClaim? Within(JobClaim? claim, EpochWindow copyEpoch, TimeSpan horizon) =>
        claim is not null && EpochWindow.ParseId(claim.EpochId) >= copyEpoch.Start - horizon ? claim : null;

    // Job id, event time, input position: a total order on facts of the input alone.
    private sealed class DecisionOrder : IComparer<SequencedEvent>
    {
        public static DecisionOrder Instance { get; } = new();

        public int Compare(SequencedEvent? x, SequencedEvent? y)
        {
            var byTime = x!.EventTime.UtcTicks.CompareTo(y!.EventTime.UtcTicks);
            var byJob = string.CompareOrdinal(x.Job!.JobId, y.Job!.JobId);
            return byJob != 0 ? byJob
                : byTime != 0 ? byTime
                : string.CompareOrdinal(x.Source!.Topic, y.Source!.Topic) is var byTopic and not 0 ? byTopic
                : x.Source.Partition != y.Source.Partition ? x.Source.Partition.CompareTo(y.Source.Partition)
                : x.Source.Offset.CompareTo(y.Source.Offset);
        }
    }
}

/// <summary>
/// A move of the claim stage's boundary, at <see cref="Offset"/> of its input partition: it decided
/// the epochs ending after <see cref="From"/> and at or before <see cref="Through"/>, and numbered
/// their claims from <see cref="FirstNumber"/>.
/// </summary>
public sealed record ClaimMove(long Offset, DateTimeOffset? From, DateTimeOffset Through, long FirstNumber) : IBoundaryMove;

/// <summary>
/// The claim stage's clock: its recent boundary moves (a record read again after a crash is judged by
/// the boundary in force before it, and a move read again sends the same records), the offset of the
/// last record whose effect it holds, and the next claim number.
/// </summary>
public sealed record ClaimClock(IReadOnlyList<ClaimMove> Moves, long WrittenAt, long NextNumber)
{
    public static ClaimClock Initial { get; } = new([], -1, 0);

    public DateTimeOffset? ClosedThrough => Moves.Count > 0 ? Moves[^1].Through : null;

    /// <summary>The boundary in force just before <paramref name="offset"/>.</summary>
    public DateTimeOffset? ClosedThroughBefore(long offset) => CloseBoundary.ClosedThroughBefore(Moves, offset, ClosedThrough);
}
