using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using PoeStreams.Topology.Ingest;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.State;

namespace PoeStreams.Topology.Claims;

/// <summary>
/// The claim stage, one task per partition of <see cref="PoeTopics.JobClaims"/> (keyed by job id, so
/// every copy of a job id meets here): jobs wait until every input partition of <see cref="PoeTopics.Jobs"/>
/// has closed their epoch (the lowest of their progress marks), then <see cref="JobClaims.Decide"/>
/// accepts one copy per job id, which goes on to stage 1, and dead-letters the others as
/// <c>duplicate-job</c>. Claims are kept for the configured horizon (let go once a day of boundary time). After the decision the stage sends
/// its own progress mark to every stage-1 partition, behind the jobs it released.
/// <para>
/// Crash-exact on at-least-once, like stage 1: its recent boundary moves are kept by offset, a job read
/// again is judged by the boundary in force before it, and the copies of a decided epoch are kept until
/// its move is below the committed offset (or drops out of the <see cref="CloseBoundary.Retained"/> kept
/// moves), so a move read again decides (and sends) the same again.
/// </para>
/// </summary>
public sealed class JobClaimProcessor : ITransformer<string, SequencedEvent, string, Emit>
{
    private const string Stage = "job-claims";

    private readonly PoeTopologyOptions options;
    private readonly ITopologyObserver observer;
    private readonly IInputBacklog backlog;
    private readonly IRecordPositions positions;
    private readonly TimeSpan epochLength;
    private readonly TimeSpan horizon;
    private readonly CommittedRelease release;
    private readonly SortedDictionary<string, BoundaryMarks> upstream = new(StringComparer.Ordinal);
    private ProcessorContext<string, Emit> context = null!;
    private IKeyValueStore<string, JobClaim> claims = null!;
    private IKeyValueStore<string, SequencedEvent> waiting = null!;
    private IKeyValueStore<string, BoundaryMarks> marks = null!;
    private IKeyValueStore<string, ClaimClock> clocks = null!;
    private ClaimClock clock = ClaimClock.Initial;
    private string[] progressKeys = [];
    private string[] batchKeys = [];
    private bool loaded;
    private long offset;

    /// <summary>Streamiz's builder requires a parameterless constructor; the topology uses the other one.</summary>
    public JobClaimProcessor()
        : this(new PoeTopologyOptions(), NullTopologyObserver.Instance, NoInputBacklog.Instance, KafkaOffsets.Instance)
    {
    }

    public JobClaimProcessor(PoeTopologyOptions options, ITopologyObserver observer, IInputBacklog backlog, IRecordPositions positions)
    {
        this.options = options;
        this.observer = observer;
        this.backlog = backlog;
        this.positions = positions;
        epochLength = options.Economics.Epochs.Length;
        horizon = options.Economics.Epochs.JobIdHorizon;
        release = new CommittedRelease(backlog, PoeTopics.JobClaims);
    }

    public void Init(ProcessorContext<string, Emit> processorContext)
    {
        context = processorContext;
        claims = (IKeyValueStore<string, JobClaim>)context.GetStateStore(StoreNames.JobClaims);
        waiting = (IKeyValueStore<string, SequencedEvent>)context.GetStateStore(StoreNames.WaitingClaims);
        marks = (IKeyValueStore<string, BoundaryMarks>)context.GetStateStore(StoreNames.ClaimMarks);
        clocks = (IKeyValueStore<string, ClaimClock>)context.GetStateStore(StoreNames.ClaimClocks);
    }

    public Record<string, Emit>? Process(Record<string, SequencedEvent> record)
    {
        LoadOnce();
        backlog.Read(PoeTopics.JobClaims, context.Partition, context.Offset);
        offset = positions.Of(PoeTopics.JobClaims, context.Partition, context.Offset);
        if (record.Value.Kind == SequencedKind.Progress)
        {
            Progress(record.Value.Progress!);
        }
        else
        {
            Wait(record.Value);
        }

        return null;
    }

    public void Close()
    {
    }

    // This stage's partition, which names it as a source of stage 1.
    private string Source => ProgressSources.OfClaims(context.Id.Partition);

    // A job of an epoch still open waits for the decision; one of an epoch already decided was read
    // again (ingest judged every new record of it late), so it was decided then.
    private void Wait(SequencedEvent job)
    {
        var epoch = EpochWindow.Containing(job.EventTime, epochLength);
        if (clock.ClosedThroughBefore(offset) is { } closed && epoch.End <= closed)
        {
            if (JobClaims.Duplicated(claims.Get(job.Job!.JobId), job, epochLength, horizon) is { } first)
            {
                DeadLetter(job, first);
            }
            else
            {
                observer.Redelivered(Stage);
            }

            return;
        }

        waiting.Put(WaitingKey(epoch, job), job);
    }

