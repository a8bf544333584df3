using System.Reflection;
using Streamiz.Kafka.Net;

namespace PoeStreams.Worker;

/// <summary>
/// The backstop for a Streamiz 1.8.2 defect that silently stops a worker after a rebalance.
/// <c>StreamsRebalanceListener.PartitionsRevoked</c> sets <c>TaskManager.RebalanceInProgress</c>, commits
/// the revoked tasks and clears the flag, without <c>try/finally</c>: when anything in between throws, the
/// flag stays set, and the stream thread, which polls only while it is clear, sleeps forever. It never
/// receives its next assignment, so its partitions process nothing while the process looks healthy.
/// The usual cause, a commit refused because the group is rebalancing again, is absorbed by
/// <see cref="RevocationCommits"/>; this guard catches whatever else leaves the flag set. Clearing the
/// flag is not enough: the revoked tasks, never closed, stay with the thread's changelog reader, and the
/// next assignment then kills the thread. So the worker restarts the whole stream (<see cref="PoeStreamsService"/>).
/// </summary>
/// <remarks>
/// Only the stream thread reads the flag, and only rebalance callbacks, which run on the stream thread,
/// set it; so a flag seen set on several checks in a row, seconds apart, is one that no callback will
/// clear. The guard reads Streamiz's private members by name; a unit test fails if a Streamiz version
/// lacks them, so an upgrade cannot drop the workaround unnoticed.
/// </remarks>
public sealed class StuckRebalanceGuard(KafkaStream stream)
{
    /// <summary>How many checks in a row must see the flag set before the thread counts as stuck.</summary>
    public const int ChecksBeforeStuck = 3;

    private static readonly FieldInfo? ThreadsField = typeof(KafkaStream).GetField("threads", BindingFlags.Instance | BindingFlags.NonPublic);
    private readonly Dictionary<object, int> setInARow = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether this Streamiz version has the members the guard needs.</summary>
    public static bool Applicable => ThreadsField is not null;

    /// <summary>One check of every stream thread: whether one has been stuck for <see cref="ChecksBeforeStuck"/> checks in a row.</summary>
    public bool Stuck()
    {
        var stuck = false;
        foreach (var manager in TaskManagers(stream))
        {
            var flagSet = RebalanceFlag(manager)?.GetValue(manager) is true;
            setInARow[manager] = flagSet ? setInARow.GetValueOrDefault(manager) + 1 : 0;
            stuck |= setInARow[manager] >= ChecksBeforeStuck;
        }

        return stuck;
    }

    /// <summary>The task manager of each of <paramref name="stream"/>'s threads.</summary>
    internal static IEnumerable<object> TaskManagers(KafkaStream stream)
    {
        if (ThreadsField?.GetValue(stream) is not Array threads)
        {
            yield break;
        }

        foreach (var thread in threads)
        {
            if (thread?.GetType().GetProperty("Manager", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(thread) is { } manager)
            {
                yield return manager;
            }
        }
    }

    /// <summary>A task manager's <c>RebalanceInProgress</c> (public getter, internal setter).</summary>
    internal static PropertyInfo? RebalanceFlag(object manager) =>
        manager.GetType().GetProperty("RebalanceInProgress", BindingFlags.Instance | BindingFlags.Public);
}
