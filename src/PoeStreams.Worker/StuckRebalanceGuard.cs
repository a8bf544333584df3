using System.Reflection;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net;

namespace PoeStreams.Worker;

/// <summary>
/// Works around a Streamiz 1.8.2 defect that silently stops a worker after a rebalance.
/// <c>StreamsRebalanceListener.PartitionsRevoked</c> sets <c>TaskManager.RebalanceInProgress</c>, commits
/// the revoked tasks and clears the flag, without <c>try/finally</c>: when that commit fails because the
/// group is already rebalancing again ("Group rebalance in progress", a TaskMigratedException), the flag
/// stays set, and the stream thread, which polls only while it is clear, sleeps forever. It never
/// receives its next assignment, so its partitions process nothing while the process looks healthy.
/// (Seen here when a second worker joins and leaves: <c>BurstTests</c>.)
/// </summary>
/// <remarks>
/// Only the stream thread reads the flag, and only rebalance callbacks, which run on the stream thread,
/// set it; so a flag seen set on several checks in a row, seconds apart, is one that no callback will
/// clear. Clearing it lets the thread poll again, rejoin and receive its tasks. The guard reads
/// Streamiz's private members by name; if a Streamiz version lacks them it says so once and does
/// nothing (a test fails then, so an upgrade cannot drop the workaround unnoticed).
/// </remarks>
public sealed class StuckRebalanceGuard(KafkaStream stream, ILogger logger)
{
    /// <summary>How many checks in a row must see the flag set before it is cleared.</summary>
    public const int ChecksBeforeClearing = 3;

    private static readonly FieldInfo? ThreadsField = typeof(KafkaStream).GetField("threads", BindingFlags.Instance | BindingFlags.NonPublic);
    private readonly Dictionary<object, int> setInARow = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether this Streamiz version has the members the guard needs.</summary>
    public static bool Applicable => ThreadsField is not null;

    /// <summary>One check of every stream thread; returns how many stuck flags it cleared.</summary>
    public int Check()
    {
        var cleared = 0;
        foreach (var manager in TaskManagers())
        {
            var flag = manager.GetType().GetProperty("RebalanceInProgress", BindingFlags.Instance | BindingFlags.Public);
            if (flag?.GetValue(manager) is not true)
            {
                setInARow[manager] = 0;
                continue;
            }

            setInARow[manager] = setInARow.GetValueOrDefault(manager) + 1;
            if (setInARow[manager] >= ChecksBeforeClearing)
            {
                logger.LogWarning("A stream thread has been stuck in a rebalance for {Checks} checks (Streamiz left its rebalance flag set after a failed revocation commit); clearing it so the thread rejoins the group", setInARow[manager]);
                flag.SetValue(manager, false);
                setInARow[manager] = 0;
                cleared++;
            }
        }

        return cleared;
    }

    /// <summary>Checks every <paramref name="interval"/> until <paramref name="stoppingToken"/> is cancelled.</summary>
    public async Task WatchAsync(TimeSpan interval, TimeProvider clock, CancellationToken stoppingToken)
    {
        if (!Applicable)
        {
            logger.LogWarning("This Streamiz version has no KafkaStream.threads field; the stuck-rebalance workaround is off");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            Check();
        }
    }

    private IEnumerable<object> TaskManagers()
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
}
