using PoeStreams.Contracts;
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
/// <para>
/// Crash-exact on at-least-once: after a crash the stores come back ahead of the committed offsets
/// (each by its own amount) and the records since the last commit are read again. Every decision is
/// therefore taken as of the record's own offset (the clock keeps its recent boundary moves by offset,
/// a miner its registrations by offset and reputations by epoch), every sum carries the input positions
/// folded into it, and a closed epoch's data is kept until its boundary move is below the committed
/// offset (or drops out of the <see cref="CloseBoundary.Retained"/> kept moves), so a boundary move read
/// again sends the same partials again.
/// </para>
/// </summary>
public sealed class PartitionEpochProcessor : ITransformer<string, SequencedEvent, string, Emit>
{
    private const string ClockKey = "clock";
    private const string PatchesKey = "patches";
    private const string SourceKeyPrefix = "source|";
    private const string Stage = "stage-1";

    private readonly PoeTopologyOptions options;
    private readonly ITopologyObserver observer;
    private readonly IInputBacklog backlog;
    private readonly IRecordPositions positions;
    private readonly TimeSpan epochLength;
    private readonly IReadOnlySet<string> expectedSources;
    private readonly CommittedRelease release;
    private readonly SortedDictionary<string, BoundaryMarks> sources = new(StringComparer.Ordinal);
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
    private long offset;
    private bool clockChanged;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public PartitionEpochProcessor()
        : this(new PoeTopologyOptions(), NullTopologyObserver.Instance, NoInputBacklog.Instance, KafkaOffsets.Instance)
    {
    }

    public PartitionEpochProcessor(PoeTopologyOptions options, ITopologyObserver observer, IInputBacklog backlog, IRecordPositions positions)
    {
        this.options = options;
        this.observer = observer;
        this.backlog = backlog;
        this.positions = positions;
        epochLength = options.Economics.Epochs.Length;
        expectedSources = ProgressSources.OfStageOne(options.Partitions);
        release = new CommittedRelease(backlog, PoeTopics.Sequenced);
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
        offset = positions.Of(PoeTopics.Sequenced, context.Partition, context.Offset);
        var message = record.Value;
        switch (message.Kind)
        {
            case SequencedKind.MinerRegistered:
                Register(message.Registration!);
                break;
            case SequencedKind.Job:
                // One claimed job a record: what the claim stage sent before it batched them, still read on upgrade.
                Accept(message, Job);
                break;
            case SequencedKind.JobBatch:
                foreach (var job in message.Jobs!)
                {
                    Accept(job, Job);
                }

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

        SaveClock();
        return null;
    }

    public void Close()
    {
    }

    // The task's partition: during a punctuation there is no current record, so not context.Partition.
    private int Partition => context.Id.Partition;

    // A registration counts for records after it; the same registration read again changes nothing.
    private void Register(MinerRegistration registration)
    {
        var existing = miners.Get(registration.MinerId) ?? new MinerState([], []);
        var latest = existing.Registrations.LastOrDefault();
        if (latest is not null && (latest.Offset >= offset || (latest.Specialization == registration.Specialization && latest.RegisteredAt == registration.RegisteredAt)))
        {
            return;
        }

        var registered = new MinerRegistrationAt(offset, registration.Specialization, registration.RegisteredAt);
        miners.Put(registration.MinerId, existing with { Registrations = [.. existing.Registrations.TakeLast(MinerState.RetainedRegistrations - 1), registered] });
    }

    // An epoch that had closed before this record was sent: an ingest instance sent it again after a
    // crash or rebalance, and its first copy is already in the epoch's sums (ingest judged it on time,
    // before the progress mark that closed the epoch).
    private void Accept(SequencedEvent message, Action<SequencedEvent, EpochWindow> handle)
    {
        var epoch = EpochWindow.Containing(message.EventTime, epochLength);
        if (ClosedBeforeThisRecord(epoch))
        {
            observer.Redelivered(Stage);
            return;
        }

        handle(message, epoch);
    }

    private void Job(SequencedEvent message, EpochWindow epoch)
    {
        if (clock.ClosedThroughBefore(offset) is not { } closed || closed < epoch.Start)
        {
            // A parameter change for this epoch may still arrive (until every input partition has closed
            // the previous one): the job waits, kept in the order it came (by claim), and is applied when it cannot.
            deferredJobs.Put(DeferredKey(epoch, message.Applied), message);
            OpenEpoch(epoch);
            return;
        }

        Apply(message, epoch, offset, waited: false);
    }

    // Applies a job as of sequenced offset asOf. A job read again is not a duplicate: its fee split goes
    // out again, unchanged, and the tally and sums skip what they have already folded in.
    private void Apply(SequencedEvent message, EpochWindow epoch, long asOf, bool waited)
    {
        var job = message.Job!;
        var source = message.Applied;
        if (miners.Get(job.MinerId)?.AsOf(asOf) is not { } registration)
        {
            // The registration may still be on its way from another input topic: wait for it until the epoch closes.
            var key = EpochMinerKey(epoch, job.MinerId);
            var waiting = pendingJobs.Get(key)?.Jobs ?? [];
            if (!waiting.Any(j => j.Applied.Position == source.Position))
            {
                pendingJobs.Put(key, new PendingJobs([.. waiting, message]));
            }

            OpenEpoch(epoch);
            return;
        }

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
            if (stored is null || !stored.Applied.Includes(source, waited))
            {
                var tally = stored?.ToTally() ?? new MinerEpochTally(job.MinerId, registration.Specialization);
                tallies.Put(tallyKey, TallyState.Of(tally.With(job, economics.MiningRewards)) with { Applied = (stored?.Applied ?? AppliedInputs.None).With(source, waited) });
            }

            activity = activity with { OwnerSalary = activity.OwnerSalary + split.OwnerSalary, FeeSplits = activity.FeeSplits + 1 };
        }

        Fold(epoch, state, source, waited, activity with { Activity = activity.Activity.WithJob(job) });
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
        Fold(epoch, state, message.Source!, waited: false, activity);
    }

