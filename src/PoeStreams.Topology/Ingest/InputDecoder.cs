using Avro;
using Avro.Specific;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using Domain = PoeStreams.Economics;

namespace PoeStreams.Topology.Ingest;

/// <summary>
/// Decodes an input record's Avro value and checks it: the result goes to
/// <see cref="PoeTopics.Sequenced"/> in the partition of its miner, source or vault (governance to
/// every partition). Checks that need state happen later: lateness in <see cref="IngestProcessor"/>,
/// unknown miners and duplicate jobs in stage 1.
/// </summary>
public sealed class InputDecoder(ISchemaRegistryClient registry, PoeTopologyOptions options)
{
    private readonly AvroCodec<MinerRegistered> miners = new(registry);
    private readonly AvroCodec<Contracts.EconomicJob> jobs = new(registry);
    private readonly AvroCodec<NetworkMetric> metrics = new(registry);
    private readonly AvroCodec<Contracts.GoldReserveAttestation> gold = new(registry);
    private readonly AvroCodec<GovernanceEvent> governance = new(registry);

    /// <summary>The record decoded and checked, or a <see cref="RejectedInputException"/> saying why it cannot be used.</summary>
    public DecodedInput Decode(SourceRecord source)
    {
        if (DeadLetter.SizeOf(source.Key, source.Value) > DeadLetter.MaxOriginalBytes)
        {
            throw new RejectedInputException(
                DeadLetterReasons.TooLarge, $"the record has {DeadLetter.SizeOf(source.Key, source.Value)} bytes of key and value, more than the {DeadLetter.MaxOriginalBytes} accepted");
        }

        var (routingKey, message) = source.Topic switch
        {
            PoeTopics.Miners => RegistrationOf(Decode(miners, source), source),
            PoeTopics.Jobs => JobOf(Decode(jobs, source), source),
            PoeTopics.NetworkMetrics => MetricOf(Decode(metrics, source), source),
            PoeTopics.GoldReserves => GoldOf(Decode(gold, source), source),
            PoeTopics.Governance => GovernanceOf(Decode(governance, source), source),
            _ => throw new InvalidOperationException($"{source.Topic} is not an input topic."),
        };

        // Every stage-1 partition needs the parameters in force, so governance goes to each.
        return new DecodedInput(routingKey, message, ToEveryPartition: source.Topic == PoeTopics.Governance);
    }

    private (string, SequencedEvent) RegistrationOf(MinerRegistered value, SourceRecord source)
    {
        Require(value.miner_id, "miner_id");
        var specialization = value.specialization is { } s ? ContractMapping.Convert<JobType, Domain.JobType>(s) : (Domain.JobType?)null;
        var registration = new MinerRegistration(value.miner_id, specialization, ContractMapping.Utc(value.registered_at));
        NotInFuture(registration.RegisteredAt, source, "registered_at");
        return (value.miner_id, new SequencedEvent(SequencedKind.MinerRegistered, registration.RegisteredAt, source, Registration: registration));
    }

    private (string, SequencedEvent) JobOf(Contracts.EconomicJob value, SourceRecord source)
    {
        Require(value.job_id, "job_id");
        Require(value.miner_id, "miner_id");
        var job = Convert(() => ContractMapping.ToDomain(value));
        Convert(() => WireDecimal.WithinLimit(job.DockLockRevenue, "docklock revenue (the revenue streams' quantity × unit_price)"));
        NotNegative(job.Value, "job_value");
        foreach (var stream in job.RevenueStreams)
        {
            NotNegative(stream.Quantity, $"revenue stream {stream.Type} quantity");
            NotNegative(stream.UnitPrice, $"revenue stream {stream.Type} unit_price");
        }

        if (job.QualityScore is < 0m or > 1m)
        {
            throw new RejectedInputException(DeadLetterReasons.QualityOutOfRange, $"quality_score {job.QualityScore} is outside [0, 1]");
        }

        NotInFuture(job.CompletionTime, source, "completion_time");
        return (job.MinerId, new SequencedEvent(SequencedKind.Job, job.CompletionTime, source, Job: job));
    }

    private (string, SequencedEvent) MetricOf(NetworkMetric value, SourceRecord source)
    {
        Require(value.source_id, "source_id");
        var timestamp = ContractMapping.Utc(value.timestamp);
        NotInFuture(timestamp, source, "timestamp");
        var kind = ContractMapping.Convert<Contracts.MetricKind, MetricSampleKind>(value.kind);
        MetricSample sample;
        if (kind == MetricSampleKind.NetworkLoad)
        {
            var load = value.network_load ?? throw Missing("network_load", kind);
            var sampleLoad = Convert(() => new Domain.Minting.NetworkLoadSample(
                timestamp, value.source_id, load.pending_tx, WireDecimal.FromAvro(load.avg_gas_price), load.queue_length, WireDecimal.FromAvro(load.tx_fee)));
            NotNegative(sampleLoad.PendingTransactions, "pending_tx");
            NotNegative(sampleLoad.AverageGasPrice, "avg_gas_price");
            NotNegative(sampleLoad.QueueLength, "queue_length");
            NotNegative(sampleLoad.TransactionFee, "tx_fee");
            sample = new MetricSample(value.source_id, kind, timestamp, null, sampleLoad);
        }
        else
        {
            var number = Convert(() => WireDecimal.FromAvro(value.value)) ?? throw Missing("value", kind);
            if (kind != MetricSampleKind.LiquidityDelta && number is < 0m or > 1m)
            {
                var reason = kind == MetricSampleKind.Uptime ? DeadLetterReasons.UptimeOutOfRange : DeadLetterReasons.QualityOutOfRange;
                throw new RejectedInputException(reason, $"{kind} sample {number} is outside [0, 1]");
            }

            sample = new MetricSample(value.source_id, kind, timestamp, number, null);
        }

        return (value.source_id, new SequencedEvent(SequencedKind.Metric, timestamp, source, Metric: sample));
    }

