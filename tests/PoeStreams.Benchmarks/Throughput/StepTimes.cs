using System.Diagnostics;
using Confluent.Kafka;
using PoeStreams.LocalKafka;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// Samples the end offsets of some topics while a run goes on, to tell when each step of a pipeline
/// had written (nearly) all it wrote in the run: where the run's time went. One client reads the
/// watermarks for the whole run: the worker under measurement shares the process.
/// </summary>
public sealed class StepTimes : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch since = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, Dictionary<string, long> Ends)> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly IConsumer<byte[], byte[]> reader;
    private readonly Task sampling;

    private StepTimes(Arena arena, List<LocalTopic> topics)
    {
        reader = ThroughputHarness.WatermarkReader(arena);
        sampling = Task.Run(() => SampleAsync(topics));
    }

    /// <summary>Starts sampling <paramref name="topics"/> now; times are from now.</summary>
    public static StepTimes Start(Arena arena, IEnumerable<LocalTopic> topics) => new(arena, [.. topics]);

    /// <summary>
    /// When <paramref name="topic"/> had received 99% of the records it received from the start to the
    /// last sample (a trickle after the bulk, such as a progress mark, does not count); null if none.
    /// </summary>
    public TimeSpan? NearlyDone(string topic)
    {
        var first = samples[0].Ends[topic];
        var grown = samples[^1].Ends[topic] - first;
        return grown == 0 ? null : samples.First(s => s.Ends[topic] - first >= grown * 0.99).At;
    }

    /// <summary>Takes a last sample and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        reader.Dispose();
        stop.Dispose();
    }

    private async Task SampleAsync(List<LocalTopic> topics)
    {
        samples.Add((since.Elapsed, ThroughputHarness.Written(reader, topics)));
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(Interval).ContinueWith(_ => { }, TaskScheduler.Default);
            samples.Add((since.Elapsed, ThroughputHarness.Written(reader, topics)));
        }
    }
}
