using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using PoeStreams.Economics.Time;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>Turns a record of a product topic into a row of its history table.</summary>
public sealed class RowMapper
{
    private readonly Dictionary<Type, object> codecs = [];
    private readonly ISchemaRegistryClient registry;
    private readonly Dictionary<string, (Table Table, Func<ConsumeResult<string, byte[]>, object?[]> Row)> byTopic;

    public RowMapper(ISchemaRegistryClient registry)
    {
        this.registry = registry;
        var rowsByContract = new Dictionary<Type, Func<ConsumeResult<string, byte[]>, object?[]>>
        {
            [typeof(MinerRegistered)] = r => Miner(Decode<MinerRegistered>(r)),
            [typeof(EconomicJob)] = r => Job(Decode<EconomicJob>(r)),
            [typeof(NetworkMetric)] = r => Metric(Decode<NetworkMetric>(r), r),
            [typeof(GoldReserveAttestation)] = r => Gold(Decode<GoldReserveAttestation>(r)),
            [typeof(GovernanceEvent)] = r => Governance(Decode<GovernanceEvent>(r)),
            [typeof(JobFeeSplit)] = r => Fee(Decode<JobFeeSplit>(r)),
            [typeof(PoeIndexSnapshot)] = r => Index(Decode<PoeIndexSnapshot>(r)),
            [typeof(MinerReward)] = r => Reward(Decode<MinerReward>(r)),
            [typeof(RewardManifest)] = r => Manifest(Decode<RewardManifest>(r)),
            [typeof(MintDecision)] = r => Mint(Decode<MintDecision>(r)),
            [typeof(OwnerSalaryReport)] = r => Salary(Decode<OwnerSalaryReport>(r)),
            [typeof(DeadLetter)] = r => Letter(Decode<DeadLetter>(r)),
        };

        // The catalog says which topics have a history and in which table; the row follows from the value's contract.
        byTopic = HistoryTopics.ToDictionary(t => t.Name, t => (Tables.Named(t.HistoryTable!), rowsByContract[t.ValueType!]));
    }

    /// <summary>The topics the sink reads: those the catalog gives a history table.</summary>
    public static IReadOnlyList<string> Topics { get; } = [.. HistoryTopics.Select(t => t.Name)];

    private static IEnumerable<TopicDefinition> HistoryTopics => TopicCatalog.Topics.Where(t => t.HistoryTable is not null);

    /// <summary>
    /// The row for <paramref name="record"/>, or null when it cannot be decoded: an invalid input is
    /// already in <c>dead_letters</c> through poe.dead-letters, so the sink passes over it.
    /// </summary>
    public (Table Table, object?[] Row)? Map(ConsumeResult<string, byte[]> record)
    {
        if (record.Message.Value is null || !byTopic.TryGetValue(record.Topic, out var map))
        {
            return null;
        }

        try
        {
            return (map.Table, map.Row(record));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    // One codec per type: it caches the readers of the writer schemas it has met.
    private T Decode<T>(ConsumeResult<string, byte[]> record)
        where T : class, ISpecificRecord, new()
    {
        if (!codecs.TryGetValue(typeof(T), out var codec))
        {
            codec = new AvroCodec<T>(registry);
            codecs[typeof(T)] = codec;
        }

        return ((AvroCodec<T>)codec).Deserialize(record.Message.Value);
    }

    private static decimal D(Avro.AvroDecimal value) => WireDecimal.FromAvro(value);

    private static decimal D(Avro.AvroDecimal? value) => value is { } v ? WireDecimal.FromAvro(v) : 0m;

    private static DateTime EpochStart(string epochId) => EpochWindow.ParseId(epochId).UtcDateTime;

    private static object?[] Miner(MinerRegistered m) => [m.miner_id, m.specialization?.ToString() ?? string.Empty, m.registered_at];

    private static object?[] Job(EconomicJob j) =>
    [
        j.job_id, j.miner_id, j.job_type.ToString(), D(j.job_value), D(j.quality_score), j.status.ToString(), j.completion_time,
        j.revenue_streams.Sum(s => D(s.quantity) * D(s.unit_price)), j.revenue_streams.Select(s => s.stream_type.ToString()).ToArray(),
    ];

    private static object?[] Metric(NetworkMetric m, ConsumeResult<string, byte[]> r) =>
    [
        m.source_id, m.kind.ToString(), m.timestamp, D(m.value), m.network_load?.pending_tx ?? 0, D(m.network_load?.avg_gas_price),
        m.network_load?.queue_length ?? 0, D(m.network_load?.tx_fee), r.Partition.Value, r.Offset.Value,
    ];

    private static object?[] Gold(GoldReserveAttestation g) => [g.vault_id, g.attested_at, D(g.gold_units), g.auditor];

    private static object?[] Governance(GovernanceEvent g) =>
    [
        g.event_id, g.action.ToString(), g.issued_at, g.issued_by, g.parameters.Keys.Order(StringComparer.Ordinal).ToArray(),
        g.parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToArray(), g.month ?? string.Empty, g.token?.ToString() ?? string.Empty, D(g.amount),
    ];

    private static object?[] Fee(JobFeeSplit f) =>
    [
        f.job_id, f.miner_id, f.epoch_id, f.completion_time, D(f.job_value), D(f.docklock_revenue), D(f.total_fee),
        D(f.miner_locked), D(f.miner_spendable), D(f.owner_salary), D(f.treasury),
    ];

    private static object?[] Index(PoeIndexSnapshot i) =>
    [
        i.epoch_id, i.window_start, i.window_end, D(i.volume), D(i.liquidity), D(i.uptime), D(i.quality), D(i.quality_score), D(i.phi), D(i.gamma),
        i.verified_jobs, D(i.verified_value), D(i.liquidity_delta), i.uptime_samples, i.service_quality_samples, i.active_miners,
    ];

    private static object?[] Reward(MinerReward w) =>
    [
        w.epoch_id, EpochStart(w.epoch_id), w.miner_id, w.job_count, D(w.verified_value), D(w.quality_mean), D(w.raw_score), D(w.normalized_score),
        D(w.prestige), D(w.diversity), D(w.weight), D(w.share), D(w.reputation_before), D(w.reputation_after),
    ];

    private static object?[] Manifest(RewardManifest m) =>
        [m.epoch_id, m.miner_count, D(m.pool), D(m.total_shares), D(m.unallocated), D(m.total_weight), D(m.network_average), m.merkle_root, m.merkle_scheme, m.leaf_count];

    private static object?[] Mint(MintDecision m) =>
        [m.epoch_id, EpochStart(m.epoch_id), m.token.ToString(), (byte)(m.eligible ? 1 : 0), D(m.amount), m.reason, D(m.supply_before), D(m.supply_after)];

    private static object?[] Salary(OwnerSalaryReport s) =>
    [
        s.month, D(s.gross), D(s.capped), D(s.excess_to_treasury), D(s.immediate), D(s.escrow), D(s.payout), D(s.vested),
        s.vesting_schedule.Select(t => t.month).ToArray(), s.vesting_schedule.Select(t => D(t.amount)).ToArray(),
        s.status.ToString(), s.previous_hash, s.transparency_hash,
    ];

    private static object?[] Letter(DeadLetter d) =>
    [
        d.source_topic, d.source_partition, d.source_offset, d.reason, d.detail,
        d.original_key is null ? string.Empty : Convert.ToHexString(d.original_key), d.original_value is null ? string.Empty : Convert.ToHexString(d.original_value), d.rejected_at,
    ];
}
