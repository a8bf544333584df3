using Confluent.Kafka;
using PoeStreams.Contracts;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// The floor: Confluent.Kafka's consumer and producer, one hop from the five input topics to one output
/// topic, no processing. Its run ends when the broker has acknowledged a copy of every input record.
/// </summary>
public static class RawOneHop
{
    public const string OutputTopic = "bench.one-hop";

    public static Task<ContestResult> RunAsync(Arena arena) => Task.Run(() =>
    {
        long delivered = 0;
        long failed = 0;
        var meter = ProcessMeter.Start();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = arena.BootstrapServers,
            GroupId = "bench-one-hop",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = arena.BootstrapServers }).Build();
        consumer.Subscribe(PoeTopics.Inputs);
        var deadline = DateTime.UtcNow + arena.Timeout;
        var total = arena.Load.Records;
        while (Interlocked.Read(ref delivered) + Interlocked.Read(ref failed) < total && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } record)
            {
                producer.Produce(
                    new TopicPartition(OutputTopic, record.Partition),
                    new Message<byte[], byte[]> { Key = record.Message.Key, Value = record.Message.Value, Timestamp = record.Message.Timestamp },
                    report => Interlocked.Increment(ref report.Error.IsError ? ref failed : ref delivered));
            }
            else
            {
                producer.Poll(TimeSpan.Zero);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        var cost = meter.Stop();
        consumer.Close();
        var failures = new List<string>();
        if (delivered < total)
        {
            failures.Add($"{delivered:N0} of {total:N0} copies acknowledged, {failed:N0} refused");
        }

        return new ContestResult("Confluent.Kafka consume + produce, one hop", total, cost, $"{delivered:N0} copies acknowledged", failures);
    });
}
