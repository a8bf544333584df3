using Microsoft.Extensions.Configuration;

namespace PoeStreams.Worker.UnitTests;

public class WorkerOptionsTests
{
    [Theory]
    [InlineData("poe; DROP TABLE x")]
    [InlineData("poe`.`jobs")]
    [InlineData("9poe")]
    public void A_clickhouse_database_that_is_not_a_plain_identifier_stops_the_worker_at_start(string database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CLICKHOUSE_DATABASE"] = database }).Build();

        var refused = Assert.Throws<InvalidWorkerOptionsException>(() => WorkerHost.ReadOptions(configuration));

        Assert.Contains(refused.Problems, p => p.StartsWith("POE_CLICKHOUSE_DATABASE: must be 1–64 letters, digits and underscores", StringComparison.Ordinal));
    }

    [Fact]
    public void A_plain_identifier_is_a_valid_clickhouse_database()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CLICKHOUSE_DATABASE"] = "poe_history_2" }).Build();

        Assert.Equal("poe_history_2", WorkerHost.ReadOptions(configuration).Worker.ClickHouseDatabase);
    }

    [Fact]
    public void The_commit_interval_is_read_from_the_environment()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["COMMIT_INTERVAL_MS"] = "30000" }).Build();

        Assert.Equal(30_000, WorkerHost.ReadOptions(configuration).Worker.CommitIntervalMs);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("3600001")]
    public void A_commit_interval_outside_one_millisecond_to_an_hour_stops_the_worker_at_start(string interval)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["COMMIT_INTERVAL_MS"] = interval }).Build();

        var refused = Assert.Throws<InvalidWorkerOptionsException>(() => WorkerHost.ReadOptions(configuration));

        Assert.Contains($"POE_COMMIT_INTERVAL_MS: must be between 1 and 3600000, got {interval}", refused.Problems);
    }
}
