namespace PoeStreams.Topology;

/// <summary>
/// When a stage may let go of what it keeps for a boundary move read again after a crash (the data of
/// the epochs the move closed or decided): once the move is below the committed offset of the stage's
/// input partition, no replay reads it again, whatever crash or rebalance follows. Until the commit is
/// known, the stage keeps its last <see cref="CloseBoundary.Retained"/> moves' data as before.
/// </summary>
internal sealed class CommittedRelease(IInputBacklog backlog, string topic)
{
    private DateTimeOffset? releasedThrough;

    /// <summary>
    /// The boundary through which the epochs' data may go now: that of the latest kept move below the
    /// commit, once each time it rises; otherwise null.
    /// </summary>
    public DateTimeOffset? Next<TMove>(IReadOnlyList<TMove> moves, int partition)
        where TMove : IBoundaryMove
    {
        if (backlog.Committed(topic, partition) is not { } committed
            || moves.LastOrDefault(move => move.Offset < committed) is not { } below
            || releasedThrough >= below.Through)
        {
            return null;
        }

        releasedThrough = below.Through;
        return below.Through;
    }
}