    private (string, SequencedEvent) GoldOf(Contracts.GoldReserveAttestation value, SourceRecord source)
    {
        Require(value.vault_id, "vault_id");
        var attestation = Convert(() => ContractMapping.ToDomain(value));
        NotNegative(attestation.GoldUnits, "gold_units");
        NotInFuture(attestation.AttestedAt, source, "attested_at");
        return (attestation.VaultId, new SequencedEvent(SequencedKind.GoldAttestation, attestation.AttestedAt, source, Gold: attestation));
    }

    private (string, SequencedEvent) GovernanceOf(GovernanceEvent value, SourceRecord source)
    {
        Require(value.event_id, "event_id");
        var issuedAt = ContractMapping.Utc(value.issued_at);
        NotInFuture(issuedAt, source, "issued_at");
        var action = ContractMapping.Convert<GovernanceAction, GovernanceActionKind>(value.action);
        var parameters = value.parameters ?? new Dictionary<string, string>();
        switch (action)
        {
            case GovernanceActionKind.UpdateParameters when parameters.Count == 0:
                throw new RejectedInputException(DeadLetterReasons.InvalidGovernance, "UpdateParameters names no parameters");
            case GovernanceActionKind.ApproveSalary when !YearMonth.TryParse(value.month, out _):
                throw new RejectedInputException(DeadLetterReasons.InvalidGovernance, $"ApproveSalary month '{value.month}' is not YYYY-MM");
            case GovernanceActionKind.MintRequest when value.token is null || value.amount is null:
                throw new RejectedInputException(DeadLetterReasons.InvalidGovernance, "MintRequest needs a token and an amount");
        }

        var amount = Convert(() => WireDecimal.FromAvro(value.amount));
        if (action == GovernanceActionKind.MintRequest && Domain.Minting.MintRequest.AmountProblem(amount!.Value) is { } problem)
        {
            throw new RejectedInputException(DeadLetterReasons.InvalidGovernance, $"MintRequest: {problem}");
        }

        var command = new GovernanceCommand(
            value.event_id,
            action,
            issuedAt,
            value.issued_by ?? string.Empty,
            new SortedDictionary<string, string>(parameters, StringComparer.Ordinal),
            value.month,
            value.token is { } token ? ContractMapping.Convert<TokenSymbol, Domain.Token>(token) : null,
            amount);
        return (value.event_id, new SequencedEvent(SequencedKind.Governance, issuedAt, source, Governance: command));
    }

    private void NotInFuture(DateTimeOffset eventTime, SourceRecord source, string field)
    {
        var recordTime = DateTimeOffset.FromUnixTimeMilliseconds(source.Timestamp);
        if (eventTime - recordTime > options.MaxFutureSkew)
        {
            throw new RejectedInputException(
                DeadLetterReasons.FutureTimestamp,
                $"{field} {eventTime:O} is more than {options.MaxFutureSkew} after the record timestamp {recordTime:O}");
        }
    }

    private static T Decode<T>(AvroCodec<T> codec, SourceRecord source)
        where T : class, ISpecificRecord, new()
    {
        if (source.Value is null)
        {
            throw new RejectedInputException(DeadLetterReasons.Tombstone, "the record has no value");
        }

        try
        {
            return codec.Deserialize(source.Value);
        }
        catch (WrongSchemaException e)
        {
            throw new RejectedInputException(DeadLetterReasons.WrongSchema, e.Message);
        }
        catch (Exception e) when (IsUnknownEnum(e))
        {
            throw new RejectedInputException(DeadLetterReasons.UnknownEnum, Innermost(e).Message);
        }
        catch (Exception e) when (e is not RejectedInputException)
        {
            throw new RejectedInputException(DeadLetterReasons.Undecodable, $"{Innermost(e).GetType().Name}: {Innermost(e).Message}");
        }
    }

    private static T Convert<T>(Func<T> convert)
    {
        try
        {
            return convert();
        }
        catch (OverflowException e)
        {
            throw new RejectedInputException(DeadLetterReasons.ValueOutOfRange, e.Message);
        }
    }

    // Apache.Avro reports a writer's enum symbol the reader lacks as "No such symbol: X" (resolution)
    // or with "enum" in the message (older paths); it has no dedicated exception type.
    private static bool IsUnknownEnum(Exception e) =>
        Innermost(e) is AvroException avro
        && (avro.Message.StartsWith("No such symbol", StringComparison.Ordinal) || avro.Message.Contains("enum", StringComparison.OrdinalIgnoreCase));

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new RejectedInputException(DeadLetterReasons.MissingField, $"{field} is empty");
        }
    }

    private static void NotNegative(decimal value, string field)
    {
        if (value < 0m)
        {
            throw new RejectedInputException(DeadLetterReasons.NegativeValue, $"{field} {value} is negative");
        }
    }

    private static RejectedInputException Missing(string field, MetricSampleKind kind) =>
        new(DeadLetterReasons.MissingField, $"{field} is required for {kind} metrics");

}

/// <summary>A valid input: the event for stage 1, the key that places it, and whether every partition needs it.</summary>
public sealed record DecodedInput(string RoutingKey, SequencedEvent Event, bool ToEveryPartition);