    // The epoch's sums take the record's contribution once: a replay of a position already folded in changes nothing.
    private void Fold(EpochWindow epoch, ActivityState state, SourceRecord source, bool waited, PartitionEpochActivity updated)
    {
        if (!state.Applied.Includes(source, waited))
        {
            activities.Put(epoch.Id, new ActivityState(updated, state.Applied.With(source, waited)));
        }
    }

    private void Gold(SequencedEvent message, EpochWindow epoch) =>
        ToStageTwo(new EpochPartial(EpochPartialKind.GoldAttestation, Partition, epoch.Start, Gold: message.Gold), epoch.End);

    // Governance reaches every partition; each applies parameter changes to its own timeline, and the
    // event's home partition alone forwards it to stage 2 (which owns salary, halts and rejections).
    // Ingest judged it by its issue epoch; if the epoch it takes effect in had closed before this
    // record, ingest sent it again.
    private void Govern(SequencedEvent message)
    {
        var command = message.Governance!;
        var effective = EpochWindow.Containing(command.IssuedAt, epochLength).Next;
        if (ClosedBeforeThisRecord(effective))
        {
            observer.Redelivered(Stage);
            return;
        }

        if (command.Action == GovernanceActionKind.UpdateParameters)
        {
            var updated = timeline.With(new ParameterPatch(effective.Start, command.IssuedAt, command.EventId, command.Parameters), out _);
            if (updated.Patches.Count != timeline.Patches.Count)
            {
                timeline = updated;
                partitionState.Put(PatchesKey, System.Text.Encoding.UTF8.GetString(Json.Serialize(new PatchesState(timeline.Patches))));
            }
        }

        if (KafkaPartitioner.PartitionOf(command.EventId, options.Partitions) == Partition)
        {
            ToStageTwo(new EpochPartial(EpochPartialKind.Governance, Partition, effective.Start, Governance: command, Source: message.Source), effective.Start);
        }
    }

