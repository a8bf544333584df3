using System.Runtime.InteropServices;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.State.Enumerator;
using Streamiz.Kafka.Net.State.Supplier;

namespace PoeStreams.Topology;

/// <summary>How much of a <see cref="WriteBehindStore{TValue}"/> its task holds as objects.</summary>
internal enum StoreHolding
{
    /// <summary>What the task touched since the last commit: for stores read by key, which may be large (a claim per job id).</summary>
    SinceCommit,

    /// <summary>
    /// Every entry, in key order: for the stores read by key range (an epoch's entries), which a task
    /// empties as its epochs go. The store below would copy and sort all its entries for every range
    /// read, and each entry read would be deserialized again.
    /// </summary>
    Everything,
}

/// <summary>
/// A key-value store whose task works on objects: what it reads or writes is held as is, and a key
/// written many times reaches the store below (its serializer and changelog) once per commit, when
/// Streamiz flushes the task's stores just before it commits the input offsets. So the changelog is
/// never behind the committed offsets, which is all at-least-once recovery needs: after a crash the
/// store comes back as of the last commit or later and the records since are read again. Safe because
/// state values are immutable records and a task is the only writer of its stores.
/// <para>
/// A store that holds <see cref="StoreHolding.Everything"/> reads what Streamiz restored into the store
/// below once, on first use, and then answers every read itself, in the order of the keys' UTF-8 bytes
/// (<see cref="CodePointOrder"/>), the order of the store below. One that holds what was touched
/// <see cref="StoreHolding.SinceCommit"/> passes its pending writes down before a range read.
/// </para>
/// </summary>
internal sealed class WriteBehindStore<TValue>(IKeyValueStore<string, TValue> inner, StoreHolding holding) : IKeyValueStore<string, TValue>, IWritesBehind
{
    private readonly Dictionary<string, TValue> held = new(StringComparer.Ordinal);

    // Keys written since the last flush, with whether the write was a delete.
    private readonly Dictionary<string, bool> pending = new(StringComparer.Ordinal);

    // Holding everything: the keys of held, in order, and whether the restored entries were read.
    private readonly SortedSet<string> ordered = new(CodePointOrder.Instance);
    private bool loaded;

    // Whether the store is on its thread's list of stores to write down (ThreadWritesBehind).
    private bool listed;

    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsLocally => inner.IsLocally;

    public bool IsOpen => inner.IsOpen;

    private bool HoldsEverything => holding == StoreHolding.Everything;

    public void Init(ProcessorContext context, IStateStore root)
    {
        held.Clear();
        pending.Clear();
        ordered.Clear();
        loaded = false;
        inner.Init(context, root);
    }

    public TValue Get(string key)
    {
        LoadOnce();
        if (held.TryGetValue(key, out var value) || HoldsEverything || pending.GetValueOrDefault(key))
        {
            return value!;
        }

        value = inner.Get(key);
        if (value is not null)
        {
            held[key] = value;
        }

        return value;
    }

    // A key already held keeps its place in the order: an update (a tally or an epoch's sums, once per
    // job) costs one hash lookup, not a search of the ordered keys.
    public void Put(string key, TValue value)
    {
        LoadOnce();
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(held, key, out var existed);
        slot = value;
        Pending[key] = false;
        if (HoldsEverything && !existed)
        {
            ordered.Add(key);
        }
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
        ordered.Remove(key);
        Pending[key] = true;
        return existing;
    }

    public IKeyValueEnumerator<string, TValue> Range(string from, string to) => Between(from, to, reverse: false);

    public IKeyValueEnumerator<string, TValue> ReverseRange(string from, string to) => Between(from, to, reverse: true);

    public IEnumerable<KeyValuePair<string, TValue>> All()
    {
        if (!HoldsEverything)
        {
            WriteDown();
            return inner.All();
        }

        LoadOnce();
        return Entries(ordered);
    }

    public IEnumerable<KeyValuePair<string, TValue>> ReverseAll()
    {
        if (!HoldsEverything)
        {
            WriteDown();
            return inner.ReverseAll();
        }

        LoadOnce();
        return Entries(ordered.Reverse());
    }

    // Not a first use: a count asked for while Streamiz still restores must not take the entries early.
    public long ApproximateNumEntries()
    {
        if (HoldsEverything)
        {
            return loaded ? held.Count : inner.ApproximateNumEntries();
        }

        WriteDown();
        return inner.ApproximateNumEntries();
    }

    // Streamiz flushes every store of a task before it commits the task's offsets. A flush writes down
    // the thread's other stores too, as many as fit (see ThreadWritesBehind). A store holding what was
    // touched since the last commit lets it go, so memory holds only that.
    public void Flush()
    {
        ThreadWritesBehind.WriteDown();
        WriteDown();
        if (!HoldsEverything)
        {
            held.Clear();
        }

        inner.Flush();
    }

