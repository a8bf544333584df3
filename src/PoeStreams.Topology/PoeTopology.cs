using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using PoeStreams.Economics.Mining;
using PoeStreams.Topology.Claims;
using PoeStreams.Topology.Ingest;
using PoeStreams.Topology.Serialization;
using PoeStreams.Topology.Stage1;
using PoeStreams.Topology.Stage2;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace PoeStreams.Topology;

/// <summary>
/// The PoE economy as a Streamiz topology (SPEC §2, §5–§10):
/// <code>
///  poe.miners ┐
///  poe.jobs ──┤ ingest: decode, validate ──► poe.sequenced ──► stage 1 (per partition) ──► poe.epoch-partials ──► stage 2 ──► poe.index
///             │  └─ jobs ──► poe.job-claims ──► claims (per job id) ─┘
///  poe.network-metrics ┤          │     (progress marks)         ├─► poe.job-fees        (one partition)       ├─► poe.rewards, poe.reward-manifests
///  poe.gold-reserves ──┤          │                              │                                             ├─► poe.mints, poe.owner-salary
///  poe.governance ─────┘          └──────────────────────────────┴──────────────► poe.dead-letters ◄───────────┘
/// </code>
/// </summary>
public static class PoeTopology
{
    /// <summary>Builds the topology.</summary>
    /// <param name="registry">Serves the Avro schemas of every public topic.</param>
    /// <param name="clock">The wall clock that closes epochs while input is idle (the system clock by default).</param>
    /// <param name="observer">Told about accepted jobs, dead letters and closed epochs (for metrics).</param>
    /// <param name="backlog">Told where each stage reads; says whether an input partition is read to its end (the wall clock closes epochs only then); always, by default.</param>
    /// <param name="positions">Where in its input partition a stage is reading: the Kafka offset, by default.</param>
    public static Streamiz.Kafka.Net.Stream.Topology Build(
        PoeTopologyOptions options,
        ISchemaRegistryClient registry,
        TimeProvider? clock = null,
        ITopologyObserver? observer = null,
        IInputBacklog? backlog = null,
        IRecordPositions? positions = null)
    {
        clock ??= TimeProvider.System;
        observer ??= NullTopologyObserver.Instance;
        backlog ??= NoInputBacklog.Instance;
        positions ??= KafkaOffsets.Instance;
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid topology options: " + string.Join("; ", problems), nameof(options));
        }

        var builder = new StreamBuilder();
        var decoder = new InputDecoder(registry, options);
        var sink = new EmitSerDes(registry);

        // 1. Ingest: the five input topics in one task per partition number, raw bytes in (undecodable
        //    records are dead-lettered whole); each record judged late only by its own partition's clock.
        var inputs = PoeTopics.Inputs
            .Select(topic => builder.Stream<byte[], byte[]>(topic, new ByteArraySerDes(), new ByteArraySerDes(), $"source-{topic}"))
            .Aggregate((merged, next) => merged.Merge(next));
        builder.AddStateStore(Store<SourceClock>(StoreNames.SourceClocks));
        var ingested = inputs.Transform(
            TransformerBuilder.New<byte[], byte[], string, Emit>().Transformer<IngestProcessor>(options, decoder, clock, observer, backlog).Build(),
            "ingest",
            [.. StoreNames.Ingest]);
        WriteOut(ingested, sink, "sink-ingest", linked: [PoeTopics.JobClaims, PoeTopics.Sequenced], outputs: [PoeTopics.DeadLetters]);

        // 2. Job claims: per job id — once every jobs partition has closed an epoch, one copy of each job id is accepted.
        foreach (var store in StoreNames.Claims)
        {
            builder.AddStateStore(ClaimStore(store));
        }

        var claimed = builder
            .Stream(PoeTopics.JobClaims, new StringSerDes(), new SourceValueSerDes<SequencedEvent>(), "source-job-claims")
            .Transform(
                TransformerBuilder.New<string, SequencedEvent, string, Emit>().Transformer<JobClaimProcessor>(options, observer, backlog, positions).Build(),
                "job-claims",
                [.. StoreNames.Claims]);
        WriteOut(claimed, sink, "sink-job-claims", linked: [PoeTopics.Sequenced], outputs: [PoeTopics.DeadLetters]);

