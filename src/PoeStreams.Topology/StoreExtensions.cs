using PoeStreams.Economics.Time;
using Streamiz.Kafka.Net.State;

namespace PoeStreams.Topology;

internal static class StoreExtensions
{
    /// <summary>The entries with keys from <paramref name="from"/> to <paramref name="to"/> (inclusive), in key order, read eagerly so the store can be changed while they are used.</summary>
    public static List<KeyValuePair<TKey, TValue>> ReadRange<TKey, TValue>(this IReadOnlyKeyValueStore<TKey, TValue> store, TKey from, TKey to)
    {
        var entries = new List<KeyValuePair<TKey, TValue>>();
        using var enumerator = store.Range(from, to);
        while (enumerator.MoveNext())
        {
            if (enumerator.Current is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>
    /// Deletes the entries of every epoch that ended at or before <paramref name="closedThrough"/>, in a
    /// store keyed by epoch id (<c>{epoch id}</c> or <c>{epoch id}|…</c>; ids sort as their times).
    /// </summary>
    public static void DeleteEpochsThrough<TValue>(this IKeyValueStore<string, TValue> store, DateTimeOffset closedThrough, TimeSpan epochLength)
    {
        foreach (var key in store.ReadRange(string.Empty, LastEpochKey(closedThrough, epochLength)).Select(e => e.Key))
        {
            store.Delete(key);
        }
    }

    /// <summary>A key after every key of the epochs that ended at or before <paramref name="closedThrough"/>, and before every later one.</summary>
    public static string LastEpochKey(DateTimeOffset closedThrough, TimeSpan epochLength) =>
        EpochWindow.Containing(closedThrough - epochLength, epochLength).Id + "}";
}
