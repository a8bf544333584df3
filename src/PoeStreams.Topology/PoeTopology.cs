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
        WriteOut(ingested, sink, "sink-ingest", PoeTopics.JobClaims, PoeTopics.Sequenced);

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
        WriteOut(claimed, sink, "sink-job-claims", PoeTopics.Sequenced);

        // 3. Stage 1: per miner partition — fees, tallies, reputation, epoch close when every input partition has closed it.
        builder.AddStateStore(Store<MinerState>(StoreNames.Miners));
        builder.AddStateStore(Store<TallyState>(StoreNames.MinerEpochTallies));
        builder.AddStateStore(Store<ActivityState>(StoreNames.PartitionEpochs));
        builder.AddStateStore(new WriteBehindStoreBuilder<string>(StoreNames.PartitionState, new StringSerDes()));
        builder.AddStateStore(Store<PendingJobs>(StoreNames.PendingJobs));
        builder.AddStateStore(Store<SequencedEvent>(StoreNames.DeferredJobs));
        var stageOne = builder
            .Stream(PoeTopics.Sequenced, new StringSerDes(), new SourceValueSerDes<SequencedEvent>(), "source-sequenced")
            .Transform(
                TransformerBuilder.New<string, SequencedEvent, string, Emit>().Transformer<PartitionEpochProcessor>(options, observer, backlog, positions).Build(),
                "stage-1",
                [.. StoreNames.StageOne]);
        WriteOut(stageOne, sink, "sink-stage-1", PoeTopics.EpochPartials);

        // 4. Stage 2: one partition — combine partials, close epochs and months in event-time order.
        builder.AddStateStore(Store<MinerEpochScore>(StoreNames.EpochMinerScores));
        builder.AddStateStore(Store<PartitionEpochActivity>(StoreNames.EpochIndex));
        builder.AddStateStore(Store<EconomyState>(StoreNames.Economy));
        builder.AddStateStore(Store<BoundaryMarks>(StoreNames.PartitionWatermarks));
        var stageTwo = builder
            .Stream(PoeTopics.EpochPartials, new StringSerDes(), new SourceValueSerDes<EpochPartial>(), "source-epoch-partials")
            .Transform(
                TransformerBuilder.New<string, EpochPartial, string, Emit>().Transformer<EconomyProcessor>(options, clock, observer, backlog, positions).Build(),
                "stage-2",
                [.. StoreNames.StageTwo]);
        WriteOut(stageTwo, sink, "sink-stage-2");

        return builder.Build();
    }

    // Every output goes through one kind of sink: the record names its topic and timestamp; its key
    // places it (the producer's murmur2). The internal topic a step feeds gets a sink of its own (a
    // fixed topic), so the topology describes the link from one stage to the next and Streamiz's test
    // driver follows it; Streamiz gives such a sink its default partitioner, which leaves the partition
    // to the producer. The output sink has no partitioner at all: with one, Streamiz looks the topic's
    // partition count up (rebuilding its admin configuration) for every record.
    private static void WriteOut(IKStream<string, Emit> stream, EmitSerDes serdes, string name, params string[] linkedTopics)
    {
        var routing = new EmitRouting();
        var outputs = stream;
        if (linkedTopics.Length > 0)
        {
            var branches = stream.Branch(
                $"{name}-split",
                [.. linkedTopics.Select(topic => (Func<string, Emit, Streamiz.Kafka.Net.Processors.IRecordContext, bool>)((_, emit, _) => emit.Topic == topic)), (_, _, _) => true]);
            for (var i = 0; i < linkedTopics.Length; i++)
            {
                branches[i].To(linkedTopics[i], new StringSerDes(), serdes, $"{name}-{linkedTopics[i]}");
            }

            outputs = branches[^1];
        }

        outputs.To(routing, new StringSerDes(), serdes, routing, partitioner: null, name);
    }

    // Every store is written behind: a key changed many times between two commits is serialized and
    // sent to its changelog once, at the commit.
    private static WriteBehindStoreBuilder<T> Store<T>(string name) => new(name, new JsonValueSerDes<T>());

    private static Streamiz.Kafka.Net.State.IStoreBuilder ClaimStore(string name) => name switch
    {
        StoreNames.JobClaims => Store<JobClaim>(name),
        StoreNames.WaitingClaims => Store<SequencedEvent>(name),
        StoreNames.ClaimMarks => Store<BoundaryMarks>(name),
        StoreNames.ClaimClocks => Store<ClaimClock>(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a store of the claim stage"),
    };
}
