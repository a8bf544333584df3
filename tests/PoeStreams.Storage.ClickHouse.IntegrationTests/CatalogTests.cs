using Confluent.Kafka;
using PoeStreams.Contracts;

namespace PoeStreams.Storage.ClickHouse.IntegrationTests;

/// <summary>The history follows the topic catalog, and the storage layer needs nothing of the topology.</summary>
public class CatalogTests
{
    [Fact]
    public void Storage_does_not_reference_the_topology()
    {
        var references = typeof(ClickHouseSink).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain("PoeStreams.Topology", references);
    }

    [Fact]
    public void The_history_tables_are_exactly_those_the_catalog_names()
    {
        Assert.Equal(
            TopicCatalog.Topics.Select(t => t.HistoryTable).OfType<string>().Order(StringComparer.Ordinal),
            Tables.All.Select(t => t.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_sink_reads_every_topic_with_a_history_table()
    {
        Assert.Equal(TopicCatalog.Topics.Where(t => t.HistoryTable is not null).Select(t => t.Name), RowMapper.Topics);
    }

    [Fact]
    public void A_record_lands_in_the_table_its_topics_catalog_entry_names()
    {
        using var registry = InProcessSchemaRegistry.WithContracts();
        var mapper = new RowMapper(registry);
        var miner = new MinerRegistered { miner_id = "m1", specialization = JobType.Compute, registered_at = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc) };
        var bytes = new AvroCodec<MinerRegistered>(registry).Serialize(miner, PoeTopics.Miners);

        var mapped = mapper.Map(new ConsumeResult<string, byte[]> { Topic = PoeTopics.Miners, Message = new Message<string, byte[]> { Key = miner.miner_id, Value = bytes } });

        Assert.Equal(TopicCatalog.Of(PoeTopics.Miners).HistoryTable, mapped?.Table.Name);
        Assert.Equal("m1", mapped?.Row[0]);
    }
}
