using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Time;

namespace PoeStreams.Topology;

/// <summary>
/// What the topology reports as it works, for metrics and logs. Calls happen on stream threads and
/// must be cheap; replays report again (observers count work done, not economic facts).
/// </summary>
public interface ITopologyObserver
{
    void JobAccepted(bool verified);

    void DeadLettered(string reason);

    /// <summary>A stage read a record again that an earlier stage sent twice (after its crash or rebalance) and left it alone.</summary>
    void Redelivered(string stage);

    /// <param name="lag">How long after its end plus grace the epoch was closed (wall clock).</param>
    void EpochClosed(EpochWindow epoch, PoeIndex index, int activeMiners, IReadOnlyDictionary<string, decimal> minted, decimal unallocated, TimeSpan lag);
}

/// <summary>An observer that ignores everything.</summary>
public sealed class NullTopologyObserver : ITopologyObserver
{
    public static NullTopologyObserver Instance { get; } = new();

    public void JobAccepted(bool verified)
    {
    }

    public void DeadLettered(string reason)
    {
    }

    public void Redelivered(string stage)
    {
    }

    public void EpochClosed(EpochWindow epoch, PoeIndex index, int activeMiners, IReadOnlyDictionary<string, decimal> minted, decimal unallocated, TimeSpan lag)
    {
    }
}
