using PoeStreams.Economics.Fees;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Time;
using PoeStreams.Topology.Governance;
using PoeStreams.Topology.Ingest;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace PoeStreams.Topology.Stage1;

/// <summary>
/// Stage 1, one task per partition of <see cref="PoeTopics.Sequenced"/>: keeps its miners, folds each
/// epoch's Verified jobs per miner and the partition's index sums, splits fees, and when its stream
/// time passes an epoch's end plus grace, closes the epoch: it scores its active miners (updating their
/// reputation), sends the partials and a watermark to stage 2. While input is idle a wall-clock
/// punctuator writes a tick into the partition, so idle epochs still close, and close at the same
/// place on replay.
/// </summary>
public sealed class PartitionEpochProcessor : ITransformer<string, SequencedEvent, string, Emit>
{
    private const string ClockKey = "clock";
    private const string PatchesKey = "patches";

    private readonly PoeTopologyOptions options;
    private readonly TimeProvider clockSource;
    private readonly ITopologyObserver observer;
    private readonly TimeSpan epochLength;
    private readonly TimeSpan grace;
    private ProcessorContext<string, Emit> context = null!;
    private IKeyValueStore<string, MinerState> miners = null!;
    private IKeyValueStore<string, TallyState> tallies = null!;
    private IKeyValueStore<string, PartitionEpochActivity> activities = null!;
    private IKeyValueStore<string, string> partitionState = null!;
    private PartitionClock clock = PartitionClock.Initial;
    private ParameterTimeline timeline;
    private DateTimeOffset? tickRequestedFor;
    private DateTimeOffset lastInputAt;
    private bool loaded;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public PartitionEpochProcessor()
        : this(new PoeTopologyOptions(), TimeProvider.System, NullTopologyObserver.Instance)
    {
    }

    public PartitionEpochProcessor(PoeTopologyOptions options, TimeProvider clockSource, ITopologyObserver observer)
    {
        this.options = options;
        this.clockSource = clockSource;
        this.observer = observer;
        epochLength = options.Economics.Epochs.Length;
        grace = options.Economics.Epochs.Grace;
        timeline = ParameterTimeline.Starting(options.Economics);
    }

    public void Init(ProcessorContext<string, Emit> processorContext)
    {
        context = processorContext;
        miners = (IKeyValueStore<string, MinerState>)context.GetStateStore(StoreNames.Miners);
        tallies = (IKeyValueStore<string, TallyState>)context.GetStateStore(StoreNames.MinerEpochTallies);
        activities = (IKeyValueStore<string, PartitionEpochActivity>)context.GetStateStore(StoreNames.PartitionEpochs);
        partitionState = (IKeyValueStore<string, string>)context.GetStateStore(StoreNames.PartitionState);
        lastInputAt = clockSource.GetUtcNow();
        context.Schedule(options.WallClockCheckInterval, PunctuationType.PROCESSING_TIME, RequestTickIfIdle);
    }

    public Record<string, Emit>? Process(Record<string, SequencedEvent> record)
    {
        LoadOnce();
        var message = record.Value;
        if (message.Kind != SequencedKind.Tick)
        {
            lastInputAt = clockSource.GetUtcNow();
        }

        switch (message.Kind)
        {
            case SequencedKind.MinerRegistered:
                Register(message.Registration!);
                break;
            case SequencedKind.Job:
                Accept(message, Job);
                break;
            case SequencedKind.Metric:
                Accept(message, Metric);
                break;
            case SequencedKind.GoldAttestation:
                Accept(message, Gold);
                break;
            case SequencedKind.Governance:
                Govern(message);
                break;
            case SequencedKind.Tick:
                break;
        }

        AdvanceTo(message.EventTime);
        return null;
    }

    public void Close()
    {
    }

    // The task's partition: during a punctuation there is no current record, so not context.Partition.
    private int Partition => context.Id.Partition;

    private void Register(MinerRegistration registration)
    {
        var existing = miners.Get(registration.MinerId);
        miners.Put(registration.MinerId, new MinerState(
            registration.Specialization, registration.RegisteredAt, existing?.Reputation ?? Reputation.Initial));
    }

    // Everything bound to an epoch is refused once that epoch has closed in this partition.
    private void Accept(SequencedEvent message, Action<SequencedEvent, EpochWindow> handle)
    {
        var epoch = EpochWindow.Containing(message.EventTime, epochLength);
        if (IsClosed(epoch))
        {
            DeadLetter(message, DeadLetterReasons.Late, $"epoch {epoch.Id} closed at {clock.ClosedThrough:O} (grace {grace})");
            return;
        }

        handle(message, epoch);
    }

