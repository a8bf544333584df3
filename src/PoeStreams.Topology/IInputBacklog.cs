using PoeStreams.Contracts;

namespace PoeStreams.Topology;

/// <summary>
/// Where the application stands in the partitions it reads. Whether a partition has been read to its
/// end: the wall clock may close an epoch for a partition only while it is caught up, otherwise a
/// backlog (after an outage, a slow restore or a backfill produced before the worker started) would
/// find its epochs closed and go to <c>late</c>. And what it has committed: state kept only for a
/// record read again may be let go once the record is below the commit.
/// </summary>
public interface IInputBacklog
{
    /// <summary>Told of every record a stage has read: the inputs, <see cref="PoeTopics.JobClaims"/>, <see cref="PoeTopics.Sequenced"/> and <see cref="PoeTopics.EpochPartials"/>.</summary>
    void Read(string topic, int partition, long offset);

    /// <summary>True when everything the partition held a moment ago has been read.</summary>
    bool IsCaughtUp(string topic, int partition);

    /// <summary>
    /// The offset the application has committed for the partition, as last measured (it only grows, and
    /// no stage reads below it again, whatever crash or rebalance follows); null when not known.
    /// </summary>
    long? Committed(string topic, int partition);
}

/// <summary>For the test driver, which delivers every record before the clock moves: always caught up.</summary>
public sealed class NoInputBacklog : IInputBacklog
{
    public static NoInputBacklog Instance { get; } = new();

    public void Read(string topic, int partition, long offset)
    {
    }

    public bool IsCaughtUp(string topic, int partition) => true;

    public long? Committed(string topic, int partition) => null;
}