        // 3. Stage 1: per miner partition — fees, tallies, reputation, epoch close when every input partition has closed it.
        builder.AddStateStore(Store<MinerState>(StoreNames.Miners));
        builder.AddStateStore(RangedStore<TallyState>(StoreNames.MinerEpochTallies));
        builder.AddStateStore(RangedStore<ActivityState>(StoreNames.PartitionEpochs));
        builder.AddStateStore(new WriteBehindStoreBuilder<string>(StoreNames.PartitionState, new StringSerDes(), StoreHolding.SinceCommit));
        builder.AddStateStore(RangedStore<PendingJobs>(StoreNames.PendingJobs));
        builder.AddStateStore(RangedStore<SequencedEvent>(StoreNames.DeferredJobs));
        var stageOne = builder
            .Stream(PoeTopics.Sequenced, new StringSerDes(), new SourceValueSerDes<SequencedEvent>(), "source-sequenced")
            .Transform(
                TransformerBuilder.New<string, SequencedEvent, string, Emit>().Transformer<PartitionEpochProcessor>(options, observer, backlog, positions).Build(),
                "stage-1",
                [.. StoreNames.StageOne]);
        WriteOut(stageOne, sink, "sink-stage-1", linked: [PoeTopics.EpochPartials], outputs: [PoeTopics.JobFees, PoeTopics.DeadLetters]);

        // 4. Stage 2: one partition — combine partials, close epochs and months in event-time order.
        builder.AddStateStore(RangedStore<MinerEpochScore>(StoreNames.EpochMinerScores));
        builder.AddStateStore(RangedStore<PartitionEpochActivity>(StoreNames.EpochIndex));
        builder.AddStateStore(Store<EconomyState>(StoreNames.Economy));
        builder.AddStateStore(RangedStore<BoundaryMarks>(StoreNames.PartitionWatermarks));
        var stageTwo = builder
            .Stream(PoeTopics.EpochPartials, new StringSerDes(), new SourceValueSerDes<EpochPartial>(), "source-epoch-partials")
            .Transform(
                TransformerBuilder.New<string, EpochPartial, string, Emit>().Transformer<EconomyProcessor>(options, clock, observer, backlog, positions).Build(),
                "stage-2",
                [.. StoreNames.StageTwo]);
        WriteOut(
            stageTwo,
            sink,
            "sink-stage-2",
            linked: [],
            outputs: [PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.OwnerSalary, PoeTopics.DeadLetters]);

        return builder.Build();
    }

    // Each topic a step writes has a sink of its own, named after it, so the topology describes the real
    // graph; the record names its topic and timestamp, and its key places it (the producer's murmur2).
    // An internal topic that feeds the next step gets a fixed-topic sink, so the topology links the two
    // steps and Streamiz's test driver follows the link; Streamiz gives such a sink its default
    // partitioner, which leaves the partition to the producer. An output topic's sink has no partitioner
    // at all: with one, Streamiz looks the topic's partition count up (rebuilding its admin
    // configuration) for every record. A record for a topic the step does not declare is a defect, and
    // stops the step rather than vanish.
    internal static void WriteOut(IKStream<string, Emit> stream, EmitSerDes serdes, string name, string[] linked, string[] outputs)
    {
        string[] topics = [.. linked, .. outputs];
        var branches = stream.Branch(
            $"{name}-split",
            [
                .. topics.Select(topic => (Func<string, Emit, Streamiz.Kafka.Net.Processors.IRecordContext, bool>)((_, emit, _) => emit.Topic == topic)),
                (_, emit, _) => throw new InvalidOperationException($"{name} received a record for {emit.Topic}, which it does not write"),
            ]);
        for (var i = 0; i < topics.Length; i++)
        {
            var topic = topics[i];
            if (i < linked.Length)
            {
                branches[i].To(topic, new StringSerDes(), serdes, $"{name}-{topic}");
            }
            else
            {
                var route = new EmitTo(topic);
                branches[i].To(route, new StringSerDes(), serdes, route, partitioner: null, $"{name}-{topic}");
            }
        }
    }

    // Every store is written behind: a key changed many times between two commits is serialized and
    // sent to its changelog once, at the commit. A store read by key holds what its task touched since
    // the last commit; one read by epoch (key range) holds all its entries, which go as epochs close.
    private static WriteBehindStoreBuilder<T> Store<T>(string name) => new(name, new JsonValueSerDes<T>(), StoreHolding.SinceCommit);

    private static WriteBehindStoreBuilder<T> RangedStore<T>(string name) => new(name, new JsonValueSerDes<T>(), StoreHolding.Everything);

    private static Streamiz.Kafka.Net.State.IStoreBuilder ClaimStore(string name) => name switch
    {
        StoreNames.JobClaims => Store<JobClaim>(name),
        StoreNames.WaitingClaims => RangedStore<SequencedEvent>(name),
        StoreNames.ClaimMarks => Store<BoundaryMarks>(name),
        StoreNames.ClaimClocks => Store<ClaimClock>(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a store of the claim stage"),
    };
}