    private void Job(SequencedEvent message, EpochWindow epoch)
    {
        var job = message.Job!;
        if (miners.Get(job.MinerId) is not { } miner)
        {
            DeadLetter(message, DeadLetterReasons.UnknownMiner, $"miner {job.MinerId} is not registered");
            return;
        }

        var seenKey = $"job|{job.JobId}";
        if (partitionState.Get(seenKey) is { } firstEpoch)
        {
            DeadLetter(message, DeadLetterReasons.DuplicateJob, $"job {job.JobId} was already accepted in epoch {firstEpoch}");
            return;
        }

        partitionState.Put(seenKey, epoch.Id);
        observer.JobAccepted(job.IsVerified);
        var activity = ActivityOf(epoch);
        if (job.IsVerified)
        {
            var economics = timeline.At(epoch.Start);
            var split = FeeSplit.Of(job.Value, job.DockLockRevenue, economics.FeeStructure);
            Emit(new Emit(PoeTopics.JobFees, job.JobId, ContractMapping.ToContract(job, split, epoch), message.EventTime.ToUnixTimeMilliseconds()));
            var tallyKey = TallyKey(epoch, job.MinerId);
            var tally = tallies.Get(tallyKey)?.ToTally() ?? new MinerEpochTally(job.MinerId, miner.Specialization);
            tallies.Put(tallyKey, TallyState.Of(tally.With(job, economics.MiningRewards)));
            activity = activity with { OwnerSalary = activity.OwnerSalary + split.OwnerSalary, FeeSplits = activity.FeeSplits + 1 };
        }

        activities.Put(epoch.Id, activity with { Activity = activity.Activity.WithJob(job) });
    }

    private void Metric(SequencedEvent message, EpochWindow epoch)
    {
        var metric = message.Metric!;
        var activity = ActivityOf(epoch);
        activity = metric.Kind switch
        {
            MetricSampleKind.LiquidityDelta => activity with { Activity = activity.Activity.WithLiquidityDelta(metric.Value!.Value) },
            MetricSampleKind.Uptime => activity with { Activity = activity.Activity.WithUptime(metric.Value!.Value) },
            MetricSampleKind.ServiceQuality => activity with { Activity = activity.Activity.WithServiceQuality(metric.Value!.Value) },
            _ => activity with { NetworkLoad = activity.NetworkLoad.With(metric.Load!.Value) },
        };
        activities.Put(epoch.Id, activity);
    }

    private void Gold(SequencedEvent message, EpochWindow epoch) =>
        ToStageTwo(new EpochPartial(EpochPartialKind.GoldAttestation, Partition, epoch.Start, Gold: message.Gold), epoch.End);

    // Governance reaches every partition; each applies parameter changes to its own timeline, and the
    // event's home partition alone forwards it to stage 2 (which owns salary, halts and rejections).
    private void Govern(SequencedEvent message)
    {
        var command = message.Governance!;
        var effective = EpochWindow.Containing(command.IssuedAt, epochLength).Next;
        var isHome = KafkaPartitioner.PartitionOf(command.EventId, options.Partitions) == Partition;
        if (IsClosed(effective))
        {
            if (isHome)
            {
                DeadLetter(message, DeadLetterReasons.Late, $"governance would take effect in epoch {effective.Id}, which has already closed");
            }

            return;
        }

        if (command.Action == GovernanceActionKind.UpdateParameters)
        {
            timeline = timeline.With(new ParameterPatch(effective.Start, command.IssuedAt, command.EventId, command.Parameters), out _);
            partitionState.Put(PatchesKey, System.Text.Encoding.UTF8.GetString(Json.Serialize(new PatchesState(timeline.Patches))));
        }

        if (isHome)
        {
            ToStageTwo(new EpochPartial(EpochPartialKind.Governance, Partition, effective.Start, Governance: command, Source: message.Source), effective.Start);
        }
    }

    private void AdvanceTo(DateTimeOffset eventTime)
    {
        if (clock.StreamTime is { } streamTime && eventTime <= streamTime)
        {
            return;
        }

        var closedThrough = EpochWindow.Containing(eventTime - grace, epochLength).Start;
        if (clock.ClosedThrough is { } previous && closedThrough <= previous)
        {
            // Only the close boundary and the open epochs decide anything, so the stream time alone
            // is kept in memory: no store write (and changelog record) per input record. After a
            // restart it starts again from the stored value, which is never ahead of the truth.
            clock = clock with { StreamTime = eventTime };
            return;
        }

        foreach (var start in clock.OpenEpochs.Where(start => start + epochLength <= closedThrough).ToList())
        {
            CloseEpoch(EpochWindow.StartingAt(start, epochLength));
        }

        SaveClock(clock with
        {
            StreamTime = eventTime,
            ClosedThrough = closedThrough,
            OpenEpochs = clock.OpenEpochs.Where(start => start + epochLength > closedThrough).ToList(),
        });
        ToStageTwo(new EpochPartial(EpochPartialKind.Watermark, Partition, ClosedThrough: closedThrough), closedThrough);
    }

