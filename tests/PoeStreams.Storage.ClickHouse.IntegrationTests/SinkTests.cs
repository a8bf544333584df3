using Microsoft.Extensions.Logging.Abstractions;
using PoeStreams.Cli;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using PoeStreams.Topology;

namespace PoeStreams.Storage.ClickHouse.IntegrationTests;

/// <summary>The sink from the local broker into the real local ClickHouse server.</summary>
public sealed class SinkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset B = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private LocalKafkaCluster broker = null!;
    private RecordPublisher publisher = null!;

    public async Task InitializeAsync()
    {
        var topics = TopicCatalog.For(2, new PoeTopologyOptions().ApplicationId);
        broker = LocalKafkaCluster.Start(topics.Select(t => new LocalTopic(t.Name, t.Partitions)), port: 0);
        publisher = new RecordPublisher(broker.BootstrapServers, InProcessSchemaRegistry.WithContracts());
        await Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        publisher.Dispose();
        await broker.DisposeAsync();
    }

    [Fact]
    public async Task Records_land_in_their_tables_and_a_duplicate_counts_once()
    {
        using var store = LocalClickHouse.NewStore();
        PublishFees("j1", "j2");
        PublishFees("j1");
        publisher.Publish(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 10_000m, 0.5m, B, JobType.Compute), B);
        publisher.Publish(PoeTopics.DeadLetters, PoeTopics.Jobs, new DeadLetter
        {
            source_topic = PoeTopics.Jobs, source_partition = 1, source_offset = 7, reason = "negative-value", detail = "job_value -1 is negative",
            original_key = "m1"u8.ToArray(), original_value = [1, 2, 3], rejected_at = B.UtcDateTime,
        }, B);
        publisher.Flush(TimeSpan.FromSeconds(10));

        await RunSinkUntilAsync(store, async () => await Count(store, "job_fee_splits") == 2 && await Count(store, "jobs") == 1 && await Count(store, "dead_letters") == 1);

        var fees = await store.QueryAsync($"SELECT sum(total_fee) AS total, sum(treasury) AS treasury FROM {store.Options.Database}.fees_by_stream");
        Assert.Equal("200.000000000000000000", fees.Single()["total"]);
        Assert.Equal("60.000000000000000000", fees.Single()["treasury"]);
        var letter = (await store.QueryAsync($"SELECT reason, original_value_hex FROM {store.Options.Database}.dead_letters FINAL")).Single();
        Assert.Equal("negative-value", letter["reason"]);
        Assert.Equal("010203", letter["original_value_hex"]);
        var types = await store.QueryAsync($"SELECT job_type, jobs FROM {store.Options.Database}.job_type_distribution");
        Assert.Equal("Compute", types.Single()["job_type"]);
    }

    [Fact]
    public async Task A_row_clickhouse_refuses_is_dead_lettered_with_its_bytes_and_the_rows_around_it_arrive()
    {
        using var store = LocalClickHouse.NewStore();
        var registry = InProcessSchemaRegistry.WithContracts();
        var beforeEpoch = new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero); // a ClickHouse DateTime cannot hold it
        publisher.Publish(PoeTopics.Miners, "m1", Inputs.Miner("m1", JobType.Compute, B), B);
        publisher.Publish(PoeTopics.Miners, "old", Inputs.Miner("old", JobType.Compute, beforeEpoch), B);
        publisher.Publish(PoeTopics.Miners, "m2", Inputs.Miner("m2", JobType.Compute, B), B);
        PublishFees("after");

        await RunSinkUntilAsync(store, async () => await Count(store, "dead_letters") == 1 && await Count(store, "job_fee_splits") == 1);

        var miners = await store.QueryAsync($"SELECT miner_id FROM {store.Options.Database}.miners FINAL ORDER BY miner_id");
        Assert.Equal(["m1", "m2"], miners.Select(m => m["miner_id"]));
        var letter = (await store.QueryAsync($"SELECT source_topic, reason, detail, original_value_hex FROM {store.Options.Database}.dead_letters FINAL")).Single();
        Assert.Equal((PoeTopics.Miners, "sink-rejected"), (letter["source_topic"], letter["reason"]));
        Assert.Contains("miners", letter["detail"], StringComparison.Ordinal);
        var original = new PoeStreams.Contracts.AvroCodec<MinerRegistered>(registry).Serialize(Inputs.Miner("old", JobType.Compute, beforeEpoch), PoeTopics.Miners);
        Assert.Equal(Convert.ToHexString(original), letter["original_value_hex"], ignoreCase: true);
    }

    [Fact]
    public async Task A_restarted_sink_resumes_without_gaps_or_double_counts()
    {
        using var store = LocalClickHouse.NewStore();
        PublishFees("a1", "a2", "a3");
        await RunSinkUntilAsync(store, async () => await Count(store, "job_fee_splits") == 3);

        PublishFees("b1", "b2");
        await RunSinkUntilAsync(store, async () => await Count(store, "job_fee_splits") == 5);

        Assert.Equal(5, await Count(store, "job_fee_splits"));
        var raw = await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.job_fee_splits");
        Assert.InRange(int.Parse(raw.Single()["n"], System.Globalization.CultureInfo.InvariantCulture), 5, 8);
    }

    [Fact]
    public async Task A_sink_whose_unread_records_were_deleted_stops_instead_of_skipping_them()
    {
        using var store = LocalClickHouse.NewStore();
        PublishFees("c1");
        await RunSinkUntilAsync(store, async () => await Count(store, "job_fee_splits") == 1);

        // Six MiB more in each partition of poe.job-fees, while the sink is stopped: past the local broker's retention.
        using (var producer = new Confluent.Kafka.ProducerBuilder<Confluent.Kafka.Null, byte[]>(new Confluent.Kafka.ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 6 * 1024; i++)
            {
                foreach (var partition in new[] { 0, 1 })
                {
                    producer.Produce(new Confluent.Kafka.TopicPartition(PoeTopics.JobFees, partition), new Confluent.Kafka.Message<Confluent.Kafka.Null, byte[]> { Value = new byte[1024] });
                }
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var sink = new ClickHouseSink(store, SinkOptions(), InProcessSchemaRegistry.WithContracts(), TimeProvider.System, NullLogger.Instance);
        var lost = await Assert.ThrowsAsync<RecordsLostException>(() => sink.RunAsync(timeout.Token));

        Assert.Contains(PoeTopics.JobFees, lost.Message);
        Assert.Equal(1, await Count(store, "job_fee_splits"));
    }

    [Fact]
    public async Task While_clickhouse_is_down_the_sink_waits_and_then_writes_everything()
    {
        // A server of the test's own, so stopping it disturbs nothing else.
        var directory = Path.Combine(Path.GetTempPath(), $"poe-ch-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string> { ["POE_CLICKHOUSE_HTTP_PORT"] = "18123", ["POE_CLICKHOUSE_TCP_PORT"] = "19000", ["POE_CLICKHOUSE_DIR"] = directory };
        LocalClickHouse.Script("start", environment);
        try
        {
            using var store = new ClickHouseStore(new ClickHouseOptions { Url = "http://127.0.0.1:18123", Database = "poe_outage" });
            using var stop = new CancellationTokenSource();
            var sink = new ClickHouseSink(store, SinkOptions(), InProcessSchemaRegistry.WithContracts(), TimeProvider.System, NullLogger.Instance);
            var running = Task.Run(() => sink.RunAsync(stop.Token));
            PublishFees("o1");
            await WaitUntilAsync(async () => await Count(store, "job_fee_splits") == 1);

            LocalClickHouse.Script("stop", environment);
            PublishFees("o2", "o3");
            await Task.Delay(3_000);
            LocalClickHouse.Script("start", environment);

            await WaitUntilAsync(async () => await Count(store, "job_fee_splits") == 3);
            await stop.CancelAsync();
            await running;
        }
        finally
        {
            LocalClickHouse.Script("stop", environment);
            Directory.Delete(directory, recursive: true);
        }
    }

    private void PublishFees(params string[] jobIds)
    {
        foreach (var id in jobIds)
        {
            publisher.Publish(PoeTopics.JobFees, id, new JobFeeSplit
            {
                job_id = id, miner_id = "m1", epoch_id = "2026-11-20T12:00:00Z", completion_time = B.UtcDateTime,
                job_value = WireDecimal.ToAvro(10_000m), docklock_revenue = WireDecimal.ToAvro(0m), total_fee = WireDecimal.ToAvro(100m),
                miner_locked = WireDecimal.ToAvro(20m), miner_spendable = WireDecimal.ToAvro(30m), owner_salary = WireDecimal.ToAvro(20m), treasury = WireDecimal.ToAvro(30m),
            }, B);
        }

        publisher.Flush(TimeSpan.FromSeconds(10));
    }

    private SinkOptions SinkOptions() => new() { BootstrapServers = broker.BootstrapServers, GroupId = "sink-under-test", SessionTimeoutMs = 6_000 };

    // Runs a sink (same group every time, like a restarted service) until the condition holds, then stops it.
    private async Task RunSinkUntilAsync(ClickHouseStore store, Func<Task<bool>> done)
    {
        using var stop = new CancellationTokenSource();
        var sink = new ClickHouseSink(store, SinkOptions(), InProcessSchemaRegistry.WithContracts(), TimeProvider.System, NullLogger.Instance);
        var running = Task.Run(() => sink.RunAsync(stop.Token));
        await WaitUntilAsync(done);
        await stop.CancelAsync();
        await running;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> done) => Eventually.HoldsAsync(done, TimeSpan.FromSeconds(60), "the sink");

    private static async Task<int> Count(ClickHouseStore store, string table) =>
        int.Parse((await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.{table} FINAL")).Single()["n"], System.Globalization.CultureInfo.InvariantCulture);
}
