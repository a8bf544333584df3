using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Topology;
using Prometheus;

namespace PoeStreams.Worker;

/// <summary>
/// Publishes the worker's consumer lag per input topic (high watermark − committed offset of the
/// application's group), read every 10 s with a consumer that never joins the group.
/// </summary>
internal sealed class ConsumerLagProbe(WorkerOptions options, CollectorRegistry registry, TimeProvider clock, ILogger<ConsumerLagProbe> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private readonly Gauge lag = Metrics.WithCustomRegistry(registry).CreateGauge("poe_consumer_lag_records", "Records not yet processed, per input topic.", "topic");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var consumer = ConsumerLag.GroupObserver(options);
        var partitions = PoeTopics.Inputs.Concat([PoeTopics.Sequenced])
            .SelectMany(topic => Enumerable.Range(0, options.Partitions).Select(p => new TopicPartition(topic, p)))
            .ToList();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Measure(consumer, partitions);
            }
            catch (KafkaException e)
            {
                logger.LogDebug("Consumer lag not measured: {Reason}", e.Message);
            }

            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private void Measure(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions)
    {
        foreach (var (topic, behind) in ConsumerLag.RecordsBehind(consumer, partitions, TimeSpan.FromSeconds(5)))
        {
            lag.WithLabels(topic).Set(behind);
        }
    }
}

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
