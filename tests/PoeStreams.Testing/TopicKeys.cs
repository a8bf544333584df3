using System.Diagnostics;
using Confluent.Kafka;

namespace PoeStreams.Testing;

/// <summary>Reads the records of a topic from the beginning, with a consumer group of its own.</summary>
public static class TopicKeys
{
    /// <summary>Consumes until <paramref name="expected"/> keys arrived or 30 s passed; returns what arrived.</summary>
    public static List<string> Read(string bootstrapServers, string topic, int expected) =>
        [.. Records(bootstrapServers, topic, read => read.Count >= expected).Select(r => r.Key)];

    /// <summary>Consumes until what arrived is <paramref name="enough"/> or 30 s passed; returns the records' keys and values.</summary>
    public static List<(string Key, byte[] Value)> Records(string bootstrapServers, string topic, Func<IReadOnlyList<(string Key, byte[] Value)>, bool> enough)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"t-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var records = new List<(string Key, byte[] Value)>();
        var elapsed = Stopwatch.StartNew();
        while (!enough(records) && elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                records.Add((record.Message.Key, record.Message.Value));
            }
        }

        consumer.Close();
        return records;
    }
}
