using System.Text;
using Confluent.Kafka;
using PoeStreams.LocalKafka;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// A producer whose queue holds 10 messages, against a broker 50 ms away: 200 records sent at once
/// fill it. Confluent's producer fails the record that finds it full; the worker's waits and sends it.
/// </summary>
public class QueueFullWaitingProducerTests
{
    private const int Records = 200;

    [Fact]
    public async Task Confluents_producer_fails_a_record_that_finds_its_queue_full()
    {
        await using var cluster = SlowBroker();
        using var producer = SmallQueueProducer(cluster);

        var full = Assert.Throws<ProduceException<byte[], byte[]>>(() => ProduceAll(producer));

        Assert.Equal(ErrorCode.Local_QueueFull, full.Error.Code);
    }

    [Fact]
    public async Task The_workers_producer_waits_for_room_and_every_record_arrives_in_order()
    {
        await using var cluster = SlowBroker();
        using (var producer = new QueueFullWaitingProducer(SmallQueueProducer(cluster)))
        {
            ProduceAll(producer);
            producer.Flush(TimeSpan.FromSeconds(60));
        }

        Assert.Equal(Enumerable.Range(0, Records).Select(i => $"r{i}"), ReadAll(cluster));
    }

    private static LocalKafkaCluster SlowBroker() => LocalKafkaCluster.Start([new LocalTopic("t", 1)], port: 0, roundTrip: TimeSpan.FromMilliseconds(50));

    private static IProducer<byte[], byte[]> SmallQueueProducer(LocalKafkaCluster cluster) =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers, QueueBufferingMaxMessages = 10, LingerMs = 0 }).Build();

    private static void ProduceAll(IProducer<byte[], byte[]> producer)
    {
        for (var i = 0; i < Records; i++)
        {
            producer.Produce(new TopicPartition("t", 0), new Message<byte[], byte[]> { Value = Encoding.UTF8.GetBytes($"r{i}") });
        }
    }

    private static List<string> ReadAll(LocalKafkaCluster cluster)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = "reader", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Assign(new TopicPartitionOffset("t", 0, Offset.Beginning));
        var values = new List<string>();
        while (values.Count < Records && consumer.Consume(TimeSpan.FromSeconds(15)) is { } record)
        {
            values.Add(Encoding.UTF8.GetString(record.Message.Value));
        }

        return values;
    }
}
