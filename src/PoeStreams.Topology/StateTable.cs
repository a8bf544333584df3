using Streamiz.Kafka.Net.State;

namespace PoeStreams.Topology;

/// <summary>
/// A state store with the values this task last read or wrote kept as objects. The store (and its
/// changelog) still receives every write; only reads skip decoding what this task already holds. Safe
/// because every state value is an immutable record and a task is the only writer of its store; a task
/// builds a new table in <c>Init</c>, after the store is restored.
/// </summary>
internal sealed class StateTable<TValue>(IKeyValueStore<string, TValue> store)
    where TValue : class
{
    private readonly Dictionary<string, TValue> held = new(StringComparer.Ordinal);

    public TValue? Get(string key)
    {
        if (held.TryGetValue(key, out var value))
        {
            return value;
        }

        value = store.Get(key);
        if (value is not null)
        {
            held[key] = value;
        }

        return value;
    }

    public void Put(string key, TValue value)
    {
        store.Put(key, value);
        held[key] = value;
    }

    public void Delete(string key)
    {
        store.Delete(key);
        held.Remove(key);
    }

    /// <inheritdoc cref="StoreExtensions.ReadRange{TKey, TValue}"/>
    public List<KeyValuePair<string, TValue>> ReadRange(string from, string to) => store.ReadRange(from, to);

    /// <inheritdoc cref="StoreExtensions.DeleteEpochsThrough{TValue}"/>
    public void DeleteEpochsThrough(DateTimeOffset closedThrough, TimeSpan epochLength)
    {
        foreach (var key in store.EpochKeysThrough(closedThrough, epochLength))
        {
            Delete(key);
        }
    }
}
