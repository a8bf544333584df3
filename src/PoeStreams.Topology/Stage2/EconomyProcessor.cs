using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Minting;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;
using PoeStreams.Topology.Governance;
using PoeStreams.Topology.Ingest;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;
using DeadLetterReasons = PoeStreams.Contracts.DeadLetterReasons;
using PoeTopics = PoeStreams.Contracts.PoeTopics;
using StoreNames = PoeStreams.Contracts.StoreNames;
using Wire = PoeStreams.Contracts;

namespace PoeStreams.Topology.Stage2;

/// <summary>
/// Stage 2, one task reading the single partition of <see cref="PoeTopics.EpochPartials"/>. It stores
/// partials as they come, in whatever order the stage-1 partitions deliver them, and acts only when the
/// lowest partition watermark advances: then, in event-time order, it closes every epoch that ended
/// (index, rewards, manifest, mints), every month that ended (owner-salary report) and applies every
/// approval or halt whose time has come. Because it acts on watermarks and sorts by event time, a
/// replay produces the same records in the same order.
/// </summary>
public sealed class EconomyProcessor : ITransformer<string, EpochPartial, string, Emit>
{
    private const string StateKey = "state";
    private const string Stage = "stage-2";

    private readonly PoeTopologyOptions options;
    private readonly TimeProvider clock;
    private readonly ITopologyObserver observer;
    private readonly IInputBacklog backlog;
    private readonly IRecordPositions positions;
    private readonly TimeSpan epochLength;
    private readonly CommittedRelease release;
    private ProcessorContext<string, Emit> context = null!;
    private IKeyValueStore<string, MinerEpochScore> scores = null!;
    private IKeyValueStore<string, PartitionEpochActivity> activities = null!;
    private IKeyValueStore<string, EconomyState> economy = null!;
    private IKeyValueStore<string, BoundaryMarks> watermarkStore = null!;
    private SortedDictionary<int, BoundaryMarks>? loadedWatermarks;
    private EconomyState? loadedState;
    private ParameterTimeline? loadedTimeline;
    private long offset;
    private bool dirty;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public EconomyProcessor()
        : this(new PoeTopologyOptions(), TimeProvider.System, NullTopologyObserver.Instance, NoInputBacklog.Instance, KafkaOffsets.Instance)
    {
    }

    public EconomyProcessor(PoeTopologyOptions options, TimeProvider clock, ITopologyObserver observer, IInputBacklog backlog, IRecordPositions positions)
    {
        this.options = options;
        this.clock = clock;
        this.observer = observer;
        this.backlog = backlog;
        this.positions = positions;
        epochLength = options.Economics.Epochs.Length;
        release = new CommittedRelease(backlog, PoeTopics.EpochPartials);
    }

    public void Init(ProcessorContext<string, Emit> processorContext)
    {
        context = processorContext;
        scores = (IKeyValueStore<string, MinerEpochScore>)context.GetStateStore(StoreNames.EpochMinerScores);
        activities = (IKeyValueStore<string, PartitionEpochActivity>)context.GetStateStore(StoreNames.EpochIndex);
        economy = (IKeyValueStore<string, EconomyState>)context.GetStateStore(StoreNames.Economy);
        watermarkStore = (IKeyValueStore<string, BoundaryMarks>)context.GetStateStore(StoreNames.PartitionWatermarks);
    }

