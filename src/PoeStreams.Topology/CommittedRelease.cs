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
    /// The kept moves whose data may go now, oldest first: those below the commit that were not
    /// released before (their data goes through the last one's boundary).
    /// </summary>
    public IReadOnlyList<TMove> Next<TMove>(IReadOnlyList<TMove> moves, int partition)
        where TMove : IBoundaryMove
    {
        if (backlog.Committed(topic, partition) is not { } committed)
        {
            return [];
        }

        // Called for every mark a stage reads: nothing is allocated unless something goes.
        List<TMove>? released = null;
        foreach (var move in moves)
        {
            if (move.Offset < committed && !(releasedThrough >= move.Through))
            {
                (released ??= []).Add(move);
            }
        }

        if (released is null)
        {
            return [];
        }

        releasedThrough = released[^1].Through;
        return released;
    }
}
