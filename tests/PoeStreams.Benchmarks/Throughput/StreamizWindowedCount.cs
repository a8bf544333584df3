using System.Buffers.Binary;
using System.Text;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;
using Streamiz.Kafka.Net.Stream;
using Streamiz.Kafka.Net.Table;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// The peer: a minimal Streamiz application over the same five input topics, the same partitions and
/// the same at-least-once settings: a count per key and five-minute tumbling window, each update written
/// to its own topic. Its run ends when the latest counts of its output add up to every input record.
/// </summary>
public static class StreamizWindowedCount
{
    public const string OutputTopic = "bench.window-counts";

    public static async Task<ContestResult> RunAsync(Arena arena)
    {
        var builder = new StreamBuilder();
        PoeTopics.Inputs
            .Select(topic => builder.Stream<byte[], byte[]>(topic, new ByteArraySerDes(), new ByteArraySerDes()))
            .Aggregate((merged, next) => merged.Merge(next))
            .GroupByKey()
            .WindowedBy(TumblingWindowOptions.Of(TimeSpan.FromMinutes(5)))
            .Count(InMemoryWindows.As<byte[], long>("bench-window-counts").WithLoggingDisabled())
            .ToStream()
            .SelectKey((window, _, _) => $"{Convert.ToHexString(window.Key)}@{window.Window.StartMs}")
            .To(OutputTopic, new StringSerDes(), new Int64SerDes());
        var config = new StreamConfig<ByteArraySerDes, ByteArraySerDes>
        {
            ApplicationId = "bench-streamiz-window-count",
            BootstrapServers = arena.BootstrapServers,
            Guarantee = ProcessingGuarantee.AT_LEAST_ONCE,
            AutoOffsetReset = Confluent.Kafka.AutoOffsetReset.Earliest,
            StateDir = Path.Combine(Path.GetTempPath(), $"poe-bench-peer-{Environment.ProcessId}"),
        };

        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        long counted = 0;
        var meter = ProcessMeter.Start();
        var stream = new KafkaStream(builder.Build(), config);
        await stream.StartAsync();
        bool complete;
        using (var watch = new OutputWatch(arena, [OutputTopic], record =>
        {
            var key = Encoding.UTF8.GetString(record.Message.Key);
            var count = BinaryPrimitives.ReadInt64LittleEndian(record.Message.Value);
            counted += count - latest.GetValueOrDefault(key);
            latest[key] = count;
        }))
        {
            complete = await Task.Run(() => watch.Until(() => counted >= arena.Load.Records));
        }

        var cost = meter.Stop();
        stream.Dispose();

        var failures = complete ? [] : new List<string> { $"timed out after {arena.Timeout}: counted {counted:N0} of {arena.Load.Records:N0}" };
        return new ContestResult("minimal Streamiz windowed count", arena.Load.Records, cost, $"latest window counts add up to {counted:N0}", failures);
    }
}
