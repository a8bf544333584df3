using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>A source topic's SerDes parses each record once although Streamiz asks twice.</summary>
public class SourceValueSerDesTests
{
    private static readonly SerializationContext Context = new(MessageComponentType.Value, PoeTopics.Sequenced);

    private static byte[] Mark(int minutes) =>
        Json.Serialize(new SequencedEvent(SequencedKind.Progress, TopologyHarness.T0.AddMinutes(minutes), Progress: new SourceProgress("poe.jobs/0", TopologyHarness.T0.AddMinutes(minutes))));

    [Fact]
    public void The_second_read_of_the_same_bytes_returns_the_first_reads_object()
    {
        var serdes = new SourceValueSerDes<SequencedEvent>();
        var bytes = Mark(5);

        var atHead = serdes.Deserialize(bytes, Context);

        Assert.Same(atHead, serdes.Deserialize(bytes, Context));
    }

    [Fact]
    public void A_third_read_parses_again_and_equals_the_first()
    {
        var serdes = new SourceValueSerDes<SequencedEvent>();
        var bytes = Mark(5);
        var first = serdes.Deserialize(bytes, Context);
        serdes.Deserialize(bytes, Context);

        var third = serdes.Deserialize(bytes, Context);

        Assert.NotSame(first, third);
        Assert.Equal(first, third);
    }

    [Fact]
    public void Equal_bytes_of_another_record_are_parsed_on_their_own()
    {
        var serdes = new SourceValueSerDes<SequencedEvent>();
        var first = serdes.Deserialize(Mark(5), Context);

        var other = serdes.Deserialize(Mark(5), Context);

        Assert.NotSame(first, other);
        Assert.Equal(first, other);
    }

    [Fact]
    public void Interleaved_records_each_get_their_own_object()
    {
        var serdes = new SourceValueSerDes<SequencedEvent>();
        var (a, b) = (Mark(5), Mark(10));
        var headA = serdes.Deserialize(a, Context);
        var headB = serdes.Deserialize(b, Context);

        Assert.Same(headA, serdes.Deserialize(a, Context));
        Assert.Same(headB, serdes.Deserialize(b, Context));
        Assert.Equal(TopologyHarness.T0.AddMinutes(10), headB.EventTime);
    }
}
