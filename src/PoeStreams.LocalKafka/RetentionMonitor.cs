using Confluent.Kafka;

namespace PoeStreams.LocalKafka;

/// <summary>
/// Watches the local broker's partitions against its fixed retention (librdkafka's mock cluster keeps
/// at most <see cref="LocalKafkaCluster.MaxBytesPerPartition"/> bytes or
/// <see cref="LocalKafkaCluster.MaxBatchesPerPartition"/> record batches per partition and deletes the
/// oldest without telling anyone; librdkafka has no setting to raise either). Says once per partition
/// when one holds as many records as could fill it (its bytes are not visible from outside: at 50 bytes
/// a record, 100,000 records make 5 MiB) and when one has lost records.
/// </summary>
internal sealed class RetentionMonitor : IAsyncDisposable
{
    private const int NearLimitRecords = 80_000;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly IConsumer<byte[], byte[]> consumer;
    private readonly IReadOnlyList<TopicPartition> partitions;
    private readonly Action<string> warn;
    private readonly TimeProvider clock;
    private readonly HashSet<TopicPartition> nearLimit = [];
    private readonly Dictionary<TopicPartition, long> deletedThrough = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task watching;

    public RetentionMonitor(string bootstrapServers, IEnumerable<LocalTopic> topics, Action<string> warn, TimeProvider clock)
    {
        // It only reads watermarks: a slow answer under load is retried next round, not worth a log line.
        var config = new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "poe-local-broker-monitor" };
        config.Set("log_level", "3");
        consumer = new ConsumerBuilder<byte[], byte[]>(config).Build();
        partitions = topics.SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p))).ToList();
        this.warn = warn;
        this.clock = clock;
        watching = Task.Run(WatchAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
        consumer.Dispose();
        stopping.Dispose();
    }

    /// <summary>What to say about a partition whose log now spans <paramref name="low"/> to <paramref name="high"/>, or null.</summary>
    internal string? Check(TopicPartition partition, long low, long high)
    {
        if (low > deletedThrough.GetValueOrDefault(partition))
        {
            deletedThrough[partition] = low;
            return $"local broker: {partition.Topic}[{partition.Partition.Value}] has lost its oldest {low} records (it keeps at most {LocalKafkaCluster.LimitsDescription}); a consumer that had not read them stops, use a real Kafka for more data";
        }

        if (high - low >= NearLimitRecords && nearLimit.Add(partition))
        {
            return $"local broker: {partition.Topic}[{partition.Partition.Value}] holds {high - low} records and may be near its limit of {LocalKafkaCluster.LimitsDescription}";
        }

        return null;
    }

    private async Task WatchAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            foreach (var partition in partitions)
            {
                try
                {
                    var offsets = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5));
                    if (Check(partition, offsets.Low.Value, offsets.High.Value) is { } message)
                    {
                        warn(message);
                    }
                }
                catch (KafkaException)
                {
                    // The broker is stopping or busy; the next round looks again.
                }
            }

            await Task.Delay(Interval, clock, stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}
