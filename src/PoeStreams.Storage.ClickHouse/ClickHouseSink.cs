using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
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
/// <para>
/// One row can never stall it: an insert ClickHouse refuses for its data (<see cref="InsertRefusal"/>)
/// is split in halves down to the rows it refuses, which go to poe.dead-letters as <c>sink-rejected</c>
/// with the reason and the record's bytes, while the rest is inserted; the offsets are committed once
/// both the rows and the dead letters are stored.
/// </para>
/// </summary>
public sealed class ClickHouseSink(ClickHouseStore store, SinkOptions options, ISchemaRegistryClient registry, TimeProvider clock, ILogger logger, CollectorRegistry? metrics = null)
{
    private readonly RowMapper mapper = new(registry);
    private readonly Gauge waiting = Metrics.WithCustomRegistry(metrics ?? Metrics.NewCustomRegistry())
        .CreateGauge("poe_clickhouse_sink_waiting", "1 while the sink waits for ClickHouse to accept a batch.");
    private readonly Counter rowsWritten = Metrics.WithCustomRegistry(metrics ?? Metrics.NewCustomRegistry())
        .CreateCounter("poe_clickhouse_rows_written_total", "Rows inserted into ClickHouse.", "table");
    private readonly Counter rowsRejected = Metrics.WithCustomRegistry(metrics ?? Metrics.NewCustomRegistry())
        .CreateCounter("poe_clickhouse_rows_rejected_total", "Rows ClickHouse refused for their data (sent to poe.dead-letters as sink-rejected).", "table");
    private readonly AvroCodec<DeadLetter> letters = new(registry);

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
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
        }).Build();
        consumer.Subscribe(RowMapper.Topics);
        var batch = new Dictionary<Table, List<SinkRow>>();
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
                        (batch.TryGetValue(mapped.Table, out var list) ? list : batch[mapped.Table] = []).Add(new SinkRow(mapped.Row, record));
                        rows++;
                    }
                }

                if (offsets.Count > 0 && (rows >= options.BatchRows || clock.GetUtcNow() - batchStarted >= options.FlushInterval))
                {
                    await FlushAsync(consumer, producer, batch, stoppingToken).ConfigureAwait(false);
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

    private async Task FlushAsync(IConsumer<string, byte[]> consumer, IProducer<string, byte[]> producer, Dictionary<Table, List<SinkRow>> batch, CancellationToken stoppingToken)
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
        var refused = await retry.ExecuteAsync(
            async token =>
            {
                var refused = new List<(Table Table, SinkRow Row, string Reason)>();
                foreach (var (table, rows) in batch)
                {
                    await InsertOrSplitAsync(table, rows, refused, token).ConfigureAwait(false);
                }

                DeadLetter(producer, refused);
                return refused;
            },
            stoppingToken).ConfigureAwait(false);
        foreach (var (table, rows) in batch)
        {
            var rejected = refused.Count(r => r.Table == table);
            rowsWritten.WithLabels(table.Name).Inc(rows.Count - rejected);
            rowsRejected.WithLabels(table.Name).Inc(rejected);
        }

        foreach (var (table, row, reason) in refused)
        {
            var source = row.Source;
            logger.LogError(
                "ClickHouse refused the row of {Table} from {Topic}/{Partition}@{Offset} ({Reason}); {Outcome}",
                table.Name,
                source.Topic,
                source.Partition.Value,
                source.Offset.Value,
                reason,
                source.Topic == PoeTopics.DeadLetters ? "it stays in poe.dead-letters, not in the history" : "sent to poe.dead-letters as sink-rejected");
        }

        if (paused)
        {
            consumer.Resume(consumer.Assignment);
            waiting.Set(0);
            logger.LogInformation("ClickHouse accepts inserts again");
        }
    }

    // An insert refused for its data is split in halves until the refused rows stand alone; a transient
    // failure goes up to the retry, which inserts the whole batch again (the tables deduplicate).
    private async Task InsertOrSplitAsync(Table table, IReadOnlyList<SinkRow> rows, List<(Table, SinkRow, string)> refused, CancellationToken token)
    {
        try
        {
            await store.InsertAsync(table.Name, table.Columns, [.. rows.Select(r => r.Values)], token).ConfigureAwait(false);
        }
        catch (Exception e) when (InsertRefusal.IsForData(e))
        {
            if (rows.Count == 1)
            {
                refused.Add((table, rows[0], InsertRefusal.Reason(e)));
                return;
            }

            var half = rows.Count / 2;
            await InsertOrSplitAsync(table, rows.Take(half).ToList(), refused, token).ConfigureAwait(false);
            await InsertOrSplitAsync(table, rows.Skip(half).ToList(), refused, token).ConfigureAwait(false);
        }
    }

    // The refused rows' records go to poe.dead-letters and are acknowledged before the offsets are
    // committed; one that fails fails the attempt, which is retried. A refused dead letter is not sent
    // again (it would come back to this sink): it stays in poe.dead-letters and is logged.
    private void DeadLetter(IProducer<string, byte[]> producer, List<(Table Table, SinkRow Row, string Reason)> refused)
    {
        var failures = 0;
        foreach (var (table, row, reason) in refused.Where(r => r.Row.Source.Topic != PoeTopics.DeadLetters))
        {
            var source = row.Source;
            var timestamp = source.Message.Timestamp.UnixTimestampMs;
            var letter = Contracts.DeadLetter.Of(
                source.Topic, source.Partition.Value, source.Offset.Value, timestamp, source.Message.Key is { } key ? System.Text.Encoding.UTF8.GetBytes(key) : null, source.Message.Value,
                DeadLetterReasons.SinkRejected,
                $"ClickHouse refused the row for table {table.Name}: {reason}");
            producer.Produce(
                PoeTopics.DeadLetters,
                new Message<string, byte[]> { Key = source.Topic, Value = letters.Serialize(letter, PoeTopics.DeadLetters), Timestamp = new Timestamp(timestamp, TimestampType.CreateTime) },
                report => { if (report.Error.IsError) { Interlocked.Increment(ref failures); } });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        if (failures > 0 || producer.Flush(TimeSpan.Zero) > 0)
        {
            throw new KafkaException(new Error(ErrorCode.Local_MsgTimedOut, $"{failures} sink-rejected dead letters were not acknowledged"));
        }
    }
}

/// <summary>A row waiting for its insert, with the record it came from (whose bytes a refusal dead-letters).</summary>
internal sealed record SinkRow(object?[] Values, ConsumeResult<string, byte[]> Source);

/// <summary>Records were deleted by the broker's retention before they were read; going on would skip them silently.</summary>
public sealed class RecordsLostException(string message) : Exception(message);
