using PoeStreams.Contracts;

namespace PoeStreams.Testing;

/// <summary>Input records for tests, with everything but the fields under test defaulted.</summary>
public static class Inputs
{
    /// <summary>The reference time of the tests: 2026-11-25 12:00 UTC, an epoch boundary.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static MinerRegistered Miner(string minerId, JobType? specialization = null, DateTimeOffset? at = null) => new()
    {
        miner_id = minerId,
        specialization = specialization,
        registered_at = (at ?? T0).UtcDateTime,
    };

    public static EconomicJob Job(
        string jobId, string minerId, decimal value, decimal quality, DateTimeOffset completion,
        JobType type = JobType.Transaction, VerificationStatus status = VerificationStatus.Verified, params RevenueStream[] streams) => new()
    {
        job_id = jobId,
        miner_id = minerId,
        job_type = type,
        job_value = WireDecimal.ToAvro(value),
        quality_score = WireDecimal.ToAvro(quality),
        status = status,
        completion_time = completion.UtcDateTime,
        revenue_streams = [.. streams],
    };

    public static NetworkMetric Metric(string sourceId, MetricKind kind, decimal value, DateTimeOffset at) => new()
    {
        source_id = sourceId,
        kind = kind,
        timestamp = at.UtcDateTime,
        value = WireDecimal.ToAvro(value),
    };

    public static NetworkMetric Load(string sourceId, long pendingTx, decimal gasPrice, long queueLength, decimal txFee, DateTimeOffset at) => new()
    {
        source_id = sourceId,
        kind = MetricKind.NetworkLoad,
        timestamp = at.UtcDateTime,
        network_load = new NetworkLoad { pending_tx = pendingTx, avg_gas_price = WireDecimal.ToAvro(gasPrice), queue_length = queueLength, tx_fee = WireDecimal.ToAvro(txFee) },
    };

    public static GoldReserveAttestation Gold(string vaultId, decimal units, DateTimeOffset at) => new()
    {
        vault_id = vaultId,
        gold_units = WireDecimal.ToAvro(units),
        attested_at = at.UtcDateTime,
        auditor = "auditor-1",
    };

    public static GovernanceEvent Governance(string eventId, GovernanceAction action, DateTimeOffset at, IDictionary<string, string>? parameters = null, string? month = null) => new()
    {
        event_id = eventId,
        action = action,
        issued_at = at.UtcDateTime,
        issued_by = "council",
        parameters = parameters ?? new Dictionary<string, string>(),
        month = month,
    };

    public static GovernanceEvent MintRequest(string eventId, TokenSymbol token, decimal amount, DateTimeOffset at) => new()
    {
        event_id = eventId,
        action = GovernanceAction.MintRequest,
        issued_at = at.UtcDateTime,
        issued_by = "council",
        parameters = new Dictionary<string, string>(),
        token = token,
        amount = WireDecimal.ToAvro(amount),
    };
}
