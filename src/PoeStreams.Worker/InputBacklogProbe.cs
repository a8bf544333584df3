using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Topology;
using Prometheus;

namespace PoeStreams.Worker;

/// <summary>
/// Watches where the worker reads its input, internal topics included, against the partitions' ends.
/// <list type="bullet">
/// <item>It tells the topology whether an input partition is read to its end, so the wall clock closes
/// epochs only for partitions with nothing left to read. A partition is caught up when the worker has
/// read (or the group has committed) everything it held at the previous measurement, half a second or
/// more ago; until the first two measurements, and while tasks restore, it is not.</item>
/// <item>It publishes the consumer lag per topic (high watermark − committed offset) as
/// <c>poe_consumer_lag_records</c>.</item>
/// <item>It stops the worker with one line when records it had not read were deleted by the broker's
/// retention (the consumer would otherwise skip to the new log start without a word, and the outputs
/// would silently miss them).</item>
/// </list>
/// </summary>
public sealed class InputBacklogProbe(
    WorkerOptions options, TimeProvider clock, CollectorRegistry registry, IHostApplicationLifetime lifetime, ILogger<InputBacklogProbe> logger)
    : BackgroundService, IInputBacklog
{
    /// <summary>The process exit code after records were lost to retention.</summary>
    public const int RecordsLostExitCode = PoeStreams.Storage.ClickHouse.ClickHouseSinkService.RecordsLostExitCode;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<TopicPartition, long> nextToRead = new();
    private readonly ConcurrentDictionary<TopicPartition, long> skippedFrom = new();
    private readonly Gauge lag = Metrics.WithCustomRegistry(registry).CreateGauge("poe_consumer_lag_records", "Records not yet processed, per topic the worker reads.", "topic");
    private volatile Snapshot current = new(new Dictionary<TopicPartition, long>(), new Dictionary<TopicPartition, long>());

    public void Read(string topic, int partition, long offset)
    {
        var key = new TopicPartition(topic, partition);
        var known = nextToRead.GetValueOrDefault(key, -1);
        if (known >= 0 && offset > known)
        {
            // Offsets a consumer jumps over are compacted away, transaction markers, or deleted unread:
            // the next measurement tells the last from the others by the log start.
            skippedFrom[key] = known;
        }

        nextToRead[key] = Math.Max(known, offset + 1);
    }

    public bool IsCaughtUp(string topic, int partition)
    {
        var snapshot = current;
        var key = new TopicPartition(topic, partition);
        if (!snapshot.Ends.TryGetValue(key, out var end))
        {
            return false;
        }

        var position = Math.Max(nextToRead.GetValueOrDefault(key), snapshot.Committed.GetValueOrDefault(key));
        return position >= end;
    }

    public long? Committed(string topic, int partition) =>
        current.Committed.TryGetValue(new TopicPartition(topic, partition), out var committed) && committed > 0 ? committed : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var consumer = ConsumerLag.GroupObserver(options);
        var partitions = PoeTopics.Inputs.Append(PoeTopics.JobClaims).Append(PoeTopics.Sequenced)
            .SelectMany(topic => Enumerable.Range(0, options.Partitions).Select(p => new TopicPartition(topic, p)))
            .Append(new TopicPartition(PoeTopics.EpochPartials, 0))
            .ToList();
        Dictionary<TopicPartition, long>? previousEnds = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var offsets = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(5)));
                var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(5)).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
                if (LostRecords(offsets, committed) is { } loss)
                {
                    logger.LogCritical("{Loss}; the worker stops instead of skipping them (exit code {Code})", loss, RecordsLostExitCode);
                    Environment.ExitCode = RecordsLostExitCode;
                    lifetime.StopApplication();
                    return;
                }

                var ends = offsets.ToDictionary(o => o.Key, o => o.Value.High.Value);
                foreach (var topic in ends.GroupBy(e => e.Key.Topic))
                {
                    lag.WithLabels(topic.Key).Set(topic.Sum(e => Math.Max(0, e.Value - Math.Max(0, committed.GetValueOrDefault(e.Key)))));
                }

                if (previousEnds is not null)
                {
                    current = new Snapshot(previousEnds, committed.ToDictionary(c => c.Key, c => Math.Max(0, c.Value)));
                }

                previousEnds = ends;
            }
            catch (KafkaException e)
            {
                // Not knowing means not caught up: the wall clock waits rather than closing epochs early.
                current = new Snapshot(new Dictionary<TopicPartition, long>(), new Dictionary<TopicPartition, long>());
                previousEnds = null;
                logger.LogWarning("Input end offsets not measured, so idle epochs wait: {Reason}", e.Message);
            }

            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    // Records below a partition's log start that the worker had neither read nor committed are gone.
    private string? LostRecords(Dictionary<TopicPartition, WatermarkOffsets> offsets, Dictionary<TopicPartition, long> committed)
    {
        foreach (var (partition, watermarks) in offsets)
        {
            var low = watermarks.Low.Value;
            var position = Math.Max(nextToRead.GetValueOrDefault(partition, -1), committed.GetValueOrDefault(partition, -1));
            var skipped = skippedFrom.TryRemove(partition, out var from) ? from : long.MaxValue;
            var firstUnread = Math.Min(position < 0 ? long.MaxValue : position, skipped);
            if (firstUnread < low)
            {
                return $"{partition.Topic}[{partition.Partition.Value}]: the broker deleted offsets {firstUnread} to {low - 1} before the worker read them";
            }
        }

        return null;
    }

    private sealed record Snapshot(IReadOnlyDictionary<TopicPartition, long> Ends, IReadOnlyDictionary<TopicPartition, long> Committed);
}