    // Every partial is applied once, whatever reads it again: after a crash of this stage the state is
    // restored ahead of the committed offset (a partial at or before State.WrittenAt changes no state,
    // and a watermark that advanced sends the same records again, recomputed from the state kept from
    // before it); after a crash of stage 1, partials of what this stage had already closed come again
    // and are left alone.
    public Record<string, Emit>? Process(Record<string, EpochPartial> record)
    {
        backlog.Read(PoeTopics.EpochPartials, context.Partition, context.Offset);
        offset = positions.Of(PoeTopics.EpochPartials, context.Partition, context.Offset);
        var partial = record.Value;
        if (IsRedelivered(partial))
        {
            observer.Redelivered(Stage);
            return null;
        }

        var replaying = offset <= State.WrittenAt;
        switch (partial.Kind)
        {
            case EpochPartialKind.MinerScores:
                var epoch = Epoch(partial.EpochStart!.Value);
                foreach (var score in partial.Scores!)
                {
                    scores.Put($"{epoch.Id}|{score.MinerId}", score);
                }

                Open(epoch, replaying);
                break;
            case EpochPartialKind.Activity:
                var activityEpoch = Epoch(partial.EpochStart!.Value);
                activities.Put(ActivityKey(activityEpoch, partial.Partition), partial.Activity!);
                Open(activityEpoch, replaying);
                break;
            case EpochPartialKind.GoldAttestation:
                var gold = new PendingGold(partial.EpochStart!.Value, partial.Gold!.Value);
                if (!replaying && !State.PendingGold.Contains(gold))
                {
                    Save(State with { PendingGold = [.. State.PendingGold, gold] });
                }

                break;
            case EpochPartialKind.Governance when replaying:
                if (State.Rejections.FirstOrDefault(r => r.Offset == offset) is { } rejection)
                {
                    Reject(partial, rejection.Detail);
                }

                break;
            case EpochPartialKind.Governance:
                Govern(partial);
                break;
            case EpochPartialKind.Watermark:
                Watermark(partial.Partition, partial.ClosedThrough!.Value);
                if (!replaying)
                {
                    Advance();
                }
                else if (State.Advances.FirstOrDefault(a => a.Offset == offset) is { } advance)
                {
                    Readvance(advance);
                }

                break;
        }

        Persist();
        return null;
    }

    public void Close()
    {
    }

    // A partial of an epoch that had closed before it arrived: stage 1 sent it again. Governance takes
    // effect when its epoch starts, the rest counts for its epoch until it ends. Stage 1 sends every
    // partial before the watermark that passes it, so a first copy is never behind.
    private bool IsRedelivered(EpochPartial partial) =>
        partial.EpochStart is { } start
        && State.ClosedThroughBefore(offset) is { } closed
        && (partial.Kind == EpochPartialKind.Governance ? start <= closed : start + epochLength <= closed);

    private void Govern(EpochPartial partial)
    {
        var command = partial.Governance!;
        if (State.PendingMints.Concat(State.PendingGovernance).Any(p => p.Command.EventId == command.EventId))
        {
            return;
        }

        var effective = partial.EpochStart!.Value;
        var policy = Timeline.At(effective).OwnerSalary;
        string? rejection = command.Action switch
        {
            GovernanceActionKind.UpdateParameters => Patch(command, effective),
            GovernanceActionKind.EmergencyHalt or GovernanceActionKind.LiftHalt when !policy.EmergencyHaltEnabled =>
                "the owner-salary policy does not allow emergency halts (owner_salary.emergency_halt_enabled is false)",
            _ => null,
        };

        if (rejection is not null)
        {
            var detail = $"{command.Action} {command.EventId}: {rejection}";
            Save(State with { Rejections = [.. State.Rejections.TakeLast(CloseBoundary.Retained - 1), new GovernanceRejection(offset, detail)] });
            Reject(partial, detail);
            return;
        }

        if (command.Action == GovernanceActionKind.MintRequest)
        {
            // The epoch must close even if nothing else happens in it, so the request gets an answer.
            Save(State with { PendingMints = PendingGovernance.Enqueue(State.PendingMints, new PendingGovernance(effective, command, partial.Source)) });
            Open(Epoch(effective), replaying: false);
        }

        if (command.Action is GovernanceActionKind.ApproveSalary or GovernanceActionKind.EmergencyHalt or GovernanceActionKind.LiftHalt)
        {
            Save(State with { PendingGovernance = PendingGovernance.Enqueue(State.PendingGovernance, new PendingGovernance(effective, command)) });
        }
    }

    private void Reject(EpochPartial partial, string detail)
    {
        observer.DeadLettered(DeadLetterReasons.InvalidGovernance);
        Emit(DeadLetters.For(partial.Source!, DeadLetterReasons.InvalidGovernance, detail));
    }

    private string? Patch(GovernanceCommand command, DateTimeOffset effective)
    {
        Timeline = Timeline.With(new ParameterPatch(effective, command.IssuedAt, command.EventId, command.Parameters), out var rejection);
        Save(State with { Patches = Timeline.Patches });
        return rejection;
    }