    // An upstream partition's close boundary moved: the partition closes what every upstream partition
    // had closed at this offset. A mark sent again by ingest changes nothing; this record read again after
    // a crash sends again what its boundary move sent, if it made one. A source this version does not
    // wait for (a mark an earlier version sent per input topic) is passed over.
    private void Progress(SourceProgress progress)
    {
        if (!expectedSources.Contains(progress.Source))
        {
            return;
        }

        var marks = sources.GetValueOrDefault(progress.Source, BoundaryMarks.None);
        var updated = marks.With(offset, progress.ClosedThrough);
        if (updated != marks)
        {
            sources[progress.Source] = updated;
            partitionState.Put(SourceKeyPrefix + progress.Source, System.Text.Encoding.UTF8.GetString(Json.Serialize(updated)));
        }

        if (offset <= clock.WrittenAt)
        {
            if (clock.Boundaries.FirstOrDefault(b => b.Offset == offset) is { } crossed)
            {
                Cross(crossed);
            }

            return;
        }

        // A closed epoch's data is kept for its boundary move read again; once the move is below the
        // commit it goes, not when the move drops out of the kept ones.
        if (release.Next(clock.Boundaries, Partition) is [.., var committed])
        {
            Purge(committed.Through);
        }

        if (BoundaryMarks.MoveAsOf(sources.Values, expectedSources.Count, offset, clock.ClosedThrough) is not { } through)
        {
            return;
        }

        var closing = clock.OpenEpochs.Where(start => start + epochLength <= through).ToList();
        var boundary = new CloseBoundary(offset, clock.ClosedThrough, through, closing);
        var dropped = clock.Boundaries.Count == CloseBoundary.Retained ? clock.Boundaries[0] : null;
        UpdateClock(clock with
        {
            ClosedThrough = through,
            OpenEpochs = clock.OpenEpochs.Except(closing).ToList(),
            Boundaries = [.. clock.Boundaries.TakeLast(CloseBoundary.Retained - 1), boundary],
        });
        Cross(boundary);
        if (dropped is not null)
        {
            Purge(dropped.Through);
        }
    }

    // What a boundary move does, the same every time it is read: jobs waiting for their epoch's
    // parameters count, the epochs that ended close, and stage 2 hears the new watermark.
    private void Cross(CloseBoundary boundary)
    {
        var deferred = deferredJobs.ReadRange(string.Empty, EpochWindow.Containing(boundary.Through, epochLength).Id + "}")
            .Select(entry => (Epoch: EpochWindow.Containing(entry.Value.EventTime, epochLength), Message: entry.Value))
            .Where(entry => entry.Epoch.Start <= boundary.Through && (boundary.From is not { } from || entry.Epoch.Start > from));
        foreach (var (epoch, message) in deferred)
        {
            Apply(message, epoch, boundary.Offset, waited: false);
        }

        foreach (var start in boundary.ClosedEpochs)
        {
            CloseEpoch(EpochWindow.StartingAt(start, epochLength), boundary.Offset);
        }

        ToStageTwo(new EpochPartial(EpochPartialKind.Watermark, Partition, ClosedThrough: boundary.Through), boundary.Through);
    }

    private void CloseEpoch(EpochWindow epoch, long asOf)
    {
        foreach (var (_, waiting) in pendingJobs.ReadRange(epoch.Id + "|", epoch.Id + "}"))
        {
            foreach (var job in waiting.Jobs)
            {
                if (miners.Get(job.Job!.MinerId)?.AsOf(asOf) is null)
                {
                    DeadLetter(job, DeadLetterReasons.UnknownMiner, $"miner {job.Job!.MinerId} was not registered when epoch {epoch.Id} closed");
                }
                else
                {
                    Apply(job, epoch, asOf, waited: true);
                }
            }
        }

        // A reputation already moved past this epoch is this close read again: it starts from the reputation before.
        var economics = timeline.At(epoch.Start);
        var keepFrom = clock.Boundaries[0].From is { } oldest ? oldest - epochLength : DateTimeOffset.MinValue;
        var scores = new List<MinerEpochScore>();
        foreach (var (_, state) in tallies.ReadRange(epoch.Id + "|", epoch.Id + "}"))
        {
            var miner = miners.Get(state.MinerId)!;
            var outcome = state.ToTally().Close(miner.Before(epoch.Start), epoch.Start, economics.MiningRewards);
            if (!miner.Reputations.Any(r => r.EpochStart >= epoch.Start))
            {
                miners.Put(state.MinerId, miner.Closed(epoch.Start, outcome.Reputation, keepFrom));
            }

            scores.Add(outcome.Score);
        }

        foreach (var batch in EpochPartial.ScoreBatches(scores))
        {
            ToStageTwo(new EpochPartial(EpochPartialKind.MinerScores, Partition, epoch.Start, Scores: batch), epoch.End);
        }

        if (activities.Get(epoch.Id) is { } activity)
        {
            ToStageTwo(new EpochPartial(EpochPartialKind.Activity, Partition, epoch.Start, Activity: activity.Activity), epoch.End);
        }
    }

