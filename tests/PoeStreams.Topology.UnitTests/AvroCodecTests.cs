using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

public sealed class AvroCodecTests
{
    private static readonly SerializationContext JobsValue = new(MessageComponentType.Value, PoeTopics.Jobs);

    private static EconomicJob Job() => Inputs.Job(
        "j1", "m1", 50_000m, 0.95m, Inputs.T0, JobType.DockLockHosting, VerificationStatus.Verified,
        new RevenueStream { stream_type = RevenueStreamType.ApiRequests, quantity = WireDecimal.ToAvro(2_000_000m), unit_price = WireDecimal.ToAvro(0.01m) });

    [Fact]
    public void Writes_the_same_bytes_as_Confluents_serializer()
    {
        var registry = new InProcessSchemaRegistry();
        var confluent = new AvroSerializer<EconomicJob>(registry).AsSyncOverAsync().Serialize(Job(), JobsValue);

        Assert.Equal(confluent, new AvroCodec<EconomicJob>(registry).Serialize(Job(), PoeTopics.Jobs));
    }

    [Fact]
    public void Reads_what_Confluents_serializer_wrote()
    {
        var registry = new InProcessSchemaRegistry();
        var bytes = new AvroSerializer<EconomicJob>(registry).AsSyncOverAsync().Serialize(Job(), JobsValue);

        var read = new AvroCodec<EconomicJob>(registry).Deserialize(bytes);

        Assert.Equal(("j1", JobType.DockLockHosting, VerificationStatus.Verified, 50_000m), (read.job_id, read.job_type, read.status, WireDecimal.FromAvro(read.job_value)));
        Assert.Equal(RevenueStreamType.ApiRequests, Assert.Single(read.revenue_streams).stream_type);
    }

    [Fact]
    public void Each_record_read_gets_its_own_nested_records_and_lists_as_Confluents_deserializer_reads_them()
    {
        var registry = new InProcessSchemaRegistry();
        var confluent = new AvroDeserializer<EconomicJob>(registry).AsSyncOverAsync();
        var codec = new AvroCodec<EconomicJob>(registry);
        byte[][] written = [.. new[] { 2, 3, 0, 2 }.Select(count => new AvroSerializer<EconomicJob>(registry).AsSyncOverAsync().Serialize(JobWithStreams(count), JobsValue))];

        var read = written.Select(codec.Deserialize).ToList();

        Assert.Equal(
            written.Select(bytes => Streams(confluent.Deserialize(bytes, false, JobsValue))),
            read.Select(Streams));
        Assert.NotSame(read[0].revenue_streams, read[3].revenue_streams);
        Assert.NotSame(read[0].revenue_streams[0], read[3].revenue_streams[0]);
    }

    private static EconomicJob JobWithStreams(int count) => Inputs.Job(
        $"j{count}", "m1", 50_000m, 0.95m, Inputs.T0, JobType.Compute, VerificationStatus.Verified,
        [.. Enumerable.Range(1, count).Select(i => new RevenueStream { stream_type = (RevenueStreamType)(i % 5), quantity = WireDecimal.ToAvro(i * 3m), unit_price = WireDecimal.ToAvro(count + 0.5m) })]);

    private static string Streams(EconomicJob job) =>
        string.Join(";", job.revenue_streams.Select(s => $"{s.stream_type}:{WireDecimal.FromAvro(s.quantity)}x{WireDecimal.FromAvro(s.unit_price)}"));

    [Fact]
    public async Task Registers_the_schema_under_the_topics_value_subject()
    {
        var registry = new InProcessSchemaRegistry();

        new AvroCodec<EconomicJob>(registry).Serialize(Job(), PoeTopics.Jobs);

        Assert.Equal([$"{PoeTopics.Jobs}-value"], await registry.GetAllSubjectsAsync());
    }

    [Fact]
    public void Without_auto_registration_a_schema_the_registry_lacks_is_refused()
    {
        var codec = new AvroCodec<EconomicJob>(new InProcessSchemaRegistry(), autoRegisterSchemas: false);

        Assert.ThrowsAny<SchemaRegistryException>(() => codec.Serialize(Job(), PoeTopics.Jobs));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 })]
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 2 })]
    public void Bytes_without_Confluents_framing_are_refused(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => new AvroCodec<EconomicJob>(new InProcessSchemaRegistry()).Deserialize(bytes));

    [Fact]
    public void A_record_of_another_type_is_refused_as_the_wrong_schema()
    {
        var registry = new InProcessSchemaRegistry();
        var metric = new AvroCodec<NetworkMetric>(registry).Serialize(
            new NetworkMetric { source_id = "up", kind = MetricKind.Uptime, timestamp = DateTime.UnixEpoch, value = WireDecimal.ToAvro(1m) }, PoeTopics.Jobs);

        Assert.Throws<WrongSchemaException>(() => new AvroCodec<EconomicJob>(registry).Deserialize(metric));
    }
}