    // Each stage-1 partition's watermarks are kept apart, by offset, so a watermark writes a few bytes.
    private void Watermark(int partition, DateTimeOffset closedThrough)
    {
        var all = PartitionWatermarks();
        var marks = all.GetValueOrDefault(partition, BoundaryMarks.None);
        var updated = marks.With(offset, closedThrough);
        if (updated != marks)
        {
            all[partition] = updated;
            watermarkStore.Put(partition.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), updated);
        }
    }

    // Stores are restored from their changelogs after Init, so the watermarks are read on first use.
    private SortedDictionary<int, BoundaryMarks> PartitionWatermarks() =>
        loadedWatermarks ??= new(watermarkStore.ReadRange(string.Empty, "~").ToDictionary(e => int.Parse(e.Key, System.Globalization.CultureInfo.InvariantCulture), e => e.Value));

    // The lowest watermark moved: keep the state from before the advance (for a replay of this
    // partial), advance, and drop what the oldest kept advance closed.
    private void Advance()
    {
        ReleaseCommitted();
        if (BoundaryMarks.MoveAsOf(PartitionWatermarks().Values, options.Partitions, offset, State.ClosedThrough) is not { } through)
        {
            return;
        }

        var before = State;
        economy.Put(BeforeKey(offset), before with { Advances = [], Rejections = [] });
        var open = State.OpenEpochs;
        AdvanceTo(through);
        var advance = new CloseBoundary(offset, before.ClosedThrough, through, open.Except(State.OpenEpochs).ToList());
        var dropped = State.Advances.Count == CloseBoundary.Retained ? State.Advances[0] : null;
        Save(State with { Advances = [.. State.Advances.TakeLast(CloseBoundary.Retained - 1), advance] });
        if (dropped is not null)
        {
            economy.Delete(BeforeKey(dropped.Offset));
            Purge(dropped.Through);
        }
    }

    // This watermark advanced before a crash and its records may not have reached Kafka: the same
    // advance, from the same state, sends them again; the state it leaves is the one already stored.
    private void Readvance(CloseBoundary advance)
    {
        if (economy.Get(BeforeKey(advance.Offset)) is not { } before)
        {
            return;
        }

        var current = loadedState;
        loadedState = before;
        loadedTimeline = null;
        AdvanceTo(advance.Through);
        loadedState = current;
        loadedTimeline = null;
        dirty = false;
    }

    // Epochs close before months, months before governance effects at the same instant.
    private void AdvanceTo(DateTimeOffset? watermark)
    {
        if (watermark is not { } through || (State.ClosedThrough is { } closed && through <= closed))
        {
            return;
        }

        while (true)
        {
            var nextEpoch = State.OpenEpochs.Count > 0 && State.OpenEpochs[0] + epochLength <= through ? State.OpenEpochs[0] : (DateTimeOffset?)null;
            var nextMonth = State.SalaryAccruedByMonth.Keys.Select(YearMonth.Parse).Where(m => m.AddMonths(1).Start <= through).Order().FirstOrDefault();
            var nextMonthEnd = nextMonth == default ? (DateTimeOffset?)null : nextMonth.AddMonths(1).Start;
            var nextGovernance = State.PendingGovernance.FirstOrDefault(p => p.EffectiveFrom <= through);

            var epochEnd = nextEpoch + epochLength;
            if (epochEnd is { } e && (nextMonthEnd is not { } m1 || e <= m1) && (nextGovernance is null || e <= nextGovernance.EffectiveFrom))
            {
                CloseEpoch(Epoch(nextEpoch!.Value));
            }
            else if (nextMonthEnd is { } m && (nextGovernance is null || m <= nextGovernance.EffectiveFrom))
            {
                CloseMonth(nextMonth);
            }
            else if (nextGovernance is not null)
            {
                ApplyGovernance(nextGovernance);
            }
            else
            {
                break;
            }
        }

        Save(State with { ClosedThrough = through });
    }

    private void CloseEpoch(EpochWindow epoch)
    {
        var economics = Timeline.At(epoch.Start);
        var gold = State.Gold;
        foreach (var pending in State.PendingGold.Where(g => g.EpochStart <= epoch.Start))
        {
            gold = gold.With(pending.Attestation);
        }

        var partitionActivities = activities.ReadRange(epoch.Id + "|", epoch.Id + "}");
        var activity = partitionActivities.Aggregate(PartitionEpochActivity.Empty, (sum, kv) => sum.Combine(kv.Value));
        var minerScores = scores.ReadRange(epoch.Id + "|", epoch.Id + "}").Select(kv => kv.Value).ToList();
        var index = PoeIndex.Compute(activity.Activity, economics.PoeParameters);
        var requests = State.PendingMints.Where(p => p.EffectiveFrom == epoch.Start).ToList();
        var mints = MintPolicy.Decide(
            new MintInputs(index.Gamma, activity.NetworkLoad, State.FeeHistory, gold.AttestedGoldUnits)
            {
                Requests = requests.Select(p => new MintRequest(p.Command.EventId, p.Command.Token!.Value, p.Command.Amount!.Value)).ToList(),
            },
            State.Supply,
            economics.PoeParameters,
            economics.Minting);
        var distribution = RewardDistribution.Compute(mints.Nex.Amount, minerScores);

        var at = epoch.End.ToUnixTimeMilliseconds();
        Emit(new Emit(PoeTopics.Index, epoch.Id, ContractMapping.ToContract(epoch, index, activity.Activity, minerScores.Count), at));
        for (var i = 0; i < minerScores.Count; i++)
        {
            var reward = distribution.Rewards[i];
            Emit(new Emit(PoeTopics.Rewards, $"{epoch.Id}|{reward.MinerId}", ContractMapping.ToContract(epoch, reward, minerScores[i]), at));
        }

        Emit(new Emit(PoeTopics.RewardManifests, epoch.Id, new Wire.RewardManifest
        {
            epoch_id = epoch.Id,
            miner_count = minerScores.Count,
            pool = Contracts.WireDecimal.ToAvro(distribution.Pool),
            total_shares = Contracts.WireDecimal.ToAvro(distribution.Distributed),
            unallocated = Contracts.WireDecimal.ToAvro(distribution.Unallocated),
            total_weight = Contracts.WireDecimal.ToAvro(distribution.TotalWeight),
            network_average = Contracts.WireDecimal.ToAvro(distribution.NetworkAverage),
            merkle_root = RewardMerkleTree.RootOf(MerkleScheme.V2, epoch.Id, distribution.Rewards),
            merkle_scheme = MerkleScheme.V2.Name,
            leaf_count = distribution.Rewards.Count,
        }, at));
        foreach (var decision in mints.All)
        {
            Emit(new Emit(PoeTopics.Mints, $"{epoch.Id}|{decision.Token}", ContractMapping.ToContract(epoch, decision), at));
        }

        foreach (var (pending, outcome) in requests.Zip(mints.Requests).Where(r => !r.Second.Granted))
        {
            observer.DeadLettered(DeadLetterReasons.MintRefused);
            Emit(DeadLetters.For(pending.Source!, DeadLetterReasons.MintRefused, $"MintRequest {pending.Command.EventId} for epoch {epoch.Id}: {outcome.Reason}"));
        }

        observer.EpochClosed(
            epoch,
            index,
            minerScores.Count,
            mints.All.Where(d => d.Amount > 0m).ToDictionary(d => d.Token.ToString(), d => d.Amount),
            distribution.Unallocated,
            clock.GetUtcNow() - (epoch.End + economics.Epochs.Grace));
        var month = YearMonth.Of(epoch.Start).ToString();
        var accrued = new SortedDictionary<string, decimal>(State.SalaryAccruedByMonth.ToDictionary(), StringComparer.Ordinal);
        accrued[month] = accrued.GetValueOrDefault(month) + activity.OwnerSalary;
        Save(State with
        {
            OpenEpochs = State.OpenEpochs.Skip(1).ToList(),
            Supply = mints.Supply,
            FeeHistory = mints.FeeHistory,
            Gold = gold,
            PendingGold = State.PendingGold.Where(g => g.EpochStart > epoch.Start).ToList(),
            SalaryAccruedByMonth = accrued,
            PendingMints = State.PendingMints.Where(p => p.EffectiveFrom != epoch.Start).ToList(),
        });
    }

    private void CloseMonth(YearMonth month)
    {
        var key = month.ToString();
        var policy = Timeline.At(month.AddMonths(1).Start - epochLength).OwnerSalary;
        var report = OwnerSalaryCalculator.Compute(
            month, State.SalaryAccruedByMonth[key], policy, State.ApprovedMonths.Contains(key), State.Halted, State.PreviousSalaryHash);
        Emit(new Emit(PoeTopics.OwnerSalary, key, ContractMapping.ToContract(report), month.AddMonths(1).Start.ToUnixTimeMilliseconds()));
        var accrued = State.SalaryAccruedByMonth.Where(kv => kv.Key != key).ToDictionary(StringComparer.Ordinal);
        var published = new SortedDictionary<string, OwnerSalaryReport>(State.PublishedSalaryReports.ToDictionary(), StringComparer.Ordinal) { [key] = report };
        Save(State with { SalaryAccruedByMonth = accrued, PreviousSalaryHash = report.TransparencyHash, PublishedSalaryReports = published });
    }

    private void ApplyGovernance(PendingGovernance pending)
    {
        var command = pending.Command;
        var remaining = State.PendingGovernance.Where(p => p != pending).ToList();
        switch (command.Action)
        {
            case GovernanceActionKind.ApproveSalary:
                var month = command.Month!;
                Save(State with { PendingGovernance = remaining, ApprovedMonths = State.ApprovedMonths.Append(month).Distinct().Order(StringComparer.Ordinal).ToList() });
                if (State.PublishedSalaryReports.TryGetValue(month, out var report) && report.Status == OwnerSalaryStatus.PendingApproval)
                {
                    var approved = report.Approved();
                    var published = new SortedDictionary<string, OwnerSalaryReport>(State.PublishedSalaryReports.ToDictionary(), StringComparer.Ordinal) { [month] = approved };
                    Save(State with { PublishedSalaryReports = published });
                    Emit(new Emit(PoeTopics.OwnerSalary, month, ContractMapping.ToContract(approved), pending.EffectiveFrom.ToUnixTimeMilliseconds()));
                }

                break;
            default:
                Save(State with { PendingGovernance = remaining, Halted = command.Action == GovernanceActionKind.EmergencyHalt });
                break;
        }
    }

    // An advance below the committed offset is never read again: the state from before it and the
    // partials of the epochs it closed go, not when it drops out of the kept advances.
    private void ReleaseCommitted()
    {
        var released = release.Next(State.Advances, context.Id.Partition);
        foreach (var advance in released)
        {
            economy.Delete(BeforeKey(advance.Offset));
        }

        if (released is [.., var last])
        {
            Purge(last.Through);
        }
    }

    // A closed epoch's partials are dropped once no replay can read its advance again.
    private void Purge(DateTimeOffset closedThrough)
    {
        scores.DeleteEpochsThrough(closedThrough, epochLength);
        activities.DeleteEpochsThrough(closedThrough, epochLength);
    }

    private void Open(EpochWindow epoch, bool replaying)
    {
        if (!replaying && !State.OpenEpochs.Contains(epoch.Start))
        {
            Save(State with { OpenEpochs = State.OpenEpochs.Append(epoch.Start).Order().ToList() });
        }
    }

    private EpochWindow Epoch(DateTimeOffset start) => EpochWindow.StartingAt(start, epochLength);

    private static string ActivityKey(EpochWindow epoch, int partition) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{epoch.Id}|{partition:D5}");

    private void Emit(Emit emit) => context.Forward(emit.Key, emit);

    // Stores are restored from their changelogs after Init, so State is read on first use.
    private EconomyState State => loadedState ??= economy.Get(StateKey) ?? EconomyState.Initial(options);

    private ParameterTimeline Timeline
    {
        get => loadedTimeline ??= new ParameterTimeline(options.Economics, State.Patches);
        set => loadedTimeline = value;
    }

    private void Save(EconomyState updated)
    {
        loadedState = updated;
        dirty = true;
    }

    // The state is written once per partial that changed it, with that partial's offset.
    private void Persist()
    {
        if (dirty)
        {
            dirty = false;
            loadedState = State with { WrittenAt = offset };
            economy.Put(StateKey, loadedState);
        }
    }

    private static string BeforeKey(long offset) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"before|{offset:D20}");
}
