using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace PoeStreams.Topology.Ingest;

/// <summary>
/// The first step, one task per input partition number (all five input topics): decodes and checks
/// each record, judges lateness by the record's own partition clock (<see cref="SourceClock"/>), and
/// sends it on to <see cref="PoeTopics.Sequenced"/> (jobs to <see cref="PoeTopics.JobClaims"/>) or to the
/// dead letters. When its close boundaries move it sends a progress mark behind its records to every
/// partition of the next stage, which closes an epoch only when every upstream partition has passed it:
/// the jobs partition's own boundary to the claim stage, and one mark for the other four topics (the
/// lowest of their boundaries, as <see cref="ProgressSources.Ingest"/>) to stage 1, so stage 1 hears from
/// one source per task instead of four. Once a partition is read to its end and has had nothing new for
/// the grace period, the wall clock moves its boundary, so idle epochs still close.
/// <para>
/// A mark only ever says what this process has itself made true: a topic's boundary counts once the
/// records before it have been sent again in this process (after a crash the clocks come back ahead of
/// the committed offsets), or once the partition is read to its end. So a mark never overtakes a record
/// it covers, and the first marks after a start repeat what the last process may have lost.
/// </para>
/// </summary>
public sealed class IngestProcessor : ITransformer<byte[], byte[], string, Emit>
{
    private readonly PoeTopologyOptions options;
    private readonly InputDecoder decoder;
    private readonly TimeProvider clockSource;
    private readonly ITopologyObserver observer;
    private readonly IInputBacklog backlog;
    private readonly TimeSpan epochLength;
    private readonly TimeSpan grace;
    private ProcessorContext<string, Emit> context = null!;
    private IKeyValueStore<string, SourceClock> clocks = null!;
    private readonly Dictionary<string, DateTimeOffset> lastReadAt = [];
    private readonly Dictionary<string, SourceClock> current = [];
    private readonly Dictionary<string, string[]> progressKeys = [];

    // Per topic, the boundary this process may announce (see the remarks), and per destination the last one it did.
    private readonly Dictionary<string, DateTimeOffset> settled = [];
    private DateTimeOffset? announcedToClaims;
    private DateTimeOffset? announcedToStageOne;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public IngestProcessor()
        : this(new PoeTopologyOptions(), null!, TimeProvider.System, NullTopologyObserver.Instance, NoInputBacklog.Instance)
    {
    }

    public IngestProcessor(PoeTopologyOptions options, InputDecoder decoder, TimeProvider clockSource, ITopologyObserver observer, IInputBacklog backlog)
    {
        this.options = options;
        this.decoder = decoder;
        this.clockSource = clockSource;
        this.observer = observer;
        this.backlog = backlog;
        epochLength = options.Economics.Epochs.Length;
        grace = options.Economics.Epochs.Grace;
    }

    public void Init(ProcessorContext<string, Emit> processorContext)
    {
        context = processorContext;
        clocks = (IKeyValueStore<string, SourceClock>)context.GetStateStore(StoreNames.SourceClocks);
        foreach (var topic in PoeTopics.Inputs)
        {
            lastReadAt[topic] = clockSource.GetUtcNow();
        }

        context.Schedule(options.WallClockCheckInterval, PunctuationType.PROCESSING_TIME, CheckIdleSources);
    }

    public Record<string, Emit>? Process(Record<byte[], byte[]> record)
    {
        var source = new SourceRecord(context.Topic, context.Partition, context.Offset, context.Timestamp, record.Key, record.Value);
        backlog.Read(source.Topic, source.Partition, source.Offset);
        lastReadAt[source.Topic] = clockSource.GetUtcNow();
        var clock = ClockOf(source.Topic);
        DecodedInput? input = null;
        try
        {
            input = decoder.Decode(source);
            RejectIfLate(input.Event, clock.ClosedThroughBefore(source.Offset));
            Sequence(input);
        }
        catch (RejectedInputException rejected)
        {
            observer.DeadLettered(rejected.Reason);
            Emit(DeadLetters.For(source, rejected.Reason, rejected.Message));
        }

        // The boundary in force after this record, not the clock's latest: a replayed record is followed
        // by what was true after it the first time.
        var advanced = Keep(source.Topic, clock, clock.Apply(source.Offset, input?.Event.EventTime, epochLength, grace));
        if (Settle(source.Topic, advanced.ClosedThroughBefore(source.Offset + 1)))
        {
            Announce();
        }

        return null;
    }

    // Clocks live in memory and are written to the store (and its changelog) only when their boundary
    // moves: in between only the applied offset and the stream time change, and re-applying records to
    // an older copy after a restart gives the same clock (stream time is a maximum, moves are kept).
    private SourceClock ClockOf(string topic) =>
        current.TryGetValue(topic, out var clock) ? clock : current[topic] = clocks.Get(topic) ?? SourceClock.Initial;

    private SourceClock Keep(string topic, SourceClock previous, SourceClock updated)
    {
        current[topic] = updated;
        if (updated.ClosedThrough != previous.ClosedThrough)
        {
            clocks.Put(topic, updated);
        }

        return updated;
    }

