using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Economics.Mining;
using PoeStreams.Topology.Ingest;
using PoeStreams.Topology.Serialization;
using PoeStreams.Topology.Stage1;
using PoeStreams.Topology.Stage2;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Processors.Public;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.State;
using Streamiz.Kafka.Net.Stream;

namespace PoeStreams.Topology;

/// <summary>
/// The PoE economy as a Streamiz topology (SPEC §2, §5–§10):
/// <code>
///  poe.miners ┐
///  poe.jobs ──┤ ingest: decode, validate ──► poe.sequenced ──► stage 1 (per partition) ──► poe.epoch-partials ──► stage 2 ──► poe.index
///  poe.network-metrics ┤          │      (ticks from idle tasks) ├─► poe.job-fees        (one partition)       ├─► poe.rewards, poe.reward-manifests
///  poe.gold-reserves ──┤          │                              │                                             ├─► poe.mints, poe.owner-salary
///  poe.governance ─────┘          └──────────────────────────────┴──────────────► poe.dead-letters ◄───────────┘
/// </code>
/// </summary>
public static class PoeTopology
{
    /// <summary>Builds the topology. <paramref name="registry"/> serves the Avro schemas of every public topic.</summary>
    public static Streamiz.Kafka.Net.Stream.Topology Build(PoeTopologyOptions options, ISchemaRegistryClient registry)
    {
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid topology options: " + string.Join("; ", problems), nameof(options));
        }

        var builder = new StreamBuilder();
        var decoder = new InputDecoder(registry, options);
        var sink = new EmitSerDes(registry);

        // 1. Ingest: each input topic on its own, raw bytes in, so undecodable records can be dead-lettered whole.
        foreach (var topic in PoeTopics.Inputs)
        {
            var routed = builder
                .Stream<byte[], byte[]>(topic, new ByteArraySerDes(), new ByteArraySerDes(), $"source-{topic}")
                .FlatMap((key, value, context) => decoder
                    .Route(InputDecoder.SourceOf(topic, key, value, context))
                    .Select(emit => KeyValuePair.Create(emit.Key, emit)), $"ingest-{topic}");
            WriteOut(routed, sink, $"sink-{topic}");
        }

        // 2. Stage 1: per miner partition — fees, tallies, reputation, epoch close by stream time or tick.
        var stageOne = builder
            .Stream(PoeTopics.Sequenced, new StringSerDes(), new JsonValueSerDes<SequencedEvent>(), "source-sequenced")
            .Transform(
                TransformerBuilder.New<string, SequencedEvent, string, Emit>()
                    .Transformer<PartitionEpochProcessor>(options)
                    .StateStore(Store<JsonValueSerDes<MinerState>, MinerState>(StoreNames.Miners))
                    .StateStore(Store<JsonValueSerDes<TallyState>, TallyState>(StoreNames.MinerEpochTallies))
                    .StateStore(Store<JsonValueSerDes<PartitionEpochActivity>, PartitionEpochActivity>(StoreNames.PartitionEpochs))
                    .StateStore(Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(StoreNames.PartitionState), new StringSerDes(), new StringSerDes()))
                    .Build(),
                "stage-1");
        WriteOut(stageOne, sink, "sink-stage-1");

        // 3. Stage 2: one partition — combine partials, close epochs and months in event-time order.
        var stageTwo = builder
            .Stream(PoeTopics.EpochPartials, new StringSerDes(), new JsonValueSerDes<EpochPartial>(), "source-epoch-partials")
            .Transform(
                TransformerBuilder.New<string, EpochPartial, string, Emit>()
                    .Transformer<EconomyProcessor>(options)
                    .StateStore(Store<JsonValueSerDes<MinerEpochScore>, MinerEpochScore>(StoreNames.EpochMinerScores))
                    .StateStore(Store<JsonValueSerDes<PartitionEpochActivity>, PartitionEpochActivity>(StoreNames.EpochIndex))
                    .StateStore(Store<JsonValueSerDes<Stage2.EconomyState>, Stage2.EconomyState>(StoreNames.Economy))
                    .Build(),
                "stage-2");
        WriteOut(stageTwo, sink, "sink-stage-2");

        return builder.Build();
    }

    // Every output goes through one kind of sink: the record names its topic, timestamp and (internal topics) partition.
    private static void WriteOut(IKStream<string, Emit> stream, EmitSerDes serdes, string name) =>
        stream.To(
            (_, emit, _) => emit.Topic,
            (key, emit, _) => emit.Timestamp,
            (_, key, emit, _, partitions) => new Partition(emit.Partition ?? KafkaPartitioner.PartitionOf(key, partitions)),
            name);

    private static IStoreBuilder Store<TSerDes, T>(string name)
        where TSerDes : ISerDes<T>, new() =>
        Stores.KeyValueStoreBuilder(Stores.InMemoryKeyValueStore(name), new StringSerDes(), new TSerDes());
}