    // A closed epoch's data is dropped once its boundary move is no longer kept: no replay reaches back that far.
    private void Purge(DateTimeOffset closedThrough)
    {
        tallies.DeleteEpochsThrough(closedThrough, epochLength);
        activities.DeleteEpochsThrough(closedThrough, epochLength);
        pendingJobs.DeleteEpochsThrough(closedThrough, epochLength);
        deferredJobs.DeleteEpochsThrough(closedThrough, epochLength);
    }

    private ActivityState ActivityOf(EpochWindow epoch)
    {
        OpenEpoch(epoch);
        return activities.Get(epoch.Id) ?? ActivityState.Empty;
    }

    private void OpenEpoch(EpochWindow epoch)
    {
        if (!clock.OpenEpochs.Contains(epoch.Start) && (clock.ClosedThrough is not { } closed || epoch.End > closed))
        {
            UpdateClock(clock with { OpenEpochs = clock.OpenEpochs.Append(epoch.Start).Order().ToList() });
        }
    }

    private bool ClosedBeforeThisRecord(EpochWindow epoch) => clock.ClosedThroughBefore(offset) is { } closed && epoch.End <= closed;

    private void DeadLetter(SequencedEvent message, string reason, string detail)
    {
        observer.DeadLettered(reason);
        Emit(DeadLetters.For(message.Source!, reason, detail));
    }

    private void ToStageTwo(EpochPartial partial, DateTimeOffset timestamp) =>
        Emit(new Emit(
            PoeTopics.EpochPartials, partial.EpochStart is { } start ? EpochWindow.StartingAt(start, epochLength).Id : $"partition-{Partition}", partial, timestamp.ToUnixTimeMilliseconds()));

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

        foreach (var (key, value) in partitionState.ReadRange(SourceKeyPrefix, SourceKeyPrefix + "\uffff"))
        {
            if (expectedSources.Contains(key[SourceKeyPrefix.Length..]))
            {
                sources[key[SourceKeyPrefix.Length..]] = Json.Deserialize<BoundaryMarks>(System.Text.Encoding.UTF8.GetBytes(value));
            }
        }

        if (partitionState.Get(PatchesKey) is { } storedPatches)
        {
            timeline = timeline with { Patches = Json.Deserialize<PatchesState>(System.Text.Encoding.UTF8.GetBytes(storedPatches)).Patches };
        }
    }

    // A record whose effect the stored clock already has (read again after a crash) leaves it alone.
    private void UpdateClock(PartitionClock updated)
    {
        if (offset > clock.WrittenAt)
        {
            clock = updated;
            clockChanged = true;
        }
    }

    // The clock is written once per record that changed it, with that record's offset.
    private void SaveClock()
    {
        if (clockChanged)
        {
            clockChanged = false;
            clock = clock with { WrittenAt = offset };
            partitionState.Put(ClockKey, System.Text.Encoding.UTF8.GetString(Json.Serialize(clock)));
        }
    }

    // Tallies and jobs waiting for a registration are kept per epoch and miner, so an epoch's entries are one key range.
    private static string EpochMinerKey(EpochWindow epoch, string minerId) => $"{epoch.Id}|{minerId}";

    private static string DeferredKey(EpochWindow epoch, SourceRecord source) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{epoch.Id}|{source.Topic}/{source.Partition:D5}/{source.Offset:D20}");
}
