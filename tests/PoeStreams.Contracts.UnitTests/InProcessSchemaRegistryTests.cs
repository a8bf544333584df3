using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace PoeStreams.Contracts.UnitTests;

public class InProcessSchemaRegistryTests
{
    [Fact]
    public async Task Ids_depend_only_on_the_schema_so_separate_processes_agree()
    {
        using var first = new InProcessSchemaRegistry();
        using var second = new InProcessSchemaRegistry();
        var job = EconomicJob._SCHEMA.ToString();
        var miner = MinerRegistered._SCHEMA.ToString();

        var firstJob = await first.RegisterSchemaAsync("poe.jobs-value", job);
        await second.RegisterSchemaAsync("poe.miners-value", miner);
        var secondJob = await second.RegisterSchemaAsync("poe.jobs-value", job);

        Assert.Equal(firstJob, secondJob);
        Assert.NotEqual(firstJob, await second.GetSchemaIdAsync("poe.miners-value", miner));
        Assert.Equal(job, (await second.GetSchemaAsync(secondJob)).SchemaString);
        Assert.Equal(["poe.jobs-value", "poe.miners-value"], await second.GetAllSubjectsAsync());
        Assert.Equal([1], await second.GetSubjectVersionsAsync("poe.jobs-value"));
    }

    [Fact]
    public void A_registry_with_the_contracts_decodes_what_another_process_wrote()
    {
        using var writer = new InProcessSchemaRegistry();
        using var reader = InProcessSchemaRegistry.WithContracts();
        var context = new SerializationContext(MessageComponentType.Value, "poe.miners");
        var miner = new MinerRegistered { miner_id = "m1", specialization = JobType.Compute, registered_at = new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc) };

        var bytes = new AvroSerializer<MinerRegistered>(writer).AsSyncOverAsync().Serialize(miner, context);
        var read = new AvroDeserializer<MinerRegistered>(reader).AsSyncOverAsync().Deserialize(bytes, false, context);

        Assert.Equal("m1", read.miner_id);
        Assert.Equal(12, TopicCatalog.Subjects().Select(s => InProcessSchemaRegistry.IdOf(s.Schema)).Distinct().Count());
    }

    [Fact]
    public async Task Unknown_ids_and_subjects_are_not_found()
    {
        using var registry = new InProcessSchemaRegistry();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.GetSchemaAsync(42));
        Assert.Equal(40401, error.ErrorCode);
        await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.GetLatestSchemaAsync("nope"));
    }

    [Fact]
    public void Confluents_serializer_and_deserializer_round_trip_through_it()
    {
        using var registry = new InProcessSchemaRegistry();
        var context = new SerializationContext(MessageComponentType.Value, "poe.jobs");
        var job = new EconomicJob
        {
            job_id = "j1",
            miner_id = "m1",
            job_type = JobType.DockLockHosting,
            job_value = WireDecimal.ToAvro(50_000m),
            quality_score = WireDecimal.ToAvro(0.95m),
            status = VerificationStatus.Verified,
            completion_time = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc),
            revenue_streams = [new RevenueStream { stream_type = RevenueStreamType.ApiRequests, quantity = WireDecimal.ToAvro(2_000_000m), unit_price = WireDecimal.ToAvro(0.01m) }],
        };

        var bytes = new AvroSerializer<EconomicJob>(registry).AsSyncOverAsync().Serialize(job, context);
        var read = new AvroDeserializer<EconomicJob>(registry).AsSyncOverAsync().Deserialize(bytes, false, context);

        Assert.Equal(0, bytes[0]); // Confluent wire format: magic byte, then the schema id
        Assert.Equal(InProcessSchemaRegistry.IdOf(EconomicJob._SCHEMA.ToString()), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        Assert.Equal("j1", read.job_id);
        Assert.Equal(JobType.DockLockHosting, read.job_type);
        Assert.Equal(50_000m, WireDecimal.FromAvro(read.job_value));
        Assert.Equal(20_000m, WireDecimal.FromAvro(read.revenue_streams[0].quantity) * WireDecimal.FromAvro(read.revenue_streams[0].unit_price));
    }
}