    // A task closed without a flush (after a crash of its processing) drops what it did not write down.
    public void Close()
    {
        pending.Clear();
        if (listed)
        {
            listed = false;
            ThreadWritesBehind.Forget(this);
        }

        inner.Close();
    }

    // Like the store below, an empty range when the bounds are the wrong way round; the entries are
    // copied, so the caller may change the store while it reads them.
    private IKeyValueEnumerator<string, TValue> Between(string from, string to, bool reverse)
    {
        if (!HoldsEverything)
        {
            WriteDown();
            return reverse ? inner.ReverseRange(from, to) : inner.Range(from, to);
        }

        LoadOnce();
        if (CodePointOrder.Instance.Compare(from, to) > 0)
        {
            return new HeldEntries([]);
        }

        var keys = ordered.GetViewBetween(from, to);
        return new HeldEntries(Entries(reverse ? keys.Reverse() : keys));
    }

    private List<KeyValuePair<string, TValue>> Entries(IEnumerable<string> keys) => [.. keys.Select(key => new KeyValuePair<string, TValue>(key, held[key]))];

    // Stores are restored after Init, before the task processes anything: the first use comes after.
    private void LoadOnce()
    {
        if (loaded || !HoldsEverything)
        {
            return;
        }

        loaded = true;
        foreach (var (key, value) in inner.All())
        {
            held[key] = value;
            ordered.Add(key);
        }
    }

    // The pending writes, for a change: the store is then one of its thread's stores to write down.
    private Dictionary<string, bool> Pending
    {
        get
        {
            if (!listed)
            {
                listed = true;
                ThreadWritesBehind.Add(this);
            }

            return pending;
        }
    }

    int IWritesBehind.PendingWrites => pending.Count;

    // A store closed from another thread than its stream thread stays listed there, closed: it has nowhere to write.
    void IWritesBehind.WriteDownListed()
    {
        listed = false;
        if (IsOpen)
        {
            WriteDown();
        }
    }

    // A delete goes down as a put of nothing: the same removal and changelog tombstone, without the
    // store below reading back and deserializing the value it removes (its Delete returns it).
    private void WriteDown()
    {
        foreach (var (key, deleted) in pending)
        {
            inner.Put(key, deleted ? default! : held[key]);
        }

        pending.Clear();
    }

    private sealed class HeldEntries(List<KeyValuePair<string, TValue>> entries) : IKeyValueEnumerator<string, TValue>
    {
        private int next;

        public KeyValuePair<string, TValue>? Current { get; private set; }

        object? System.Collections.IEnumerator.Current => Current;

        public bool MoveNext()
        {
            Current = next < entries.Count ? entries[next++] : null;
            return Current is not null;
        }

        public string PeekNextKey() => next < entries.Count ? entries[next].Key : null!;

        public void Reset()
        {
            next = 0;
            Current = null;
        }

        public void Dispose()
        {
        }
    }
}

/// <summary>A store holding writes that its changelog has not had yet.</summary>
internal interface IWritesBehind
{
    /// <summary>How many keys the store would write down now.</summary>
    int PendingWrites { get; }

    /// <summary>Passes the pending writes to the store below (its serializer and changelog); the store is no longer listed.</summary>
    void WriteDownListed();
}

/// <summary>
/// The stores of the current stream thread that have writes to pass down. Streamiz commits a thread's
/// tasks one by one, and each task's commit flushes its stores and then the thread's shared producer,
/// which waits for the broker to acknowledge what was sent: one round trip per task (97 with 32
/// partitions), while the thread does nothing else. The first store flushed at a commit writes down
/// the thread's other stores too, so the first producer flush waits for all of it and the others find
/// nothing outstanding. Each write still goes down once, before the offsets that cover it are
/// committed; a store's changelog may only get ahead of its task's committed offsets, as it may at any
/// time under at-least-once.
/// <para>
/// A flush writes down whole stores of others up to <see cref="WritesPerFlush"/> writes and leaves the
/// rest to the next flush (a store with more than that, to its own): the producer queues at most
/// 100,000 messages by default (librdkafka's <c>queue.buffering.max.messages</c>), and a write that
/// finds the queue full waits for room (the worker's producer) or, with Confluent's alone, fails its task.
/// </para>
/// </summary>
internal static class ThreadWritesBehind
{
    /// <summary>The most writes of other stores one flush passes down: a fifth of the producer's default queue.</summary>
    public const int WritesPerFlush = 20_000;

    // Each stream thread runs its tasks, and so uses its stores, on itself alone.
    [ThreadStatic]
    private static List<IWritesBehind>? stores;

    public static void Add(IWritesBehind store) => (stores ??= []).Add(store);

