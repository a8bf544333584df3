using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Mock;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;

namespace PoeStreams.Topology.UnitTests;

/// <summary>The topology describes the real graph: every topic a step writes is a sink of its own, named after it.</summary>
public class TopologyDescriptionTests
{
    private static readonly List<ISinkNodeDescription> Sinks =
    [
        .. PoeTopology.Build(new PoeTopologyOptions(), new InProcessSchemaRegistry())
            .Describe()
            .SubTopologies
            .SelectMany(subTopology => subTopology.Nodes)
            .OfType<ISinkNodeDescription>(),
    ];

    [Fact]
    public void Each_step_has_one_named_sink_per_topic_it_writes()
    {
        string[] expected =
        [
            "sink-ingest-poe.job-claims", "sink-ingest-poe.sequenced", "sink-ingest-poe.dead-letters",
            "sink-job-claims-poe.sequenced", "sink-job-claims-poe.dead-letters",
            "sink-stage-1-poe.epoch-partials", "sink-stage-1-poe.job-fees", "sink-stage-1-poe.dead-letters",
            "sink-stage-2-poe.index", "sink-stage-2-poe.rewards", "sink-stage-2-poe.reward-manifests",
            "sink-stage-2-poe.mints", "sink-stage-2-poe.owner-salary", "sink-stage-2-poe.dead-letters",
        ];

        Assert.Equal(expected.Order(StringComparer.Ordinal), Sinks.Select(sink => sink.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_output_topic_of_the_catalog_has_a_sink()
    {
        var written = Sinks.Select(sink => sink.Name[(sink.Name.IndexOf("-poe.", StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal);

        Assert.All(PoeTopics.Outputs, topic => Assert.Contains(topic, written));
    }

    [Fact]
    public void A_sink_that_feeds_the_next_step_names_its_topic_so_the_steps_are_linked()
    {
        var linked = Sinks.Where(sink => sink.Topic is not null).ToDictionary(sink => sink.Name, sink => sink.Topic);

        Assert.Equal(PoeTopics.JobClaims, linked["sink-ingest-poe.job-claims"]);
        Assert.Equal(PoeTopics.Sequenced, linked["sink-ingest-poe.sequenced"]);
        Assert.Equal(PoeTopics.Sequenced, linked["sink-job-claims-poe.sequenced"]);
        Assert.Equal(PoeTopics.EpochPartials, linked["sink-stage-1-poe.epoch-partials"]);
        Assert.Equal(4, linked.Count);
    }

    [Fact]
    public void A_record_for_a_topic_its_step_does_not_write_stops_the_step_instead_of_vanishing()
    {
        var builder = new StreamBuilder();
        var emitted = builder.Stream<string, string>("in").MapValues<Emit>((topic, _) => new Emit(topic, "k", "v", 0));
        PoeTopology.WriteOut(emitted, new EmitSerDes(new InProcessSchemaRegistry()), "sink-test", linked: [], outputs: [PoeTopics.DeadLetters]);
        using var driver = new TopologyTestDriver(builder.Build(), new StreamConfig<StringSerDes, StringSerDes> { ApplicationId = "sink-test" });
        var input = driver.CreateInputTopic<string, string>("in");

        var error = Record.Exception(() => input.PipeInput("k", PoeTopics.Index));

        Assert.Contains("sink-test received a record for poe.index, which it does not write", error?.ToString() ?? "nothing thrown", StringComparison.Ordinal);
    }
}
