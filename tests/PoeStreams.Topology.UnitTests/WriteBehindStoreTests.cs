using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Crosscutting;
using Streamiz.Kafka.Net.Processors;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.State.Enumerator;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// The write-behind store over a recording store below: what reaches the store below (its changelog)
/// and when, and that a store holding everything reads like the store below would, in the same order.
/// </summary>
public class WriteBehindStoreTests
{
    [Property(MaxTest = 500)]
    public bool Code_point_order_is_the_order_of_the_keys_utf8_bytes(NonNull<string> left, NonNull<string> right)
    {
        var (x, y) = (WellFormed(left.Get), WellFormed(right.Get));
        var byBytes = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
        return Math.Sign(CodePointOrder.Instance.Compare(x, y)) == byBytes;
    }

    [Fact]
    public void A_key_above_U_FFFF_sorts_after_one_in_the_private_use_area_as_in_utf8()
    {
        Assert.True(CodePointOrder.Instance.Compare("miner-\U0001F600", "miner-\uE000") > 0);
    }

    [Fact]
    public void A_store_holding_everything_reads_a_range_in_key_order_with_the_writes_not_yet_flushed()
    {
        var below = new RecordingStore(("e2|b", "restored b"), ("e1|z", "restored z"), ("e3|a", "other epoch"));
        var store = Opened(below, StoreHolding.Everything);

        store.Put("e2|a", "new a");
        store.Delete("e2|b");
        store.Put("e2|c", "new c");

        Assert.Equal(["e2|a=new a", "e2|c=new c"], store.ReadRange("e2|", "e2}").Select(e => $"{e.Key}={e.Value}"));
    }

    [Fact]
    public void A_store_holding_everything_reads_the_restored_entries_once_and_then_never_asks_the_store_below()
    {
        var below = new RecordingStore(("a", "1"), ("b", "2"));
        var store = Opened(below, StoreHolding.Everything);

        var values = new[] { store.Get("a"), store.Get("b"), store.Get("missing") ?? "absent" };

        Assert.Equal(["1", "2", "absent"], values);
        Assert.Equal(0, below.Gets);
        Assert.Equal(1, below.FullReads);
    }

