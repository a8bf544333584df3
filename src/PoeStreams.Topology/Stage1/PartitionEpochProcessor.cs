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
/// epoch's Verified jobs per miner and the partition's index sums, splits fees, and closes an epoch once
/// every input partition has closed it (the lowest of their progress marks, like a Flink watermark): it
/// scores its active miners (updating their reputation) and sends the partials and a watermark to
/// stage 2. Nothing here depends on the order in which the input topics were read: lateness was judged
/// per input partition at ingest, and a job whose miner is not yet known waits for the registration
/// until its epoch closes.
/// </summary>
public sealed class PartitionEpochProcessor : ITransformer<string, SequencedEvent, string, Emit>
{
    private const string ClockKey = "clock";
    private const string PatchesKey = "patches";

    private readonly PoeTopologyOptions options;
    private readonly ITopologyObserver observer;
    private readonly IInputBacklog backlog;
    private readonly TimeSpan epochLength;
    private readonly TimeSpan grace;
    private ProcessorContext<string, Emit> context = null!;
    private IKeyValueStore<string, MinerState> miners = null!;
    private IKeyValueStore<string, TallyState> tallies = null!;
    private IKeyValueStore<string, ActivityState> activities = null!;
    private IKeyValueStore<string, string> partitionState = null!;
    private IKeyValueStore<string, PendingJobs> pendingJobs = null!;
    private IKeyValueStore<string, SequencedEvent> deferredJobs = null!;
    private PartitionClock clock = PartitionClock.Initial;
    private ParameterTimeline timeline;
    private bool loaded;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public PartitionEpochProcessor()
        : this(new PoeTopologyOptions(), NullTopologyObserver.Instance, NoInputBacklog.Instance)
    {
    }

    public PartitionEpochProcessor(PoeTopologyOptions options, ITopologyObserver observer, IInputBacklog backlog)
    {
        this.options = options;
        this.observer = observer;
        this.backlog = backlog;
        epochLength = options.Economics.Epochs.Length;
        grace = options.Economics.Epochs.Grace;
        timeline = ParameterTimeline.Starting(options.Economics);
    }

    public void Init(ProcessorContext<string, Emit> processorContext)
    {
        context = processorContext;
        miners = (IKeyValueStore<string, MinerState>)context.GetStateStore(StoreNames.Miners);
        tallies = (IKeyValueStore<string, TallyState>)context.GetStateStore(StoreNames.MinerEpochTallies);
        activities = (IKeyValueStore<string, ActivityState>)context.GetStateStore(StoreNames.PartitionEpochs);
        partitionState = (IKeyValueStore<string, string>)context.GetStateStore(StoreNames.PartitionState);
        pendingJobs = (IKeyValueStore<string, PendingJobs>)context.GetStateStore(StoreNames.PendingJobs);
        deferredJobs = (IKeyValueStore<string, SequencedEvent>)context.GetStateStore(StoreNames.DeferredJobs);
    }

    public Record<string, Emit>? Process(Record<string, SequencedEvent> record)
    {
        LoadOnce();
        backlog.Read(PoeTopics.Sequenced, context.Partition, context.Offset);
        var message = record.Value;
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
            case SequencedKind.Progress:
                Progress(message.Progress!);
                break;
        }

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

        // Jobs that arrived before their miner's registration count now, in the order they arrived.
        foreach (var start in clock.OpenEpochs)
        {
            var key = EpochMinerKey(EpochWindow.StartingAt(start, epochLength), registration.MinerId);
            if (pendingJobs.Get(key) is { } waiting)
            {
                pendingJobs.Delete(key);
                foreach (var job in waiting.Jobs)
                {
                    Job(job, EpochWindow.StartingAt(start, epochLength));
                }
            }
        }
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
        if (clock.ClosedThrough is not { } closed || closed < epoch.Start)
        {
            // A parameter change for this epoch may still arrive (until every input partition has closed
            // the previous one): the job waits, kept in source order, and is applied when it cannot.
            deferredJobs.Put(DeferredKey(epoch, message.Source!), message);
            ActivityOf(epoch);
            return;
        }

        var job = message.Job!;
        if (miners.Get(job.MinerId) is not { } miner)
        {
            // The registration may still be on its way from another input topic: wait for it until the epoch closes.
            var key = EpochMinerKey(epoch, job.MinerId);
            pendingJobs.Put(key, new PendingJobs([.. pendingJobs.Get(key)?.Jobs ?? [], message]));
            ActivityOf(epoch);
            return;
        }

        // A replayed job (same input position) is not a duplicate: its fee split goes out again, unchanged,
        // and the tally and sums skip what they have already folded in.
        var source = message.Source!;
        var seenKey = $"job|{job.JobId}";
        var acceptedAt = $"{epoch.Id}@{AppliedPositions.PartitionOf(source.Topic, source.Partition)}/{source.Offset}";
        if (partitionState.Get(seenKey) is { } firstAccepted && firstAccepted != acceptedAt)
        {
            DeadLetter(message, DeadLetterReasons.DuplicateJob, $"job {job.JobId} was already accepted in epoch {firstAccepted.Split('@')[0]}");
            return;
        }

