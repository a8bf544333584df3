using Avro;

namespace PoeStreams.Contracts.UnitTests;

/// <summary>The one definition of every topic: what each one is, and what a deployment creates from it.</summary>
public class TopicCatalogTests
{
    private const string ApplicationId = "poe-test";

    private static IReadOnlyList<TopicSpec> Deployment => TopicCatalog.For(7, ApplicationId);

    [Fact]
    public void Every_topic_of_a_deployment_is_defined_once()
    {
        Assert.Equal(Deployment.Count, Deployment.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_contract_documents_the_topic_the_catalog_gives_it()
    {
        Assert.All(
            TopicCatalog.Topics.Where(t => t.ValueSchema is not null),
            topic => Assert.StartsWith($"{topic.Name} (key ", ((RecordSchema)topic.ValueSchema!).Documentation));
    }

    [Fact]
    public void Inputs_and_outputs_carry_an_Avro_contract_and_a_history_table()
    {
        Assert.All(
            TopicCatalog.Topics.Where(t => t.Role is TopicRole.Input or TopicRole.Output),
            topic => Assert.True(topic.ValueType is not null && topic.ValueSchema is not null && topic.HistoryTable is not null, topic.Name));
    }

    [Fact]
    public void Internal_topics_and_changelogs_have_no_contract_and_no_history()
    {
        Assert.All(
            Deployment.Select(t => t.Definition).Where(t => t.Role is TopicRole.Internal or TopicRole.Changelog),
            topic => Assert.True(topic.ValueType is null && topic.ValueSchema is null && topic.HistoryTable is null, topic.Name));
    }

    [Fact]
    public void Each_history_table_holds_one_topic()
    {
        var tables = TopicCatalog.Topics.Select(t => t.HistoryTable).OfType<string>().ToList();

        Assert.Equal(tables.Count, tables.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_state_store_has_one_compacted_changelog_named_as_Streamiz_names_it()
    {
        var stores = StoreNames.Ingest.Concat(StoreNames.Claims).Concat(StoreNames.StageOne).Concat(StoreNames.StageTwo);

        var changelogs = Deployment.Where(t => t.Definition.Role == TopicRole.Changelog).ToList();

        Assert.Equal(stores.Select(store => $"{ApplicationId}-{store}-changelog").Order(StringComparer.Ordinal), changelogs.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(changelogs, t => Assert.Equal("compact", t.Definition.CleanupPolicy));
    }

    [Fact]
    public void Stage_two_and_its_input_have_one_partition_and_every_other_topic_the_deployments_number()
    {
        var single = StoreNames.StageTwo.Select(store => $"{ApplicationId}-{store}-changelog").Append(PoeTopics.EpochPartials).ToHashSet(StringComparer.Ordinal);

        Assert.All(Deployment, t => Assert.Equal(single.Contains(t.Name) ? 1 : 7, t.Partitions));
    }

    [Fact]
    public void Inputs_and_outputs_are_listed_in_catalog_order()
    {
        Assert.Equal([PoeTopics.Miners, PoeTopics.Jobs, PoeTopics.NetworkMetrics, PoeTopics.GoldReserves, PoeTopics.Governance], PoeTopics.Inputs);
        Assert.Equal(TopicCatalog.Topics.Where(t => t.Role == TopicRole.Output).Select(t => t.Name), PoeTopics.Outputs);
    }

    [Fact]
    public void A_registry_is_given_every_contract_under_its_topics_value_subject()
    {
        var subjects = TopicCatalog.Subjects().ToList();

        Assert.Equal(TopicCatalog.Topics.Where(t => t.ValueSchema is not null).Select(t => $"{t.Name}-value"), subjects.Select(s => s.Subject));
        Assert.All(subjects, s => Assert.Equal(Schema.Parse(s.Schema), TopicCatalog.Of(s.Subject[..^"-value".Length]).ValueSchema));
    }

    [Fact]
    public void A_name_outside_the_catalog_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TopicCatalog.Of("poe.unknown"));
    }

    [Fact]
    public void A_deployment_needs_at_least_one_partition()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TopicCatalog.For(0, ApplicationId));
    }
}
