using Confluent.Kafka;

namespace PoeStreams.Worker;

/// <summary>How far a consumer group is behind: high watermark − committed offset, summed per topic.</summary>
public static class ConsumerLag
{
    /// <summary>A consumer with the application's group id that never joins the group: it reads the group's committed offsets and the partitions' watermarks.</summary>
    public static IConsumer<byte[], byte[]> GroupObserver(WorkerOptions options) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ApplicationId,
            SecurityProtocol = options.SecurityProtocol,
            SaslMechanism = options.SaslMechanism,
            SaslUsername = options.SaslUsername,
            SaslPassword = options.SaslPassword,
            SslCaLocation = options.SslCaLocation,
            EnableAutoCommit = false,
        }).Build();

    /// <param name="consumer">A consumer configured with the group's id; it does not need to join the group.</param>
    public static IReadOnlyDictionary<string, long> RecordsBehind<TKey, TValue>(IConsumer<TKey, TValue> consumer, IReadOnlyList<TopicPartition> partitions, TimeSpan timeout)
    {
        var committed = consumer.Committed(partitions, timeout).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        return partitions
            .GroupBy(p => p.Topic)
            .ToDictionary(
                topic => topic.Key,
                topic => topic.Sum(partition => Math.Max(0, consumer.QueryWatermarkOffsets(partition, timeout).High.Value - Math.Max(0, committed.GetValueOrDefault(partition)))));
    }
}