        partitionState.Put(seenKey, acceptedAt);
        observer.JobAccepted(job.IsVerified);
        var state = ActivityOf(epoch);
        var activity = state.Activity;
        if (job.IsVerified)
        {
            var economics = timeline.At(epoch.Start);
            var split = FeeSplit.Of(job.Value, job.DockLockRevenue, economics.FeeStructure);
            Emit(new Emit(PoeTopics.JobFees, job.JobId, ContractMapping.ToContract(job, split, epoch), message.EventTime.ToUnixTimeMilliseconds()));
            var tallyKey = EpochMinerKey(epoch, job.MinerId);
            var stored = tallies.Get(tallyKey);
            if (stored is null || !AppliedPositions.Includes(stored.Applied, source))
            {
                var tally = stored?.ToTally() ?? new MinerEpochTally(job.MinerId, miner.Specialization);
                tallies.Put(tallyKey, TallyState.Of(tally.With(job, economics.MiningRewards)) with { Applied = AppliedPositions.With(stored?.Applied ?? AppliedPositions.None, source) });
            }

            activity = activity with { OwnerSalary = activity.OwnerSalary + split.OwnerSalary, FeeSplits = activity.FeeSplits + 1 };
        }

        Fold(epoch, state, source, activity with { Activity = activity.Activity.WithJob(job) });
    }

    private void Metric(SequencedEvent message, EpochWindow epoch)
    {
        var metric = message.Metric!;
        var state = ActivityOf(epoch);
        var activity = state.Activity;
        activity = metric.Kind switch
        {
            MetricSampleKind.LiquidityDelta => activity with { Activity = activity.Activity.WithLiquidityDelta(metric.Value!.Value) },
            MetricSampleKind.Uptime => activity with { Activity = activity.Activity.WithUptime(metric.Value!.Value) },
            MetricSampleKind.ServiceQuality => activity with { Activity = activity.Activity.WithServiceQuality(metric.Value!.Value) },
            _ => activity with { NetworkLoad = activity.NetworkLoad.With(metric.Load!.Value) },
        };
        Fold(epoch, state, message.Source!, activity);
    }

    // The epoch's sums take the record's contribution once: a replay of a position already folded in changes nothing.
    private void Fold(EpochWindow epoch, ActivityState state, SourceRecord source, PartitionEpochActivity updated)
    {
        if (!AppliedPositions.Includes(state.Applied, source))
        {
            activities.Put(epoch.Id, new ActivityState(updated, AppliedPositions.With(state.Applied, source)));
        }
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

    // An input partition's close boundary moved: the partition closes what every input partition has closed.
    private void Progress(SourceProgress progress)
    {
        if (clock.Sources.TryGetValue(progress.Source, out var known) && progress.ClosedThrough <= known)
        {
            return;
        }

        var sources = new SortedDictionary<string, DateTimeOffset>(clock.Sources.ToDictionary(), StringComparer.Ordinal) { [progress.Source] = progress.ClosedThrough };
        var closedThrough = sources.Count == PoeTopics.Inputs.Count * options.Partitions ? sources.Values.Min() : (DateTimeOffset?)null;
        if (closedThrough is not { } through || (clock.ClosedThrough is { } previous && through <= previous))
        {
            SaveClock(clock with { Sources = sources });
            return;
        }

        SaveClock(clock with { Sources = sources, ClosedThrough = through });
        foreach (var start in clock.OpenEpochs.Where(start => start <= through).ToList())
        {
            ApplyDeferredJobs(EpochWindow.StartingAt(start, epochLength));
        }

        foreach (var start in clock.OpenEpochs.Where(start => start + epochLength <= through).ToList())
        {
            CloseEpoch(EpochWindow.StartingAt(start, epochLength));
        }

        SaveClock(clock with { OpenEpochs = clock.OpenEpochs.Where(start => start + epochLength > through).ToList() });
        ToStageTwo(new EpochPartial(EpochPartialKind.Watermark, Partition, ClosedThrough: through), through);
    }

    // The epoch's parameters are final now: its waiting jobs count, in source order.
    private void ApplyDeferredJobs(EpochWindow epoch)
    {
        foreach (var (key, message) in deferredJobs.ReadRange(epoch.Id + "|", epoch.Id + "}"))
        {
            deferredJobs.Delete(key);
            Job(message, epoch);
        }
    }

    private void CloseEpoch(EpochWindow epoch)
    {
        foreach (var (key, waiting) in pendingJobs.ReadRange(epoch.Id + "|", epoch.Id + "}"))
        {
            pendingJobs.Delete(key);
            foreach (var job in waiting.Jobs)
            {
                DeadLetter(job, DeadLetterReasons.UnknownMiner, $"miner {job.Job!.MinerId} was not registered when epoch {epoch.Id} closed");
            }
        }

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
            ToStageTwo(new EpochPartial(EpochPartialKind.Activity, Partition, epoch.Start, Activity: activity.Activity), epoch.End);
        }

        foreach (var (key, _) in partitionState.All().Where(kv => kv.Key.StartsWith("job|", StringComparison.Ordinal) && kv.Value.StartsWith(epoch.Id + "@", StringComparison.Ordinal)).ToList())
        {
            partitionState.Delete(key);
        }
    }

    private ActivityState ActivityOf(EpochWindow epoch)
    {
        if (!clock.OpenEpochs.Contains(epoch.Start))
        {
            SaveClock(clock with { OpenEpochs = clock.OpenEpochs.Append(epoch.Start).Order().ToList() });
        }

        return activities.Get(epoch.Id) ?? ActivityState.Empty;
    }

    private bool IsClosed(EpochWindow epoch) => clock.ClosedThrough is { } closed && epoch.End <= closed;

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

    // Tallies and jobs waiting for a registration are kept per epoch and miner, so an epoch's entries are one key range.
    private static string EpochMinerKey(EpochWindow epoch, string minerId) => $"{epoch.Id}|{minerId}";

    private static string DeferredKey(EpochWindow epoch, SourceRecord source) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{epoch.Id}|{source.Topic}/{source.Partition:D5}/{source.Offset:D20}");
}