    public void Close()
    {
    }

    // Everything bound to an epoch is refused once its partition has closed that epoch: governance by the
    // epoch it was issued in (so once every partition has closed an epoch, no parameter change for the
    // next one can still come). Registrations are bound to no epoch.
    private void RejectIfLate(SequencedEvent message, DateTimeOffset? closedThrough)
    {
        if (message.Kind != SequencedKind.MinerRegistered
            && EpochWindow.Containing(message.EventTime, epochLength) is var epoch
            && closedThrough is { } closed && epoch.End <= closed)
        {
            throw new RejectedInputException(
                DeadLetterReasons.Late,
                message.Kind == SequencedKind.Governance
                    ? $"governance issued in epoch {epoch.Id}, which had closed at {closed:O} (grace {grace})"
                    : $"epoch {epoch.Id} closed at {closed:O} (grace {grace})");
        }
    }

    // The routing key places the record: the producer's murmur2 puts it in the partition of its miner,
    // source or vault. Jobs go to the claim stage first, by job id.
    private void Sequence(DecodedInput input)
    {
        var timestamp = input.Event.EventTime.ToUnixTimeMilliseconds();
        if (input.ToEveryPartition)
        {
            ToEveryPartition(PoeTopics.Sequenced, KafkaPartitioner.KeysInEveryPartition(input.RoutingKey, options.Partitions), input.Event, timestamp);
        }
        else if (input.Event.Kind == SequencedKind.Job)
        {
            Emit(new Emit(PoeTopics.JobClaims, input.Event.Job!.JobId, input.Event, timestamp));
        }
        else
        {
            Emit(new Emit(PoeTopics.Sequenced, input.RoutingKey, input.Event, timestamp));
        }
    }

    // Streamiz's punctuation only says "check now"; the time itself comes from the injected clock. A
    // partition with a backlog keeps its clock, whatever the wall clock says; so does one that was read
    // (or started) less than the grace period ago, which leaves a producer that starts a little after
    // the worker, or a burst, the grace to arrive. A partition read to its end has sent everything its
    // boundary covers, in this process or before the last commit: its whole boundary may be announced.
    private void CheckIdleSources(long punctuationTime)
    {
        var now = clockSource.GetUtcNow();
        var settledAny = false;
        foreach (var topic in PoeTopics.Inputs)
        {
            if (!backlog.IsCaughtUp(topic, Partition))
            {
                continue;
            }

            var clock = ClockOf(topic);
            var moved = Keep(topic, clock, now - lastReadAt[topic] >= grace ? clock.Idle(now, epochLength, grace) : clock);
            settledAny |= Settle(topic, moved.ClosedThrough);
        }

        if (settledAny)
        {
            Announce();
        }
    }

    // Raises what a topic's marks may say; whether it rose.
    private bool Settle(string topic, DateTimeOffset? boundary)
    {
        if (boundary is not { } through || (settled.TryGetValue(topic, out var known) && known >= through))
        {
            return false;
        }

        settled[topic] = through;
        return true;
    }

    // Sends each destination the lowest settled boundary of its topics once it rises; nothing while a
    // topic has none yet (a partition not yet read again after a start holds the others back).
    private void Announce()
    {
        if (settled.TryGetValue(PoeTopics.Jobs, out var jobs) && !(announcedToClaims >= jobs))
        {
            announcedToClaims = jobs;
            SendProgress(PoeTopics.JobClaims, ProgressSources.OfJobs(Partition), jobs);
        }

        if (LowestSettled(ProgressSources.IngestTopics) is { } rest && !(announcedToStageOne >= rest))
        {
            announcedToStageOne = rest;
            SendProgress(PoeTopics.Sequenced, ProgressSources.OfIngest(Partition), rest);
        }
    }

    private DateTimeOffset? LowestSettled(IReadOnlyList<string> topics)
    {
        DateTimeOffset? lowest = null;
        foreach (var topic in topics)
        {
            if (!settled.TryGetValue(topic, out var through))
            {
                return null;
            }

            lowest = lowest is { } low && low <= through ? low : through;
        }

        return lowest;
    }

    // A mark follows the records it covers: it is written to every partition of the topic they went to.
    private void SendProgress(string destination, string source, DateTimeOffset closedThrough)
    {
        var keys = progressKeys.TryGetValue(source, out var known) ? known : progressKeys[source] = ProgressSources.MarkKeys(source, options.Partitions);
        ToEveryPartition(destination, keys, new SequencedEvent(SequencedKind.Progress, closedThrough, Progress: new SourceProgress(source, closedThrough)), closedThrough.ToUnixTimeMilliseconds());
    }

    private void ToEveryPartition(string topic, string[] keys, SequencedEvent message, long timestamp)
    {
        foreach (var key in keys)
        {
            Emit(new Emit(topic, key, message, timestamp));
        }
    }

    // The task's partition: during a punctuation there is no current record, so not context.Partition.
    private int Partition => context.Id.Partition;

    // The stream key is the Kafka record key the sink writes.
    private void Emit(Emit emit) => context.Forward(emit.Key, emit);
}
