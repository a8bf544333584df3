using Confluent.Kafka;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>What one contestant did with the load: its cost, what it accounted for, and why its run does not count, if it does not.</summary>
public sealed record ContestResult(string Name, long Records, RunCost Cost, string Accounted, IReadOnlyList<string> Failures)
{
    public double RecordsPerSecond => Records / Cost.Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerRecord => Cost.Cpu.TotalMicroseconds / Records;
}

/// <summary>The broker and load every contestant of one run shares.</summary>
public sealed record Arena(string BootstrapServers, ThroughputLoad Load, int Partitions, TimeSpan Timeout);

/// <summary>Reads output topics from their beginning until a condition over everything read so far holds.</summary>
public static class OutputWatch
{
    /// <summary>Feeds every record of <paramref name="topics"/> to <paramref name="read"/> until <paramref name="done"/> or the timeout; says whether it got there.</summary>
    public static bool Until(Arena arena, IEnumerable<string> topics, Action<ConsumeResult<byte[], byte[]>> read, Func<bool> done)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = arena.BootstrapServers,
            GroupId = "bench-output-watch",
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        }).Build();
        consumer.Assign(topics.SelectMany(topic => Enumerable.Range(0, arena.Partitions)
            .Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))));
        var deadline = DateTime.UtcNow + arena.Timeout;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                read(result);
            }
        }

        return true;
    }
}
