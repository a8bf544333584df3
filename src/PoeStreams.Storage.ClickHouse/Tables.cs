using PoeStreams.Contracts;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>
/// A history table: ReplacingMergeTree ordered by the record's natural key, so a replayed or
/// re-delivered record replaces itself instead of counting twice (read with FINAL or the views).
/// </summary>
public sealed record Table(string Name, IReadOnlyList<Column> Columns, string OrderBy)
{
    /// <summary>The table as migration 1 created it; later columns come with <see cref="AddColumnStatements"/>.</summary>
    public string CreateStatement(string database) =>
        $"CREATE TABLE IF NOT EXISTS {database}.{Name} ({string.Join(", ", Columns.Where(c => c.Since == 1).Select(c => $"{c.Name} {c.Type}"))}) "
        + $"ENGINE = ReplacingMergeTree ORDER BY ({OrderBy})";

    /// <summary>The columns migration <paramref name="version"/> adds (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS, hence one migration per change).</summary>
    public IEnumerable<string> AddColumnStatements(string database, int version) =>
        Columns.Where(c => c.Since == version).Select(c => $"ALTER TABLE {database}.{Name} ADD COLUMN {c.Name} {c.Type} DEFAULT {c.Default}");
}

/// <summary>The tables of the history. Types avoid what 18.16 lacks (DateTime64, Bool, Map, TTL, codecs).</summary>
public static class Tables
{
    private const string Money = "Decimal(38, 18)";

    private static Column C(string name, string type) => new(name, type);

    // A table is named by the catalog entry of the topic whose records it holds.
    private static string HistoryOf(string topic) => TopicCatalog.Of(topic).HistoryTable!;

    public static readonly Table Miners = new(HistoryOf(PoeTopics.Miners), [C("miner_id", "String"), C("specialization", "String"), C("registered_at", "DateTime")], "miner_id");

    public static readonly Table Jobs = new(HistoryOf(PoeTopics.Jobs),
    [
        C("job_id", "String"), C("miner_id", "String"), C("job_type", "String"), C("job_value", Money), C("quality_score", Money),
        C("status", "String"), C("completion_time", "DateTime"), C("docklock_revenue", Money), C("revenue_stream_types", "Array(String)"),
    ], "job_id");

    public static readonly Table JobFeeSplits = new(HistoryOf(PoeTopics.JobFees),
    [
        C("job_id", "String"), C("miner_id", "String"), C("epoch_id", "String"), C("completion_time", "DateTime"), C("job_value", Money),
        C("docklock_revenue", Money), C("total_fee", Money), C("miner_locked", Money), C("miner_spendable", Money), C("owner_salary", Money), C("treasury", Money),
    ], "job_id");

    public static readonly Table NetworkMetrics = new(HistoryOf(PoeTopics.NetworkMetrics),
    [
        C("source_id", "String"), C("kind", "String"), C("timestamp", "DateTime"), C("value", Money), C("pending_tx", "Int64"),
        C("avg_gas_price", Money), C("queue_length", "Int64"), C("tx_fee", Money), C("kafka_partition", "Int32"), C("kafka_offset", "Int64"),
    ], "source_id, timestamp, kafka_partition, kafka_offset");

    public static readonly Table GoldAttestations = new(HistoryOf(PoeTopics.GoldReserves),
        [C("vault_id", "String"), C("attested_at", "DateTime"), C("gold_units", Money), C("auditor", "String")], "vault_id, attested_at");

    public static readonly Table GovernanceEvents = new(HistoryOf(PoeTopics.Governance),
    [
        C("event_id", "String"), C("action", "String"), C("issued_at", "DateTime"), C("issued_by", "String"),
        C("parameter_names", "Array(String)"), C("parameter_values", "Array(String)"), C("month", "String"), C("token", "String"), C("amount", Money),
    ], "event_id");

    public static readonly Table IndexSnapshots = new(HistoryOf(PoeTopics.Index),
    [
        C("epoch_id", "String"), C("window_start", "DateTime"), C("window_end", "DateTime"), C("volume", Money), C("liquidity", Money),
        C("uptime", Money), C("quality", Money), C("quality_score", Money), C("phi", Money), C("gamma", Money), C("verified_jobs", "Int64"),
        C("verified_value", Money), C("liquidity_delta", Money), C("uptime_samples", "Int64"), C("service_quality_samples", "Int64"), C("active_miners", "Int64"),
    ], "epoch_id");

    public static readonly Table MinerRewards = new(HistoryOf(PoeTopics.Rewards),
    [
        C("epoch_id", "String"), C("epoch_start", "DateTime"), C("miner_id", "String"), C("job_count", "Int32"), C("verified_value", Money),
        C("quality_mean", Money), C("raw_score", Money), C("normalized_score", Money), C("prestige", Money), C("diversity", Money),
        C("weight", Money), C("share", Money), C("reputation_before", Money), C("reputation_after", Money),
    ], "epoch_id, miner_id");

    public static readonly Table RewardManifests = new(HistoryOf(PoeTopics.RewardManifests),
    [
        C("epoch_id", "String"), C("miner_count", "Int64"), C("pool", Money), C("total_shares", Money), C("unallocated", Money),
        C("total_weight", Money), C("network_average", Money), C("merkle_root", "String"),
        new("merkle_scheme", "String", Since: 3, Default: "'poe-rewards-v1'"), new("leaf_count", "Int64", Since: 3, Default: "-1"),
    ], "epoch_id");

    public static readonly Table Mints = new(HistoryOf(PoeTopics.Mints),
    [
        C("epoch_id", "String"), C("epoch_start", "DateTime"), C("token", "String"), C("eligible", "UInt8"), C("amount", Money),
        C("reason", "String"), C("supply_before", Money), C("supply_after", Money),
    ], "epoch_id, token");

    public static readonly Table OwnerSalaryReports = new(HistoryOf(PoeTopics.OwnerSalary),
    [
        C("month", "String"), C("gross", Money), C("capped", Money), C("excess_to_treasury", Money), C("immediate", Money), C("escrow", Money),
        C("payout", Money), C("vested", Money), C("vesting_months", "Array(String)"), C("vesting_amounts", $"Array({Money})"),
        C("status", "String"), C("previous_hash", "String"), C("transparency_hash", "String"),
    ], "month");

    public static readonly Table DeadLetters = new(HistoryOf(PoeTopics.DeadLetters),
    [
        C("source_topic", "String"), C("source_partition", "Int32"), C("source_offset", "Int64"), C("reason", "String"), C("detail", "String"),
        C("original_key_hex", "String"), C("original_value_hex", "String"), C("rejected_at", "DateTime"),
    ], "source_topic, source_partition, source_offset, reason");

    /// <summary>The table named <paramref name="name"/>.</summary>
    public static Table Named(string name) => All.Single(t => t.Name == name);

    public static IReadOnlyList<Table> All { get; } =
        [Miners, Jobs, JobFeeSplits, NetworkMetrics, GoldAttestations, GovernanceEvents, IndexSnapshots, MinerRewards, RewardManifests, Mints, OwnerSalaryReports, DeadLetters];
}
