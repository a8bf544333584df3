namespace PoeStreams.Topology;

/// <summary>
/// A move of a stage's close boundary: at <see cref="Offset"/> of the stage's input partition, from
/// <see cref="From"/> to <see cref="Through"/>, closing <see cref="ClosedEpochs"/>. A stage keeps its
/// recent moves so that a record read again after a crash (its state restored ahead of the committed
/// offsets) is judged as it was the first time, and so that the move itself, read again, sends the same
/// records again.
/// </summary>
public sealed record CloseBoundary(long Offset, DateTimeOffset? From, DateTimeOffset Through, IReadOnlyList<DateTimeOffset> ClosedEpochs)
{
    /// <summary>
    /// The boundary in force just before <paramref name="offset"/>, given the recent moves (oldest first)
    /// and the boundary now. A record older than every kept move is judged by the oldest one's start.
    /// </summary>
    public static DateTimeOffset? ClosedThroughBefore(IReadOnlyList<CloseBoundary> moves, long offset, DateTimeOffset? now) =>
        moves.LastOrDefault(b => b.Offset < offset) is { } boundary ? boundary.Through
        : moves.Count > 0 ? moves[0].From
        : now;
}
