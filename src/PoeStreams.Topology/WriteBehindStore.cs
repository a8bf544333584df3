using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.State.Enumerator;

namespace PoeStreams.Topology;

/// <summary>
/// A key-value store whose task works on objects: what it reads or writes is held as is, and a key
/// written many times reaches the store below (its serializer and changelog) once per commit, when
/// Streamiz flushes the task's stores just before it commits the input offsets. So the changelog is
/// never behind the committed offsets, which is all at-least-once recovery needs: after a crash the
/// store comes back as of the last commit or later and the records since are read again. Range reads
/// see every write (the pending ones are passed down first). Safe because state values are immutable
/// records and a task is the only writer of its stores.
/// </summary>
internal sealed class WriteBehindStore<TValue>(IKeyValueStore<string, TValue> inner) : IKeyValueStore<string, TValue>
{
    private readonly Dictionary<string, TValue> held = new(StringComparer.Ordinal);

    // Keys written since the last flush, with whether the write was a delete.
    private readonly Dictionary<string, bool> pending = new(StringComparer.Ordinal);

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsLocally => inner.IsLocally;

    public bool IsOpen => inner.IsOpen;

    public void Init(ProcessorContext context, IStateStore root)
    {
        held.Clear();
        pending.Clear();
        inner.Init(context, root);
    }

    public TValue Get(string key)
    {
        if (held.TryGetValue(key, out var value))
        {
            return value;
        }

        if (pending.GetValueOrDefault(key))
        {
            return default!;
        }

        value = inner.Get(key);
        if (value is not null)
        {
            held[key] = value;
        }

        return value;
    }

    public void Put(string key, TValue value)
    {
        held[key] = value;
        pending[key] = false;
    }

    public TValue PutIfAbsent(string key, TValue value)
    {
        var existing = Get(key);
        if (existing is null)
        {
            Put(key, value);
        }

        return existing;
    }

    public void PutAll(IEnumerable<KeyValuePair<string, TValue>> entries)
    {
        foreach (var (key, value) in entries)
        {
            Put(key, value);
        }
    }

    public TValue Delete(string key)
    {
        var existing = Get(key);
        held.Remove(key);
        pending[key] = true;
        return existing;
    }

    public IKeyValueEnumerator<string, TValue> Range(string from, string to)
    {
        WriteDown();
        return inner.Range(from, to);
    }

    public IKeyValueEnumerator<string, TValue> ReverseRange(string from, string to)
    {
        WriteDown();
        return inner.ReverseRange(from, to);
    }

    public IEnumerable<KeyValuePair<string, TValue>> All()
    {
        WriteDown();
        return inner.All();
    }

    public IEnumerable<KeyValuePair<string, TValue>> ReverseAll()
    {
        WriteDown();
        return inner.ReverseAll();
    }

    public long ApproximateNumEntries()
    {
        WriteDown();
        return inner.ApproximateNumEntries();
    }

    // Streamiz flushes every store of a task before it commits the task's offsets. The objects held are
    // let go, so memory holds only what the task touched since the last commit.
    public void Flush()
    {
        WriteDown();
        held.Clear();
        inner.Flush();
    }

    public void Close() => inner.Close();

    private void WriteDown()
    {
        foreach (var (key, deleted) in pending)
        {
            if (deleted)
            {
                inner.Delete(key);
            }
            else
            {
                inner.Put(key, held[key]);
            }
        }

        pending.Clear();
    }
}

/// <summary>An in-memory, changelogged key-value store with string keys, behind a <see cref="WriteBehindStore{TValue}"/>.</summary>
internal sealed class WriteBehindStoreBuilder<TValue>(string name, ISerDes<TValue> values)
    : KeyValueStoreBuilder<string, TValue>(Stores.InMemoryKeyValueStore(name), new StringSerDes(), values)
{
    public override IKeyValueStore<string, TValue> Build(IStreamConfig config) => new WriteBehindStore<TValue>(base.Build(config));
}