    private void CloseEpoch(EpochWindow epoch)
    {
        var economics = timeline.At(epoch.Start);
        var prefix = epoch.Id + "|";
        foreach (var (key, state) in tallies.ReadRange(prefix, epoch.Id + "}"))
        {
            var miner = miners.Get(state.MinerId)!;
            var outcome = state.ToTally().Close(miner.Reputation, epoch.Start, economics.MiningRewards);
            miners.Put(state.MinerId, miner with { Reputation = outcome.Reputation });
            tallies.Delete(key);
            ToStageTwo(new EpochPartial(EpochPartialKind.MinerScore, Partition, epoch.Start, Score: outcome.Score), epoch.End);
        }

        if (activities.Get(epoch.Id) is { } activity)
        {
            activities.Delete(epoch.Id);
            ToStageTwo(new EpochPartial(EpochPartialKind.Activity, Partition, epoch.Start, Activity: activity), epoch.End);
        }

        foreach (var (key, _) in partitionState.All().Where(kv => kv.Key.StartsWith("job|", StringComparison.Ordinal) && kv.Value == epoch.Id).ToList())
        {
            partitionState.Delete(key);
        }
    }

    private PartitionEpochActivity ActivityOf(EpochWindow epoch)
    {
        if (!clock.OpenEpochs.Contains(epoch.Start))
        {
            SaveClock(clock with { OpenEpochs = clock.OpenEpochs.Append(epoch.Start).Order().ToList() });
        }

        return activities.Get(epoch.Id) ?? PartitionEpochActivity.Empty;
    }

    private bool IsClosed(EpochWindow epoch) => clock.ClosedThrough is { } closed && epoch.End <= closed;

    // Streamiz's punctuation only says "check now"; the time itself comes from the injected clock.
    // A partition ticks only once it has had no input for the grace period: while a backlog is still
    // flowing in, stream time closes its epochs, and a tick of "now" would wrongly make the backlog late.
    private void RequestTickIfIdle(long punctuationTime)
    {
        LoadOnce();
        var now = clockSource.GetUtcNow();
        var due = clock.ClosedThrough is { } closed ? closed + epochLength + grace : now;
        if (now < due || now - lastInputAt < grace || tickRequestedFor == due)
        {
            return;
        }

        tickRequestedFor = due;
        Emit(new Emit(PoeTopics.Sequenced, $"tick-{Partition}", new SequencedEvent(SequencedKind.Tick, now), now.ToUnixTimeMilliseconds(), Partition));
    }

    private void DeadLetter(SequencedEvent message, string reason, string detail)
    {
        observer.DeadLettered(reason);
        Emit(DeadLetters.For(message.Source!, reason, detail));
    }

    private void ToStageTwo(EpochPartial partial, DateTimeOffset timestamp) =>
        Emit(new Emit(
            PoeTopics.EpochPartials, partial.EpochStart is { } start ? EpochWindow.StartingAt(start, epochLength).Id : $"partition-{Partition}", partial, timestamp.ToUnixTimeMilliseconds(), 0));

    // The stream key is the Kafka record key the sink writes.
    private void Emit(Emit emit) => context.Forward(emit.Key, emit);

    // Stores are restored from their changelogs after Init, so state is read on first use.
    private void LoadOnce()
    {
        if (loaded)
        {
            return;
        }

        loaded = true;
        if (partitionState.Get(ClockKey) is { } storedClock)
        {
            clock = Json.Deserialize<PartitionClock>(System.Text.Encoding.UTF8.GetBytes(storedClock));
        }

        if (partitionState.Get(PatchesKey) is { } storedPatches)
        {
            timeline = timeline with { Patches = Json.Deserialize<PatchesState>(System.Text.Encoding.UTF8.GetBytes(storedPatches)).Patches };
        }
    }

    private void SaveClock(PartitionClock updated)
    {
        clock = updated;
        partitionState.Put(ClockKey, System.Text.Encoding.UTF8.GetString(Json.Serialize(clock)));
    }

    private static string TallyKey(EpochWindow epoch, string minerId) => $"{epoch.Id}|{minerId}";
}
