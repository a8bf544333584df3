using System.Globalization;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>One step of the schema; applied once, in version order, and recorded in <c>schema_migrations</c>.</summary>
public sealed record Migration(int Version, string Description, Func<string, IReadOnlyList<string>> Statements);

/// <summary>
/// The schema's history. A released migration never changes: a new column or view is a new
/// migration. Views read with FINAL, so duplicates never count.
/// </summary>
public static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "history tables", db => [.. Tables.All.Select(t => t.CreateStatement(db))]),
        new(2, "analyst views", db =>
        [
            $"CREATE VIEW IF NOT EXISTS {db}.index_per_epoch AS SELECT epoch_id, window_start, phi, gamma, volume, liquidity, uptime, quality, verified_jobs, active_miners FROM {db}.index_snapshots FINAL",
            $"CREATE VIEW IF NOT EXISTS {db}.miner_leaderboard_daily AS SELECT toDate(epoch_start) AS day, miner_id, sum(share) AS nex_earned, sum(raw_score) AS raw_score, sum(job_count) AS jobs, count() AS active_epochs FROM {db}.miner_rewards FINAL GROUP BY day, miner_id",
            $"CREATE VIEW IF NOT EXISTS {db}.job_type_distribution AS SELECT job_type, status, count() AS jobs, sum(job_value) AS value FROM {db}.jobs FINAL GROUP BY job_type, status",
            $"CREATE VIEW IF NOT EXISTS {db}.fees_by_stream AS SELECT toDate(completion_time) AS day, sum(miner_locked) AS miner_locked, sum(miner_spendable) AS miner_spendable, sum(owner_salary) AS owner_salary, sum(treasury) AS treasury, sum(total_fee) AS total_fee FROM {db}.job_fee_splits FINAL GROUP BY day",
            $"CREATE VIEW IF NOT EXISTS {db}.mint_totals AS SELECT token, sum(amount) AS minted, countIf(eligible = 1) AS eligible_epochs, count() AS epochs, argMax(supply_after, epoch_start) AS supply FROM {db}.mints FINAL GROUP BY token",
        ]),
        new(3, "reward manifests: merkle_scheme and leaf_count", db => [.. Tables.All.SelectMany(t => t.AddColumnStatements(db, 3))]),
    ];

    /// <summary>Creates the database and applies every migration not yet recorded; returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(ClickHouseStore store, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var db = store.Options.Database;
        await store.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {db}", cancellationToken).ConfigureAwait(false);
        await store.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {db}.schema_migrations (version Int32, description String, applied_at DateTime) ENGINE = ReplacingMergeTree ORDER BY version",
            cancellationToken).ConfigureAwait(false);
        var applied = (await store.QueryAsync($"SELECT version FROM {db}.schema_migrations FINAL", cancellationToken).ConfigureAwait(false))
            .Select(row => int.Parse(row["version"], CultureInfo.InvariantCulture))
            .ToHashSet();
        var now = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            foreach (var statement in migration.Statements(db))
            {
                await store.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            await store.InsertAsync(
                "schema_migrations",
                [new Column("version", "Int32"), new Column("description", "String"), new Column("applied_at", "DateTime")],
                [[migration.Version, migration.Description, clock.GetUtcNow().UtcDateTime]],
                cancellationToken).ConfigureAwait(false);
            now.Add(migration.Version);
        }

        return now;
    }
}
