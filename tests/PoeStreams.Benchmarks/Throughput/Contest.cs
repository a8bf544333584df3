using Confluent.Kafka;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>What one contestant did with the load: its cost, what it accounted for, and why its run does not count, if it does not.</summary>
public sealed record ContestResult(string Name, long Records, RunCost Cost, string Accounted, IReadOnlyList<string> Failures)
{
    public double RecordsPerSecond => Records / Cost.Elapsed.TotalSeconds;

    public double CpuMicrosecondsPerRecord => Cost.Cpu.TotalMicroseconds / Records;
}

/// <summary>What a contestant must account for: every record, one fee split per verified job, a manifest per epoch.</summary>
public sealed record LoadExpectations(int Records, int VerifiedJobs, IReadOnlyList<string> EpochIds, DateTimeOffset ClosedAt);

/// <summary>The broker and load every contestant of one run shares.</summary>
public sealed record Arena(string BootstrapServers, string SchemaRegistryUrl, LoadExpectations Load, int Partitions, TimeSpan Timeout);

/// <summary>
/// Follows output topics from their beginning on a thread of its own, feeding every record to a
/// reader; <see cref="Until"/> waits for a condition over what was read (reader and condition never run at once).
/// </summary>
public sealed class OutputWatch : IDisposable
{
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Thread following;
    private readonly Arena arena;

    public OutputWatch(Arena arena, IEnumerable<string> topics, Action<ConsumeResult<byte[], byte[]>> read)
    {
        this.arena = arena;
        var assignment = topics.SelectMany(topic => Enumerable.Range(0, arena.Partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))).ToList();
        following = new Thread(() => Follow(assignment, read)) { IsBackground = true, Name = "bench-output-watch" };
        following.Start();
    }

    /// <summary>Waits until <paramref name="done"/> holds or the arena's timeout passes; says whether it held.</summary>
    public bool Until(Func<bool> done)
    {
        var deadline = DateTime.UtcNow + arena.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (gate)
            {
                if (done())
                {
                    return true;
                }
            }

            Thread.Sleep(10);
        }

        return false;
    }

    public void Dispose()
    {
        stopping.Cancel();
        following.Join();
        stopping.Dispose();
    }

    private void Follow(List<TopicPartitionOffset> assignment, Action<ConsumeResult<byte[], byte[]>> read)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = arena.BootstrapServers,
            GroupId = "bench-output-watch",
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(assignment);
        while (!stopping.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                lock (gate)
                {
                    read(result);
                }
            }
        }
    }
}
