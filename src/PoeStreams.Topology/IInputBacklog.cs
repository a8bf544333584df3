using PoeStreams.Contracts;

namespace PoeStreams.Topology;

/// <summary>
/// Whether an input partition has been read to its end. The wall clock may close an epoch for a
/// partition only while it is caught up: otherwise a backlog (after an outage, a slow restore or a
/// backfill produced before the worker started) would find its epochs closed and go to <c>late</c>.
/// </summary>
public interface IInputBacklog
{
    /// <summary>Told of every record a stage has read: the inputs, <see cref="PoeTopics.JobClaims"/>, <see cref="PoeTopics.Sequenced"/> and <see cref="PoeTopics.EpochPartials"/>.</summary>
    void Read(string topic, int partition, long offset);

    /// <summary>True when everything the partition held a moment ago has been read.</summary>
    bool IsCaughtUp(string topic, int partition);
}

/// <summary>For the test driver, which delivers every record before the clock moves: always caught up.</summary>
public sealed class NoInputBacklog : IInputBacklog
{
    public static NoInputBacklog Instance { get; } = new();

    public void Read(string topic, int partition, long offset)
    {
    }

    public bool IsCaughtUp(string topic, int partition) => true;
}
