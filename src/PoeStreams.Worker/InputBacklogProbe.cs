using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Topology;

namespace PoeStreams.Worker;

/// <summary>
/// Tells the topology whether an input partition is read to its end, so the wall clock closes epochs
/// only for partitions with nothing left to read. A partition is caught up when the worker has read
/// (or the group has committed) everything the partition held at the previous measurement, half a
/// second or more ago; until the first two measurements, and while tasks restore, it is not.
/// </summary>
public sealed class InputBacklogProbe(WorkerOptions options, TimeProvider clock, ILogger<InputBacklogProbe> logger) : BackgroundService, IInputBacklog
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentDictionary<TopicPartition, long> nextToRead = new();
    private volatile Snapshot current = new(new Dictionary<TopicPartition, long>(), new Dictionary<TopicPartition, long>());

    public void Read(string topic, int partition, long offset) =>
        nextToRead.AddOrUpdate(new TopicPartition(topic, partition), offset + 1, (_, known) => Math.Max(known, offset + 1));

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
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
        var partitions = PoeTopics.Inputs.SelectMany(topic => Enumerable.Range(0, options.Partitions).Select(p => new TopicPartition(topic, p))).ToList();
        Dictionary<TopicPartition, long>? previousEnds = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(p, TimeSpan.FromSeconds(5)).High.Value);
                var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(5)).ToDictionary(c => c.TopicPartition, c => Math.Max(0, c.Offset.Value));
                if (previousEnds is not null)
                {
                    current = new Snapshot(previousEnds, committed);
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

    private sealed record Snapshot(IReadOnlyDictionary<TopicPartition, long> Ends, IReadOnlyDictionary<TopicPartition, long> Committed);
}
