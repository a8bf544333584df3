namespace PoeStreams.Topology;

/// <summary>
/// A move of a stage's close boundary: at <see cref="Offset"/> of the stage's input partition, from
/// <see cref="From"/> to <see cref="Through"/>, closing <see cref="ClosedEpochs"/>. A stage keeps its
/// recent moves so that a record read again after a crash (its state restored ahead of the committed
/// offsets) is judged as it was the first time, and so that the move itself, read again, sends the same
/// records again.
/// </summary>
public sealed record CloseBoundary(long Offset, DateTimeOffset? From, DateTimeOffset Through, IReadOnlyList<DateTimeOffset> ClosedEpochs) : IBoundaryMove
{
    /// <summary>
    /// How many moves a stage keeps (and with them the data of the epochs they closed): a replay after a
    /// crash must not reach further back, so more than one commit interval can hold.
    /// </summary>
    public const int Retained = 16;

    /// <summary>
    /// The boundary in force just before <paramref name="offset"/>, given the recent moves (oldest first)
    /// and the boundary now. A record older than every kept move is judged by the oldest one's start.
    /// </summary>
    public static DateTimeOffset? ClosedThroughBefore<TMove>(IReadOnlyList<TMove> moves, long offset, DateTimeOffset? now)
        where TMove : IBoundaryMove =>
        moves.LastOrDefault(b => b.Offset < offset) is { } boundary ? boundary.Through
        : moves.Count > 0 ? moves[0].From
        : now;
}

/// <summary>What every stage's kept boundary move records: at <see cref="Offset"/> of its input, from <see cref="From"/> to <see cref="Through"/>.</summary>
public interface IBoundaryMove
{
    long Offset { get; }

    DateTimeOffset? From { get; }

    DateTimeOffset Through { get; }
}

/// <summary>
/// An upstream partition's recent boundary marks as a stage read them (an input partition's progress
/// marks in stage 1, a stage-1 partition's watermarks in stage 2): the boundary and the offset of the
/// stage's input it arrived at, oldest first. Kept by offset so that a boundary move recomputed after a
/// crash sees every upstream partition as it was then, even when later marks are already restored.
/// Each upstream partition's marks are stored apart, so a mark writes a few bytes.
/// </summary>
public sealed record BoundaryMarks(IReadOnlyList<BoundaryMark> Marks)
{
    public static BoundaryMarks None { get; } = new([]);

    /// <summary>The boundary in force at <paramref name="offset"/> (the mark at it included).</summary>
    public DateTimeOffset? AsOf(long offset) => Marks.LastOrDefault(m => m.Offset <= offset)?.ClosedThrough;

    /// <summary>These marks with a move to <paramref name="closedThrough"/> at <paramref name="offset"/>, unless it is not a move or is already there.</summary>
    public BoundaryMarks With(long offset, DateTimeOffset closedThrough) =>
        Marks.Count > 0 && (Marks[^1].Offset >= offset || Marks[^1].ClosedThrough >= closedThrough)
            ? this
            : new([.. Marks.TakeLast(CloseBoundary.Retained - 1), new BoundaryMark(offset, closedThrough)]);

    /// <summary>
    /// Where a stage's boundary moves at <paramref name="offset"/>: the lowest boundary of
    /// <paramref name="upstream"/>, once all <paramref name="expected"/> upstream partitions have one
    /// past <paramref name="current"/>; otherwise null. Most marks leave some partition at the current
    /// boundary, so the scan stops at the first one that holds it back.
    /// </summary>
    public static DateTimeOffset? MoveAsOf(IReadOnlyCollection<BoundaryMarks> upstream, int expected, long offset, DateTimeOffset? current)
    {
        if (upstream.Count != expected)
        {
            return null;
        }

        DateTimeOffset? lowest = null;
        foreach (var marks in upstream)
        {
            if (marks.AsOf(offset) is not { } boundary || boundary <= current)
            {
                return null;
            }

            lowest = lowest is { } low && low <= boundary ? low : boundary;
        }

        return lowest;
    }
}

/// <summary>An upstream partition's boundary <see cref="ClosedThrough"/> as of <see cref="Offset"/> of the stage's input.</summary>
public sealed record BoundaryMark(long Offset, DateTimeOffset ClosedThrough);
