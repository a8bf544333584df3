using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry.Serdes;
using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Every rejection reason: the bad record lands in poe.dead-letters whole, and the stream goes on.</summary>
public class DeadLetterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private readonly TopologyHarness harness = new();

    public DeadLetterTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
    }

    public static TheoryData<string, string> InvalidJobs => new()
    {
        { "negative-value", "value" },
        { "quality-out-of-range", "quality" },
        { "negative-value", "stream" },
        { "future-timestamp", "future" },
        { "missing-field", "job-id" },
        { "value-out-of-range", "huge" },
        { "value-out-of-range", "twenty-digits" },
        { "value-out-of-range", "revenue" },
    };

    [Theory]
    [MemberData(nameof(InvalidJobs))]
    public void An_invalid_job_is_dead_lettered_and_the_next_one_processed(string reason, string defect)
    {
        var bad = Inputs.Job("bad", "m1", 100m, 0.5m, T0.AddSeconds(5));
        switch (defect)
        {
            case "value": bad.job_value = WireDecimal.ToAvro(-1m); break;
            case "quality": bad.quality_score = WireDecimal.ToAvro(1.01m); break;
            case "stream": bad.revenue_streams = [new RevenueStream { stream_type = RevenueStreamType.ApiRequests, quantity = WireDecimal.ToAvro(-5m), unit_price = WireDecimal.ToAvro(1m) }]; break;
            case "future": bad.completion_time = T0.AddHours(1).UtcDateTime; break;
            case "job-id": bad.job_id = ""; break;
            case "huge": bad.job_value = new Avro.AvroDecimal(System.Numerics.BigInteger.Pow(10, 50), 18); break;
            case "twenty-digits": bad.job_value = WireDecimal.ToAvro(100_000_000_000_000_000_000m); break;
            case "revenue": bad.revenue_streams = [new RevenueStream { stream_type = RevenueStreamType.ApiRequests, quantity = WireDecimal.ToAvro(10_000_000_000m), unit_price = WireDecimal.ToAvro(100_000_000_000m) }]; break;
        }

        var bytes = harness.Serialize(PoeTopics.Jobs, bad);
        harness.PipeBytes(PoeTopics.Jobs, "m1", bytes, T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("good", "m1", 100m, 0.5m, T0.AddSeconds(6)), T0.AddSeconds(6));

        var (key, letter) = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters);
        Assert.Equal(PoeTopics.Jobs, key);
        Assert.Equal(reason, letter.reason);
        Assert.Equal(PoeTopics.Jobs, letter.source_topic);
        Assert.Equal(0, letter.source_offset);
        Assert.Equal(bytes, letter.original_value);
        Assert.Equal("m1"u8.ToArray(), letter.original_key);
        Assert.False(string.IsNullOrWhiteSpace(letter.detail));
        Assert.Equal(["good"], FeeSplits().Select(f => f.Key));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3, 4, 5, 6, 7 }, "undecodable")]
    [InlineData(new byte[] { 0, 0, 0, 0, 99, 2, 4 }, "undecodable")]
    public void Garbage_and_unknown_schema_ids_are_dead_lettered(byte[] bytes, string reason)
    {
        harness.PipeBytes(PoeTopics.Jobs, "m1", bytes, T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("good", "m1", 100m, 0.5m, T0.AddSeconds(6)), T0.AddSeconds(6));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal(reason, letter.reason);
        Assert.Equal(bytes, letter.original_value);
        Assert.Single(FeeSplits());
    }

    [Fact]
    public void A_job_type_the_worker_does_not_know_is_an_unknown_enum()
    {
        // A newer producer's schema with an eleventh job type.
        var schema = (Avro.RecordSchema)Avro.Schema.Parse(
            Contracts.EconomicJob._SCHEMA.ToString().Replace("\"AuditCompliance\"", "\"AuditCompliance\",\"QuantumMining\"", StringComparison.Ordinal));
        var record = new GenericRecord(schema);
        record.Add("job_id", "q1");
        record.Add("miner_id", "m1");
        record.Add("job_type", new GenericEnum((Avro.EnumSchema)schema["job_type"].Schema, "QuantumMining"));
        record.Add("job_value", WireDecimal.ToAvro(1m));
        record.Add("quality_score", WireDecimal.ToAvro(0.5m));
        record.Add("status", new GenericEnum((Avro.EnumSchema)schema["status"].Schema, "Verified"));
        record.Add("completion_time", T0.AddSeconds(5).UtcDateTime);
        record.Add("revenue_streams", Array.Empty<object>());
        var bytes = new AvroSerializer<GenericRecord>(harness.Registry).AsSyncOverAsync()
            .Serialize(record, new SerializationContext(MessageComponentType.Value, PoeTopics.Jobs));

        harness.PipeBytes(PoeTopics.Jobs, "m1", bytes, T0.AddSeconds(5));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("unknown-enum", letter.reason);
        Assert.Contains("QuantumMining", letter.detail);
    }

    [Fact]
    public void Another_topics_record_is_dead_lettered_as_the_wrong_schema()
    {
        var metric = harness.Serialize(PoeTopics.Jobs, Inputs.Metric("up", MetricKind.Uptime, 0.9m, T0.AddSeconds(5)));

        harness.PipeBytes(PoeTopics.Jobs, "m1", metric, T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("good", "m1", 100m, 0.5m, T0.AddSeconds(6)), T0.AddSeconds(6));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("wrong-schema", letter.reason);
        Assert.Contains("PoeStreams.Contracts.NetworkMetric", letter.detail, StringComparison.Ordinal);
        Assert.Equal(metric, letter.original_value);
        Assert.Equal(["good"], FeeSplits().Select(f => f.Key));
    }

    [Fact]
    public void A_registration_dated_ahead_of_its_record_is_dead_lettered_and_later_jobs_still_count()
    {
        harness.Pipe(PoeTopics.Miners, "m2", Inputs.Miner("m2", at: T0.AddDays(1)), T0.AddSeconds(1));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("good", "m1", 100m, 0.5m, T0.AddSeconds(6)), T0.AddSeconds(6));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("future-timestamp", letter.reason);
        Assert.Contains("registered_at", letter.detail);
        Assert.Equal(["good"], FeeSplits().Select(f => f.Key));
    }

    [Fact]
    public void A_record_too_large_to_republish_keeps_its_size_hash_and_a_prefix_and_the_stream_goes_on()
    {
        var huge = new byte[1_000_000];
        new Random(3).NextBytes(huge);
        harness.PipeBytes(PoeTopics.Jobs, "m1", huge, T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("good", "m1", 100m, 0.5m, T0.AddSeconds(6)), T0.AddSeconds(6));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("too-large", letter.reason);
        Assert.Equal(huge[..DeadLetter.KeptPrefixBytes], letter.original_value);
        Assert.Contains("1000000 bytes, SHA-256 " + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(huge)), letter.detail);
        Assert.Equal(["good"], FeeSplits().Select(f => f.Key));
    }

    [Fact]
    public void A_job_whose_miner_never_registers_is_dead_lettered_when_its_epoch_closes()
    {
        var bytes = harness.Serialize(PoeTopics.Jobs, Inputs.Job("orphan", "nobody", 100m, 0.5m, T0.AddSeconds(5)));
        harness.PipeBytes(PoeTopics.Jobs, "nobody", bytes, T0.AddSeconds(5));
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters));

        harness.Tick(T0.AddSeconds(361));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("unknown-miner", letter.reason);
        Assert.Equal(bytes, letter.original_value);
        Assert.Empty(FeeSplits());
    }

    [Fact]
    public void A_job_read_before_its_miners_registration_counts()
    {
        harness.Pipe(PoeTopics.Jobs, "m2", Inputs.Job("early", "m2", 100m, 0.5m, T0.AddSeconds(5)), T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Miners, "m2", Inputs.Miner("m2", at: T0.AddSeconds(1)), T0.AddSeconds(1));

        Assert.Equal(["early"], FeeSplits().Select(f => f.Key));
        harness.Tick(T0.AddSeconds(361));
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters));
        Assert.Equal(["2026-11-25T12:00:00Z|m2"], harness.Read<Contracts.MinerReward>(PoeTopics.Rewards).Select(r => r.Key));
    }

    [Fact]
    public void A_tombstone_is_dead_lettered()
    {
        harness.PipeBytes(PoeTopics.Miners, "m2", null, T0.AddSeconds(1));

        Assert.Equal("tombstone", harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value.reason);
    }

    [Fact]
    public void A_duplicate_job_id_is_dead_lettered_and_counted_once()
    {
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(5)), T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(5)), T0.AddSeconds(7));

        Assert.Single(FeeSplits());
        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("duplicate-job", letter.reason);
        Assert.Equal(1, letter.source_offset);
    }

    public static TheoryData<string, Func<NetworkMetric>> InvalidMetrics => new()
    {
        { "uptime-out-of-range", () => Inputs.Metric("u", MetricKind.Uptime, 1.5m, T0.AddSeconds(5)) },
        { "quality-out-of-range", () => Inputs.Metric("q", MetricKind.ServiceQuality, -0.1m, T0.AddSeconds(5)) },
        { "missing-field", () => Inputs.Metric("l", MetricKind.NetworkLoad, 1m, T0.AddSeconds(5)) },
        { "negative-value", () => Inputs.Load("l", -1, 1m, 1, 1m, T0.AddSeconds(5)) },
        { "value-out-of-range", () => Inputs.Metric("l", MetricKind.LiquidityDelta, -100_000_000_000_000_000_000m, T0.AddSeconds(5)) },
        { "value-out-of-range", () => Inputs.Load("l", 1, 1m, 1, 1_000_000_000_000_000_000_000m, T0.AddSeconds(5)) },
    };

    [Theory]
    [MemberData(nameof(InvalidMetrics))]
    public void An_invalid_metric_is_dead_lettered(string reason, Func<NetworkMetric> metric)
    {
        harness.Pipe(PoeTopics.NetworkMetrics, "src", metric(), T0.AddSeconds(5));

        Assert.Equal(reason, harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value.reason);
    }

    [Fact]
    public void Negative_gold_and_malformed_governance_are_dead_lettered()
    {
        harness.Pipe(PoeTopics.GoldReserves, "v", Inputs.Gold("v", -1m, T0.AddSeconds(5)), T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Governance, "g", Inputs.Governance("g1", GovernanceAction.ApproveSalary, T0.AddSeconds(5), month: "2026-13"), T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Governance, "g", Inputs.Governance("g2", GovernanceAction.UpdateParameters, T0.AddSeconds(5)), T0.AddSeconds(5));

        var letters = harness.Read<DeadLetter>(PoeTopics.DeadLetters);
        Assert.Equal(["negative-value", "invalid-governance", "invalid-governance"], letters.Select(l => l.Value.reason));
        Assert.Equal([PoeTopics.GoldReserves, PoeTopics.Governance, PoeTopics.Governance], letters.Select(l => l.Key));
    }

    [Fact]
    public void Gold_and_mint_amounts_beyond_what_the_outputs_carry_are_dead_lettered()
    {
        harness.Pipe(PoeTopics.GoldReserves, "v", Inputs.Gold("v", 1_000_000_000_000_000_000_000m, T0.AddSeconds(5)), T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Governance, "g", Inputs.MintRequest("g1", TokenSymbol.NEX, 100_000_000_000_000_000_000m, T0.AddSeconds(5)), T0.AddSeconds(5));

        var letters = harness.Read<DeadLetter>(PoeTopics.DeadLetters);
        Assert.Equal(["value-out-of-range", "value-out-of-range"], letters.Select(l => l.Value.reason));
        Assert.Equal([PoeTopics.GoldReserves, PoeTopics.Governance], letters.Select(l => l.Key));
    }

    [Fact]
    public void A_parameter_update_that_breaks_a_rule_is_dead_lettered_by_stage_two()
    {
        var update = Inputs.Governance("g1", GovernanceAction.UpdateParameters, T0.AddSeconds(5), new Dictionary<string, string> { ["fee_structure.treasury_rate"] = "0.004" });
        harness.Pipe(PoeTopics.Governance, "g1", update, T0.AddSeconds(5));
        harness.Pipe(PoeTopics.Governance, "g2", Inputs.Governance("g2", GovernanceAction.UpdateParameters, T0.AddSeconds(6), new Dictionary<string, string> { ["epochs.length_seconds"] = "60" }), T0.AddSeconds(6));
        harness.Pipe(PoeTopics.Governance, "g3", Inputs.Governance("g3", GovernanceAction.UpdateParameters, T0.AddSeconds(7), new Dictionary<string, string> { ["fee_structure.no_such_rate"] = "1" }), T0.AddSeconds(7));

        var letters = harness.Read<DeadLetter>(PoeTopics.DeadLetters).Select(l => l.Value).ToList();
        Assert.Equal(3, letters.Count);
        Assert.All(letters, l => Assert.Equal("invalid-governance", l.reason));
        Assert.Contains("total_fee_rate", letters[0].detail);
        Assert.Contains("fixed at start-up", letters[1].detail);
        Assert.Contains("unknown parameter 'fee_structure.no_such_rate'", letters[2].detail);
    }

    // A job's fee split is out once every input has closed the previous epoch (its parameters are final
    // then): the jobs, read last at 12:00:06, are idle for the grace period at 12:01:06.
    // A job's fee split is published when its epoch closes (end + grace), once no other copy of its id can come.
    private List<(string Key, JobFeeSplit Value)> FeeSplits()
    {
        harness.Tick(T0.AddSeconds(361));
        return harness.Read<JobFeeSplit>(PoeTopics.JobFees);
    }

    public void Dispose() => harness.Dispose();
}
