using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>Records deleted by the broker before the worker read them stop the worker; they are never skipped silently.</summary>
public class RetentionTests
{
    [Fact]
    public async Task A_worker_whose_unread_input_was_deleted_stops_with_exit_code_4()
    {
        await using var cluster = await PoeCluster.StartAsync(graceSeconds: 30);
        await ReadUndecodableJobsAsync(cluster, count: 1);
        await Task.Delay(TimeSpan.FromSeconds(3)); // a commit interval and more
        await cluster.StopWorkerAsync();

        await DeleteOldestRecordsAsync(cluster, new TopicPartition(PoeTopics.Jobs, 0), KeyInPartitionZero);
        await cluster.StartWorkerAsync();

        try
        {
            Assert.True(await cluster.WorkerStopsItselfAsync(TimeSpan.FromSeconds(30)), "the worker went on after records it had not read were deleted");
            Assert.Equal(InputBacklogProbe.RecordsLostExitCode, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public async Task The_worker_knows_what_it_has_committed_and_nothing_for_a_partition_it_never_read()
    {
        await using var cluster = await PoeCluster.StartAsync(graceSeconds: 30);
        await ReadUndecodableJobsAsync(cluster, count: 2);

        // Stages let go of state kept for replays below this offset, so it must be the group's commit.
        await Eventually.HoldsAsync(() => Task.FromResult(cluster.Backlog.Committed(PoeTopics.Jobs, 0) == 2), TimeSpan.FromSeconds(30), "the commit of both records to be measured");
        Assert.Null(cluster.Backlog.Committed(PoeTopics.Jobs, 1));
    }

    [Fact]
    public async Task The_local_broker_says_when_a_partition_has_lost_records()
    {
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var broker = LocalKafkaCluster.Start([new LocalTopic("t", 1)], port: 0, warn: said.Enqueue);
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 20 }).Build())
        {
            // 90,000 small records, then 6 MiB more: first near the limit, then over it.
            for (var i = 0; i < 90_000; i++)
            {
                producer.Produce("t", new Message<Null, byte[]> { Value = [1] });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
            await Eventually.HoldsAsync(() => Task.FromResult(said.Any(s => s.StartsWith("local broker: t[0] holds ", StringComparison.Ordinal) && s.Contains("may be near its limit", StringComparison.Ordinal))), TimeSpan.FromSeconds(20), "the warning near the limit");
            OverflowLocalPartition(producer, "t");
        }

        await Eventually.HoldsAsync(() => Task.FromResult(said.Any(s => s.Contains("t[0] has lost its oldest", StringComparison.Ordinal))), TimeSpan.FromSeconds(20), "the warning about lost records");
    }

    // A key the producer places in partition 0 of the cluster's four.
    private static readonly string KeyInPartitionZero = Enumerable.Range(0, 100).Select(i => $"k{i}").First(k => KafkaPartitioner.PartitionOf(k, 4) == 0);

    // Starts the worker and has it read (and dead-letter) that many undecodable jobs at offsets 0, 1, … of poe.jobs partition 0.
    private static async Task ReadUndecodableJobsAsync(PoeCluster cluster, int count)
    {
        await cluster.StartWorkerAsync();
        using var outputs = cluster.Outputs(PoeTopics.DeadLetters);
        for (var i = 0; i < count; i++)
        {
            cluster.ProduceBytes(PoeTopics.Jobs, KeyInPartitionZero, System.Text.Encoding.UTF8.GetBytes($"not avro {i}"), DateTimeOffset.UtcNow);
        }

        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.DeadLetters) == count, TimeSpan.FromSeconds(60), "the records to be read");
    }

    // Six MiB in one partition: more than the local broker keeps.
    private static void OverflowLocalPartition(IProducer<Null, byte[]> producer, string topic)
    {
        for (var i = 0; i < 6 * 1024; i++)
        {
            producer.Produce(topic, new Message<Null, byte[]> { Value = new byte[1024] });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    // The local broker drops the oldest records past its limit; a real one deletes on request.
    private static async Task DeleteOldestRecordsAsync(PoeCluster cluster, TopicPartition partition, string key)
    {
        if (cluster.Kafka.Mode == "local")
        {
            for (var i = 0; i < 6 * 1024; i++)
            {
                cluster.ProduceBytes(partition.Topic, key, new byte[1024], DateTimeOffset.UtcNow);
            }

            cluster.Flush();
            return;
        }

        cluster.ProduceBytes(partition.Topic, key, [0], DateTimeOffset.UtcNow);
        cluster.Flush();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = cluster.Kafka.BootstrapServers }).Build();
        await admin.DeleteRecordsAsync([new TopicPartitionOffset(partition, 2)]);
    }
}