    public static void Forget(IWritesBehind store) => stores?.Remove(store);

    public static void WriteDown()
    {
        if (stores is not { Count: > 0 } listed)
        {
            return;
        }

        var budget = WritesPerFlush;
        listed.RemoveAll(store =>
        {
            if (store.PendingWrites > budget)
            {
                return false;
            }

            budget -= store.PendingWrites;
            store.WriteDownListed();
            return true;
        });
    }
}

/// <summary>
/// A changelogged key-value store with string keys, behind a <see cref="WriteBehindStore{TValue}"/>: over
/// Streamiz's in-memory store, or, for a store that holds everything as objects, over a
/// <see cref="HandOverBytesStore"/>, so its entries are not kept a second time as bytes.
/// </summary>
internal sealed class WriteBehindStoreBuilder<TValue>(string name, ISerDes<TValue> values, StoreHolding holding)
    : KeyValueStoreBuilder<string, TValue>(
        holding == StoreHolding.Everything ? new HandOverBytesStore.Supplier(name) : Stores.InMemoryKeyValueStore(name), new StringSerDes(), values)
{
    public override IKeyValueStore<string, TValue> Build(IStreamConfig config) => new WriteBehindStore<TValue>(base.Build(config), holding);
}

/// <summary>
/// Orders strings by their Unicode code points, which is the order of their UTF-8 bytes (the order of
/// Streamiz's stores, whose keys are UTF-8): ordinal order, except that a surrogate pair (a code point
/// above U+FFFF) sorts after every other UTF-16 unit instead of before U+E000–U+FFFF.
/// </summary>
internal sealed class CodePointOrder : IComparer<string>
{
    public static CodePointOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Rank(x[i]) - Rank(y[i]);
            }
        }

        return x.Length - y.Length;
    }

    // Moves the surrogates (U+D800–U+DFFF) above U+E000–U+FFFF, keeping every other unit's order.
    private static int Rank(char unit) => unit >= 0xE000 ? unit - 0x800 : unit >= 0xD800 ? unit + 0x2000 : unit;
}

/// <summary>
/// The bytes below a store that holds everything as objects: keeps what Streamiz restores into it from
/// the changelog until the store above reads it all (once, on first use), then keeps nothing. The
/// changelog, the layer between the two, still gets every write. Only the whole-store read is served:
/// the store above answers every other read itself.
/// </summary>
internal sealed class HandOverBytesStore(string name) : IKeyValueStore<Bytes, byte[]>
{
    private readonly Dictionary<Bytes, byte[]> restored = [];
    private bool handedOver;

    public string Name => name;

    public bool Persistent => false;

    public bool IsLocally => true;

    public bool IsOpen { get; private set; }

    public void Init(ProcessorContext context, IStateStore root)
    {
        restored.Clear();
        handedOver = false;
        if (root is not null)
        {
            context.Register(root, (key, value, _) => Put(key, value));
        }

        IsOpen = true;
    }

    // Restoring, a write is kept (nothing removes); once handed over, the store above holds it.
    public void Put(Bytes key, byte[] value)
    {
        if (handedOver)
        {
            return;
        }

        if (value is null)
        {
            restored.Remove(key);
        }
        else
        {
            restored[key] = value;
        }
    }

    public IEnumerable<KeyValuePair<Bytes, byte[]>> All()
    {
        List<KeyValuePair<Bytes, byte[]>> entries = [.. restored];
        restored.Clear();
        handedOver = true;
        return entries;
    }

    public long ApproximateNumEntries() => restored.Count;

    public byte[] Delete(Bytes key)
    {
        Put(key, null!);
        return null!;
    }

    public void PutAll(IEnumerable<KeyValuePair<Bytes, byte[]>> entries)
    {
        foreach (var (key, value) in entries)
        {
            Put(key, value);
        }
    }

    public byte[] Get(Bytes key) => throw NotServed();

    public byte[] PutIfAbsent(Bytes key, byte[] value) => throw NotServed();

    public IKeyValueEnumerator<Bytes, byte[]> Range(Bytes from, Bytes to) => throw NotServed();

    public IKeyValueEnumerator<Bytes, byte[]> ReverseRange(Bytes from, Bytes to) => throw NotServed();

    public IEnumerable<KeyValuePair<Bytes, byte[]>> ReverseAll() => throw NotServed();

    public void Flush()
    {
    }

    public void Close()
    {
        restored.Clear();
        IsOpen = false;
    }

    private NotSupportedException NotServed() => new($"{name} is read whole, once, by the store that holds its objects");

    internal sealed class Supplier(string name) : IKeyValueBytesStoreSupplier
    {
        public string Name { get; set; } = name;

        public string MetricsScope => "in-memory";

        public IKeyValueStore<Bytes, byte[]> Get() => new HandOverBytesStore(Name);
    }
}
