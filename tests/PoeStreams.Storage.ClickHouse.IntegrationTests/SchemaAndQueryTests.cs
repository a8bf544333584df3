namespace PoeStreams.Storage.ClickHouse.IntegrationTests;

public class SchemaAndQueryTests
{
    [Fact]
    public async Task Migrations_are_applied_once_and_create_every_table_and_view()
    {
        using var store = LocalClickHouse.NewStore();

        var first = await Migrations.ApplyAsync(store, TimeProvider.System);
        var second = await Migrations.ApplyAsync(store, TimeProvider.System);

        Assert.Equal([1, 2, 3], first);
        Assert.Empty(second);
        var recorded = await store.QueryAsync($"SELECT version FROM {store.Options.Database}.schema_migrations FINAL ORDER BY version");
        Assert.Equal(["1", "2", "3"], recorded.Select(r => r["version"]));
        var manifestColumns = await store.QueryAsync($"DESCRIBE TABLE {store.Options.Database}.reward_manifests");
        Assert.Equal(Tables.RewardManifests.Columns.Select(c => c.Name), manifestColumns.Select(r => r["name"]));
        var tables = (await store.QueryAsync($"SELECT name FROM system.tables WHERE database = {Sql.Literal(store.Options.Database)}")).Select(r => r["name"]).ToHashSet();
        Assert.Superset(
            new HashSet<string>(Tables.All.Select(t => t.Name).Concat(["index_per_epoch", "miner_leaderboard_daily", "job_type_distribution", "fees_by_stream", "mint_totals"])),
            tables);
    }

    [Theory]
    [InlineData("miner-o'brien")]
    [InlineData("back\\slash")]
    [InlineData("x' OR '1'='1")]
    [InlineData("'; DROP TABLE miners; --")]
    [InlineData("tab\tnew\nline")]
    public async Task Hostile_values_are_escaped_and_match_only_themselves(string hostile)
    {
        using var store = LocalClickHouse.NewStore();
        await Migrations.ApplyAsync(store, TimeProvider.System);
        await store.InsertAsync(Tables.Miners.Name, Tables.Miners.Columns, [[hostile, "Compute", DateTime.UnixEpoch.AddDays(1)], ["plain", "Compute", DateTime.UnixEpoch.AddDays(1)]]);

        var matches = await store.QueryAsync($"SELECT miner_id FROM {store.Options.Database}.miners FINAL WHERE miner_id = {Sql.Literal(hostile)}");
        var everything = await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.miners FINAL");

        Assert.Equal([hostile], matches.Select(r => r["miner_id"]));
        Assert.Equal("2", everything.Single()["n"]);
    }
}
