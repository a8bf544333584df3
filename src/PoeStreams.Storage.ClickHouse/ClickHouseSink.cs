using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Prometheus;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>How the sink batches.</summary>
public sealed record SinkOptions
{
    public string BootstrapServers { get; init; } = "127.0.0.1:9092";

    public string GroupId { get; init; } = "poe-clickhouse-sink";

    /// <summary>Rows buffered before an insert (over all tables).</summary>
    public int BatchRows { get; init; } = 50_000;

    /// <summary>The longest a row waits before its batch is inserted.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int SessionTimeoutMs { get; init; } = 10_000;
}

/// <summary>
/// Copies the product's topics into ClickHouse with its own consumer group. Rows are batched (size and
/// time bounded) and inserted with the binary protocol; Kafka offsets are committed only after the
/// insert succeeded. While ClickHouse is down or slow, the sink pauses its partitions and retries with
/// backoff, so nothing is skipped and memory stays bounded by one batch. A partition without a
/// committed offset is read from its beginning; one whose committed offset the broker's retention has
/// passed ends the sink with <see cref="RecordsLostException"/> instead of skipping ahead.
/// </summary>
public sealed class ClickHouseSink(ClickHouseStore store, SinkOptions options, ISchemaRegistryClient registry, TimeProvider clock, ILogger logger, CollectorRegistry? metrics = null)
{
    private readonly RowMapper mapper = new(registry);
    private readonly Gauge waiting = Metrics.WithCustomRegistry(metrics ?? Metrics.NewCustomRegistry())
        .CreateGauge("poe_clickhouse_sink_waiting", "1 while the sink waits for ClickHouse to accept a batch.");
    private readonly Counter rowsWritten = Metrics.WithCustomRegistry(metrics ?? Metrics.NewCustomRegistry())
        .CreateCounter("poe_clickhouse_rows_written_total", "Rows inserted into ClickHouse.", "table");

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await Migrations.ApplyAsync(store, clock, stoppingToken).ConfigureAwait(false);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.GroupId,
            AutoOffsetReset = AutoOffsetReset.Error,
            EnableAutoCommit = false,
            SessionTimeoutMs = options.SessionTimeoutMs,
        }).SetPartitionsAssignedHandler(FromCommittedOrBeginning).Build();
        consumer.Subscribe(RowMapper.Topics);
        var batch = new Dictionary<Table, List<object?[]>>();
        var rows = 0;
        var offsets = new Dictionary<TopicPartition, TopicPartitionOffset>();
        var batchStarted = clock.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var record = ConsumeOrStop(consumer);
                if (record is not null)
                {
                    if (rows == 0)
                    {
                        batchStarted = clock.GetUtcNow();
                    }

                    offsets[record.TopicPartition] = new TopicPartitionOffset(record.TopicPartition, record.Offset + 1);
                    if (mapper.Map(record) is { } mapped)
                    {
                        (batch.TryGetValue(mapped.Table, out var list) ? list : batch[mapped.Table] = []).Add(mapped.Row);
                        rows++;
                    }
                }

                if (offsets.Count > 0 && (rows >= options.BatchRows || clock.GetUtcNow() - batchStarted >= options.FlushInterval))
                {
                    await FlushAsync(consumer, batch, stoppingToken).ConfigureAwait(false);
                    consumer.Commit(offsets.Values);
                    batch.Clear();
                    offsets.Clear();
                    rows = 0;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Uncommitted rows are simply read again by the next run: the tables deduplicate them.
            consumer.Close();
        }
    }

    // Without a committed offset the sink starts at the beginning; with one, there. Only a committed
    // offset below the log start can then make the consumer reset, which AutoOffsetReset.Error reports.
    private static IEnumerable<TopicPartitionOffset> FromCommittedOrBeginning(IConsumer<string, byte[]> consumer, List<TopicPartition> partitions) =>
        consumer.Committed(partitions, TimeSpan.FromSeconds(10))
            .Select(c => c.Offset.Value >= 0 ? c : new TopicPartitionOffset(c.TopicPartition, Offset.Beginning));

    private static ConsumeResult<string, byte[]>? ConsumeOrStop(IConsumer<string, byte[]> consumer)
    {
        try
        {
            return consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
        catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
        {
            throw new RecordsLostException($"{e.ConsumerRecord?.TopicPartition}: the broker deleted records the ClickHouse sink had not read ({e.Error.Reason})");
        }
    }

    private async Task FlushAsync(IConsumer<string, byte[]> consumer, Dictionary<Table, List<object?[]>> batch, CancellationToken stoppingToken)
    {
        var paused = false;
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(10),
                UseJitter = true,
                OnRetry = args =>
                {
                    if (!paused)
                    {
                        // Keep the group membership alive without taking more records in.
                        consumer.Pause(consumer.Assignment);
                        paused = true;
                    }

                    consumer.Consume(TimeSpan.Zero);
                    waiting.Set(1);
                    logger.LogWarning("ClickHouse insert failed ({Reason}); waiting {Delay} before retry {Attempt}", args.Outcome.Exception?.Message, args.RetryDelay, args.AttemptNumber + 1);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        await retry.ExecuteAsync(
            async token =>
            {
                foreach (var (table, rows) in batch)
                {
                    await store.InsertAsync(table.Name, table.Columns, rows, token).ConfigureAwait(false);
                }
            },
            stoppingToken).ConfigureAwait(false);
        foreach (var (table, rows) in batch)
        {
            rowsWritten.WithLabels(table.Name).Inc(rows.Count);
        }

        if (paused)
        {
            consumer.Resume(consumer.Assignment);
            waiting.Set(0);
            logger.LogInformation("ClickHouse accepts inserts again");
        }
    }
}

/// <summary>Records were deleted by the broker's retention before they were read; going on would skip them silently.</summary>
public sealed class RecordsLostException(string message) : Exception(message);
