using PoeStreams.Storage.ClickHouse.History;

namespace PoeStreams.Storage.ClickHouse.IntegrationTests;

/// <summary>The history's questions, asked of the real local server, with hostile values from users.</summary>
public class PoeHistoryTests
{
    private static readonly DateTime Registered = DateTime.UnixEpoch.AddDays(1);

    [Theory]
    [InlineData("miner-o'brien")]
    [InlineData("back\\slash")]
    [InlineData("x' OR '1'='1")]
    [InlineData("'; DROP TABLE miners; --")]
    public async Task A_hostile_miner_id_finds_only_itself(string hostile)
    {
        using var store = LocalClickHouse.NewStore();
        await Migrations.ApplyAsync(store, TimeProvider.System);
        var history = new PoeHistory(store);
        await store.InsertAsync(Tables.Miners.Name, Tables.Miners.Columns, [["plain", "Compute", Registered]]);

        Assert.False(await history.IsRegisteredAsync(hostile, CancellationToken.None));
        Assert.Null(await history.LastScoreAsync(hostile, CancellationToken.None));
        Assert.Empty(await history.RewardsAsync(hostile, RewardBucket.Month, CancellationToken.None));

        await store.InsertAsync(Tables.Miners.Name, Tables.Miners.Columns, [[hostile, "Compute", Registered]]);
        Assert.True(await history.IsRegisteredAsync(hostile, CancellationToken.None));
    }

    [Theory]
    [InlineData("poe; DROP TABLE x")]
    [InlineData("poe.miners")]
    [InlineData("")]
    public void A_database_name_that_is_not_an_identifier_is_refused_before_any_query(string database)
    {
        using var store = new ClickHouseStore(new ClickHouseOptions { Url = LocalClickHouse.ServerUrl, Database = database });

        var refused = Assert.Throws<ArgumentException>(() => new PoeHistory(store));

        Assert.Contains("letters, digits and underscores", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_history_answers_with_no_rows_rather_than_failing()
    {
        using var store = LocalClickHouse.NewStore();
        await Migrations.ApplyAsync(store, TimeProvider.System);
        var history = new PoeHistory(store);

        Assert.Null(await history.LastClosedEpochAsync(CancellationToken.None));
        Assert.Equal(0, (await history.NetworkAsync(CancellationToken.None)).Epochs);
        Assert.Empty(await history.IndexAsync(12, CancellationToken.None));
        Assert.Empty(await history.SalaryReportsAsync(CancellationToken.None));
        Assert.Null(await history.MintAnswerAsync(Economics.Token.NEX, "mint-x'", "poe.governance", CancellationToken.None));
    }
}
