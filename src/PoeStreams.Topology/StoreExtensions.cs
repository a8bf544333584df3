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
}
