using PoeStreams.Economics.Time;

namespace PoeStreams.Topology.Ingest;

/// <summary>
/// The event-time clock of one input partition (a <em>source</em>): the latest event time it has
/// carried and the boundary up to which every epoch is closed for it (stream time − grace, floored to an
/// epoch start, or the wall clock while the source is caught up and idle).
/// <para>
/// A record is late only by its own source's clock, never because another topic was read first: the
/// decision depends on nothing but that partition's log. Each move of the boundary is kept with the
/// offset after which it holds, so a record replayed after a crash (the state restored from the
/// changelog can be ahead of the committed offsets) is judged exactly as it was the first time.
/// </para>
/// </summary>
/// <param name="AppliedThrough">The offset of the last record applied to the clock (−1 before the first).</param>
/// <param name="Boundaries">Moves of the close boundary, oldest first; only the most recent few are kept.</param>
public sealed record SourceClock(long AppliedThrough, DateTimeOffset? StreamTime, IReadOnlyList<BoundaryMove> Boundaries)
{
    /// <summary>How many boundary moves are kept: a replay never reaches further back than the last commit.</summary>
    public const int KeptMoves = 64;

    public static SourceClock Initial { get; } = new(-1, null, []);

    /// <summary>The close boundary in force for the record at <paramref name="offset"/>: the last move made before it.</summary>
    public DateTimeOffset? ClosedThroughBefore(long offset)
    {
        for (var i = Boundaries.Count - 1; i >= 0; i--)
        {
            if (Boundaries[i].AfterOffset < offset)
            {
                return Boundaries[i].ClosedThrough;
            }
        }

        return null;
    }

    /// <summary>The current close boundary.</summary>
    public DateTimeOffset? ClosedThrough => Boundaries.Count == 0 ? null : Boundaries[^1].ClosedThrough;

    /// <summary>
    /// The clock after the record at <paramref name="offset"/> with event time <paramref name="eventTime"/>
    /// (null for a record that carries none, such as a rejected one). A record at or below
    /// <see cref="AppliedThrough"/> was applied before: the clock stays as it is.
    /// </summary>
    public SourceClock Apply(long offset, DateTimeOffset? eventTime, TimeSpan epochLength, TimeSpan grace)
    {
        if (offset <= AppliedThrough)
        {
            return this;
        }

        var streamTime = eventTime is { } t && (StreamTime is not { } s || t > s) ? t : StreamTime;
        var moved = this with { AppliedThrough = offset, StreamTime = streamTime };
        return streamTime is { } now ? moved.MoveTo(Boundary(now, epochLength, grace), offset) : moved;
    }

    /// <summary>The clock after an idle check at wall-clock <paramref name="now"/>, made while the source had nothing left to read.</summary>
    public SourceClock Idle(DateTimeOffset now, TimeSpan epochLength, TimeSpan grace) =>
        MoveTo(Boundary(now, epochLength, grace), AppliedThrough);

    private SourceClock MoveTo(DateTimeOffset closedThrough, long afterOffset)
    {
        if (ClosedThrough is { } current && closedThrough <= current)
        {
            return this;
        }

        var moves = Boundaries.Count < KeptMoves ? Boundaries : Boundaries.Skip(Boundaries.Count - KeptMoves + 1);
        return this with { Boundaries = [.. moves, new BoundaryMove(afterOffset, closedThrough)] };
    }

    private static DateTimeOffset Boundary(DateTimeOffset time, TimeSpan epochLength, TimeSpan grace) =>
        EpochWindow.Containing(time - grace, epochLength).Start;
}

/// <summary>From the record after <see cref="AfterOffset"/> on, every epoch ending at or before <see cref="ClosedThrough"/> is closed.</summary>
public sealed record BoundaryMove(long AfterOffset, DateTimeOffset ClosedThrough);
