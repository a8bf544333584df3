using System.Diagnostics;
using Confluent.Kafka;

namespace PoeStreams.Testing;

/// <summary>Reads the keys of a topic from the beginning, with a consumer group of its own.</summary>
public static class TopicKeys
{
    /// <summary>Consumes until <paramref name="expected"/> keys arrived or 30 s passed; returns what arrived.</summary>
    public static List<string> Read(string bootstrapServers, string topic, int expected)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"t-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var keys = new List<string>();
        var elapsed = Stopwatch.StartNew();
        while (keys.Count < expected && elapsed.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } record)
            {
                keys.Add(record.Message.Key);
            }
        }

        consumer.Close();
        return keys;
    }
}