    [Fact]
    public void A_key_written_many_times_reaches_the_store_below_once_at_the_flush()
    {
        var below = new RecordingStore();
        var store = Opened(below, StoreHolding.SinceCommit);

        store.Put("k", "1");
        store.Put("k", "2");
        store.Put("k", "3");
        var beforeFlush = below.Writes.Count;
        store.Flush();

        Assert.Equal(0, beforeFlush);
        Assert.Equal(["k=3"], below.Writes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_delete_reaches_the_store_below_as_a_tombstone_without_reading_the_value_back(bool holdsEverything)
    {
        var below = new RecordingStore(("k", "stored"));
        var store = Opened(below, holdsEverything ? StoreHolding.Everything : StoreHolding.SinceCommit);

        store.Delete("k");
        store.Flush();

        Assert.Equal(["k=<tombstone>"], below.Writes);
        Assert.Equal(0, below.Deletes);
    }

    [Fact]
    public void The_first_store_flushed_at_a_commit_writes_down_the_other_stores_of_its_thread()
    {
        WriteDownWhatEarlierTestsLeft();
        var (firstBelow, otherBelow) = (new RecordingStore(), new RecordingStore());
        var (first, other) = (Opened(firstBelow, StoreHolding.SinceCommit), Opened(otherBelow, StoreHolding.Everything));
        first.Put("a", "1");
        other.Put("e1|b", "2");
        other.Delete("e1|c");

        first.Flush();
        var writtenByFirstFlush = otherBelow.Writes.ToList();
        other.Flush();

        Assert.Equal(["e1|b=2", "e1|c=<tombstone>"], writtenByFirstFlush);
        Assert.Equal(writtenByFirstFlush, otherBelow.Writes);
        Assert.Equal(["a=1"], firstBelow.Writes);
    }

    [Fact]
    public void A_flush_writes_down_whole_other_stores_up_to_a_fifth_of_the_producers_queue_and_leaves_the_rest()
    {
        WriteDownWhatEarlierTestsLeft();
        var (fits, next, large) = (new RecordingStore(), new RecordingStore(), new RecordingStore());
        PutMany(Opened(fits, StoreHolding.SinceCommit), 15_000);
        PutMany(Opened(next, StoreHolding.SinceCommit), 10_000);
        var largeStore = Opened(large, StoreHolding.SinceCommit);
        PutMany(largeStore, ThreadWritesBehind.WritesPerFlush + 1);
        var flushing = Opened(new RecordingStore(), StoreHolding.SinceCommit);

        flushing.Flush();
        int[] afterFirst = [fits.Writes.Count, next.Writes.Count, large.Writes.Count];
        flushing.Flush();
        int[] afterSecond = [fits.Writes.Count, next.Writes.Count, large.Writes.Count];
        largeStore.Flush();

        Assert.Equal([15_000, 0, 0], afterFirst);
        Assert.Equal([15_000, 10_000, 0], afterSecond);
        Assert.Equal(ThreadWritesBehind.WritesPerFlush + 1, large.Writes.Count);
    }

    [Fact]
    public void A_store_closed_before_the_commit_is_not_written_down_by_another_stores_flush()
    {
        var closedBelow = new RecordingStore();
        var closed = Opened(closedBelow, StoreHolding.SinceCommit);
        closed.Put("k", "unflushed");
        closed.Close();

        Opened(new RecordingStore(), StoreHolding.SinceCommit).Flush();

        Assert.Empty(closedBelow.Writes);
    }

    [Fact]
    public void A_store_written_on_another_thread_is_left_to_that_threads_commit()
    {
        var otherBelow = new RecordingStore();
        var other = Opened(otherBelow, StoreHolding.SinceCommit);
        var thread = new Thread(() => other.Put("k", "v"));
        thread.Start();
        thread.Join();

        Opened(new RecordingStore(), StoreHolding.SinceCommit).Flush();
        var writtenByThisThread = otherBelow.Writes.Count;
        other.Flush();

        Assert.Equal(0, writtenByThisThread);
        Assert.Equal(["k=v"], otherBelow.Writes);
    }

    [Fact]
    public void The_bytes_below_a_store_holding_everything_are_handed_over_once_and_then_not_kept()
    {
        var below = new HandOverBytesStore("tallies");
        below.Init(null!, null!);
        below.Put(Key("e1|a"), [1]);
        below.Put(Key("e1|b"), [2]);
        below.Put(Key("e1|b"), null!);

        var handedOver = below.All().Select(e => Encoding.UTF8.GetString(e.Key.Get)).ToList();
        below.Put(Key("e1|c"), [3]);

        Assert.Equal(["e1|a"], handedOver);
        Assert.Equal(0, below.ApproximateNumEntries());
    }

    private static WriteBehindStore<string> Opened(RecordingStore below, StoreHolding holding)
    {
        var store = new WriteBehindStore<string>(below, holding);
        store.Init(null!, null!);
        return store;
    }

    // Stores of this thread that earlier tests wrote to and never flushed are on its list.
    private static void WriteDownWhatEarlierTestsLeft() => Opened(new RecordingStore(), StoreHolding.SinceCommit).Flush();

    private static void PutMany(WriteBehindStore<string> store, int count)
    {
        for (var i = 0; i < count; i++)
        {
            store.Put($"k{i}", "v");
        }
    }

    private static Bytes Key(string key) => Bytes.Wrap(Encoding.UTF8.GetBytes(key));

    // A string .NET can round-trip through UTF-8: an unpaired surrogate becomes U+FFFD on the way.
    private static string WellFormed(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    /// <summary>A store below that keeps its entries in UTF-8 byte order, like Streamiz's, and counts how it is used.</summary>
    private sealed class RecordingStore(params (string Key, string Value)[] restored) : IKeyValueStore<string, string>
    {
        private readonly SortedDictionary<string, string> entries = new(restored.ToDictionary(e => e.Key, e => e.Value), CodePointOrder.Instance);

        public List<string> Writes { get; } = [];

        public int Gets { get; private set; }

        public int Deletes { get; private set; }

        public int FullReads { get; private set; }

        public string Name => "recording";

        public bool Persistent => false;

        public bool IsLocally => true;

        public bool IsOpen { get; private set; } = true;

        public void Init(ProcessorContext context, IStateStore root)
        {
        }

        public string Get(string key)
        {
            Gets++;
            return entries.GetValueOrDefault(key)!;
        }

        public void Put(string key, string value)
        {
            Writes.Add($"{key}={value ?? "<tombstone>"}");
            if (value is null)
            {
                entries.Remove(key);
            }
            else
            {
                entries[key] = value;
            }
        }

        public string Delete(string key)
        {
            Deletes++;
            entries.Remove(key, out var removed);
            return removed!;
        }

        public IEnumerable<KeyValuePair<string, string>> All()
        {
            FullReads++;
            return [.. entries];
        }

        public IKeyValueEnumerator<string, string> Range(string from, string to) => throw new NotSupportedException("not used by these tests");

        public IKeyValueEnumerator<string, string> ReverseRange(string from, string to) => throw new NotSupportedException("not used by these tests");

        public IEnumerable<KeyValuePair<string, string>> ReverseAll() => throw new NotSupportedException("not used by these tests");

        public string PutIfAbsent(string key, string value) => throw new NotSupportedException("not used by these tests");

        public void PutAll(IEnumerable<KeyValuePair<string, string>> entries) => throw new NotSupportedException("not used by these tests");

        public long ApproximateNumEntries() => entries.Count;

        public void Flush()
        {
        }

        public void Close() => IsOpen = false;
    }
}