    // An input partition of poe.jobs closed more epochs: once every one has closed an epoch, its copies are decided.
    private void Progress(SourceProgress progress)
    {
        var previous = upstream.GetValueOrDefault(progress.Source, BoundaryMarks.None);
        var updated = previous.With(offset, progress.ClosedThrough);
        if (updated != previous)
        {
            upstream[progress.Source] = updated;
            marks.Put(progress.Source, updated);
        }

        if (offset <= clock.WrittenAt)
        {
            if (clock.Moves.FirstOrDefault(m => m.Offset == offset) is { } readAgain)
            {
                Decide(readAgain);
            }

            return;
        }

        ReleaseCommitted();
        if (BoundaryMarks.MoveAsOf(upstream.Values, options.Partitions, offset, clock.ClosedThrough) is not { } through)
        {
            return;
        }

        var before = clock.ClosedThrough;
        var move = new ClaimMove(offset, before, through, clock.NextNumber);
        var dropped = clock.Moves.Count == CloseBoundary.Retained ? clock.Moves[0] : null;
        var nextNumber = Decide(move);
        clock = new ClaimClock([.. clock.Moves.TakeLast(CloseBoundary.Retained - 1), move], offset, nextNumber);
        clocks.Put(Source, clock);
        if (dropped is not null)
        {
            waiting.DeleteEpochsThrough(dropped.Through, epochLength);
        }

        // A move read again decides epochs after the oldest kept move's start: their claims stay.
        if ((before is not { } from || from.UtcDateTime.Date != through.UtcDateTime.Date) && clock.Moves[0].From is { } oldest)
        {
            Expire(JobClaims.ExpiredBefore(oldest, horizon));
        }
    }

    // The copies of a decided epoch are kept so that its move, read again after a crash, decides the
    // same again; once the move is below the commit they go, not when it drops out of the kept moves.
    // Memory then holds the copies of the epochs still open and of those decided since the last commit.
    private void ReleaseCommitted()
    {
        if (release.Next(clock.Moves, context.Id.Partition) is [.., var last])
        {
            waiting.DeleteEpochsThrough(last.Through, epochLength);
        }
    }

    // Decides the waiting copies of the epochs the move closed, sends each on or to the dead letters,
    // then the stage's mark; the same every time the move is read. Returns the number after the last
    // claim it accepted (its claims may already be stored, ahead of this clock, after a crash).
    private long Decide(ClaimMove move)
    {
        // Only the epochs this move closes: those of earlier moves, kept for replays, sort before them.
        var first = move.From is { } from ? StoreExtensions.LastEpochKey(from, epochLength) : string.Empty;
        var copies = waiting.ReadRange(first, StoreExtensions.LastEpochKey(move.Through, epochLength)).Select(entry => entry.Value);
        var (verdicts, made) = JobClaims.Decide(copies, claims.Get, move.FirstNumber, epochLength, horizon);
        foreach (var (jobId, claim) in made)
        {
            claims.Put(jobId, claim);
        }

        var nextNumber = move.FirstNumber;
        var released = new List<SequencedEvent>();
        foreach (var verdict in verdicts)
        {
            if (verdict.Accepted)
            {
                nextNumber = Math.Max(nextNumber, verdict.Claim.Number + 1);
                released.Add(verdict.Job with { Via = new SourceRecord(PoeTopics.JobClaims, context.Id.Partition, verdict.Claim.Number, 0, null, null) });
            }
            else
            {
                DeadLetter(verdict.Job, verdict.Claim);
            }
        }

        foreach (var (partition, batch) in SequencedEvent.JobBatches(released, options.Partitions))
        {
            Emit(new Emit(PoeTopics.Sequenced, batchKeys[partition], new SequencedEvent(SequencedKind.JobBatch, move.Through, Jobs: batch), move.Through.ToUnixTimeMilliseconds()));
        }

        var mark = new SequencedEvent(SequencedKind.Progress, move.Through, Progress: new SourceProgress(Source, move.Through));
        foreach (var key in progressKeys)
        {
            Emit(new Emit(PoeTopics.Sequenced, key, mark, move.Through.ToUnixTimeMilliseconds()));
        }

        return nextNumber;
    }

    // Claims older than the horizon are let go, once a day of boundary time: a scan of the claims is
    // cheaper than an index by epoch that every claim would write to its changelog too.
    private void Expire(DateTimeOffset before)
    {
        var lastKey = StoreExtensions.LastEpochKey(before, epochLength);
        foreach (var jobId in claims.All().Where(e => string.CompareOrdinal(e.Value.EpochId, lastKey) < 0).Select(e => e.Key).ToList())
        {
            claims.Delete(jobId);
        }
    }

    private void DeadLetter(SequencedEvent job, JobClaim claim)
    {
        observer.DeadLettered(DeadLetterReasons.DuplicateJob);
        Emit(DeadLetters.For(job.Source!, DeadLetterReasons.DuplicateJob, $"job {job.Job!.JobId} was already accepted in epoch {claim.EpochId} (from {claim.Position})"));
    }

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
        clock = clocks.Get(Source) ?? ClaimClock.Initial;
        foreach (var (source, stored) in marks.ReadRange(string.Empty, "\uffff"))
        {
            upstream[source] = stored;
        }

        progressKeys = ProgressSources.MarkKeys(Source, options.Partitions);
        batchKeys = KafkaPartitioner.KeysInEveryPartition($"jobs-{Source}", options.Partitions);
    }

    // A job's copies are kept by epoch, so the epochs a move decides are one key range.
    private static string WaitingKey(EpochWindow epoch, SequencedEvent job) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{epoch.Id}|{job.Source!.Topic}/{job.Source.Partition:D5}/{job.Source.Offset:D20}");
}
