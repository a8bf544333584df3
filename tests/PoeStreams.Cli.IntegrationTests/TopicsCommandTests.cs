using PoeStreams.Contracts;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary><c>poe topics</c> shows the catalog to operators.</summary>
public class TopicsCommandTests
{
    [Fact]
    public async Task Every_topic_is_shown_with_its_key_value_contract_and_history_table()
    {
        var (exitCode, output) = await CliRunner.RunAsync("topics", "--partitions", "3", "--wide");

        Assert.Equal(0, exitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(TopicCatalog.For(3, "poe-streams"), topic =>
        {
            var line = Assert.Single(lines, l => l.StartsWith(topic.Name + " ", StringComparison.Ordinal));
            var definition = topic.Definition;
            Assert.Contains(definition.ValueType is null ? "JSON (internal)" : $"Avro {definition.ValueType.Name}", line);
            Assert.Contains(definition.Key, line);
            Assert.EndsWith(definition.HistoryTable ?? "-", line.TrimEnd());
        });
    }
}
