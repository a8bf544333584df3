using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// A load harness (not BenchmarkDotNet: the worker is a long-running service). This process holds the
/// local broker and a seeded backfill of valid work; three contestants read it one after another, each
/// in a process of its own (so none inherits another's compiled code, and each one's CPU time and peak
/// memory are its own, without the broker's): the PoeStreams worker, a minimal Streamiz application and
/// the raw client's one hop. A contestant's run counts only when its effect on every record is in its
/// outputs; the harness fails when a run does not count or the broker deleted any record (the local
/// broker keeps 5 MiB per partition).
/// </summary>
public static class ThroughputHarness
{
    public static async Task<int> RunAsync(int records, int partitions, int epochs, int miners, TimeSpan roundTrip = default)
    {
        await using var schemaRegistry = LocalSchemaRegistry.WithCatalog(port: 0);
        using var registry = SchemaRegistryClients.Connect(schemaRegistry.Url);
        var load = ThroughputLoad.Generate(records, epochs, miners, partitions, registry);
        var topics = WorkerTopics(partitions)
            .Append(new LocalTopic(StreamizWindowedCount.OutputTopic, partitions))
            .Append(new LocalTopic(RawOneHop.OutputTopic, partitions))
            .ToList();
        await using var broker = LocalKafkaCluster.Start(topics, port: 0, roundTrip: roundTrip);
        var arena = new Arena(broker.BootstrapServers, schemaRegistry.Url, load.Expectations, partitions, TimeSpan.FromMinutes(30));
        var produced = Produce(arena, load.Records);
        if (Truncated(arena, topics.Where(t => PoeTopics.Inputs.Contains(t.Name))) is [_, ..] lost)
        {
            Console.WriteLine($"FAILED before any contestant ran: {lost[0]} (it keeps {LocalKafkaCluster.LimitsDescription}); use more partitions");
            return 1;
        }

        var results = new List<ContestResult>();
        foreach (var contestant in Contestants.Keys)
        {
            results.Add(await InOwnProcessAsync(contestant, arena));
        }

        var truncated = Truncated(arena, topics);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Load: {load.Records.Count:N0} records ({load.VerifiedJobs:N0} verified jobs, {miners:N0} miners, {epochs} epochs, {partitions} partitions), produced in {produced.TotalSeconds:F1} s; {Environment.ProcessorCount} cores, {RuntimeInformationText()}"));
        Console.WriteLine();
        Console.WriteLine("| contestant | records/s | CPU µs/record | peak RSS | worker ÷ contestant (records/s) | accounted for |");
        Console.WriteLine("|---|---:|---:|---:|---:|---|");
        foreach (var result in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Name} | {result.RecordsPerSecond:N0} | {result.CpuMicrosecondsPerRecord:N0} | {result.Cost.PeakResidentBytes / (1024 * 1024):N0} MB | {results[0].RecordsPerSecond / result.RecordsPerSecond:F2} | {result.Accounted} |"));
        }

        var written = Written(arena, topics.Where(t => !PoeTopics.Inputs.Contains(t.Name) && !t.Name.StartsWith("bench.", StringComparison.Ordinal)));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"The worker wrote {written.Values.Sum() / (double)load.Records.Count:F2} records per input record: {string.Join(", ", written.Where(w => w.Value > 0).OrderByDescending(w => w.Value).Select(w => $"{w.Key} {w.Value / (double)load.Records.Count:F2}"))}; the peer 1, the raw hop 1."));
        var failures = results.SelectMany(r => r.Failures.Select(f => $"{r.Name}: {f}")).Concat(truncated).ToList();
        foreach (var failure in failures)
        {
            Console.WriteLine($"FAILED {failure}");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The contestants, in the order they run.</summary>
    public static readonly IReadOnlyDictionary<string, Func<Arena, Task<ContestResult>>> Contestants =
        new Dictionary<string, Func<Arena, Task<ContestResult>>>
        {
            ["worker"] = WorkerContestant.RunAsync,
            ["streamiz"] = StreamizWindowedCount.RunAsync,
            ["raw"] = RawOneHop.RunAsync,
        };

    private const string ResultPrefix = "RESULT ";

    /// <summary>The child side: runs one contestant against the parent's broker and prints its result as one line.</summary>
    public static async Task<int> RunContestantAsync(string name, string bootstrapServers, string schemaRegistryUrl, int partitions, LoadExpectations load)
    {
        var result = await Contestants[name](new Arena(bootstrapServers, schemaRegistryUrl, load, partitions, TimeSpan.FromMinutes(30)));
        Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>What a child must account for, from its arguments: records, verified jobs, the closers' time (Unix ms), the epoch ids.</summary>
    public static LoadExpectations ParseExpectations(IReadOnlyList<string> args) => new(
        int.Parse(args[0], CultureInfo.InvariantCulture),
        int.Parse(args[1], CultureInfo.InvariantCulture),
        args[3].Split(','),
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(args[2], CultureInfo.InvariantCulture)));

    private static async Task<ContestResult> InOwnProcessAsync(string name, Arena arena)
    {
        var self = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            self.ArgumentList.Add(typeof(ThroughputHarness).Assembly.Location);
        }

        foreach (var argument in new[]
        {
            "contestant", name, arena.BootstrapServers, arena.SchemaRegistryUrl, arena.Partitions.ToString(CultureInfo.InvariantCulture),
            arena.Load.Records.ToString(CultureInfo.InvariantCulture), arena.Load.VerifiedJobs.ToString(CultureInfo.InvariantCulture),
            arena.Load.ClosedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), string.Join(',', arena.Load.EpochIds),
        })
        {
            self.ArgumentList.Add(argument);
        }

        using var child = Process.Start(self)!;
        var errors = child.StandardError.ReadToEndAsync();
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        return line is null
            ? new ContestResult(name, arena.Load.Records, new RunCost(TimeSpan.Zero, TimeSpan.Zero, 0), "nothing", [$"the contestant's process ended with {child.ExitCode} and no result: {(await errors + output).Trim()}"])
            : JsonSerializer.Deserialize<ContestResult>(line[ResultPrefix.Length..])!;
    }

    /// <summary>Every topic the worker reads or writes, as the local broker creates them.</summary>
    public static List<LocalTopic> WorkerTopics(int partitions) =>
        TopicCatalog.For(partitions, WorkerUnderTest.ApplicationId)
            .Select(t => new LocalTopic(t.Name, t.Partitions))
            .ToList();

    /// <summary>Produces <paramref name="records"/> with Kafka's murmur2 partitioner and waits until the broker has them all.</summary>
    public static TimeSpan Produce(Arena arena, IEnumerable<LoadRecord> records)
    {
        var watch = Stopwatch.StartNew();
        var config = new ProducerConfig { BootstrapServers = arena.BootstrapServers, Partitioner = Partitioner.Murmur2Random, LingerMs = 20 };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        foreach (var record in records)
        {
            while (true)
            {
                try
                {
                    producer.Produce(record.Topic, new Message<byte[], byte[]> { Key = record.Key, Value = record.Value, Timestamp = new Timestamp(record.Timestamp, TimestampType.CreateTime) });
                    break;
                }
                catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        return watch.Elapsed;
    }

    // The local broker deletes the oldest records of a full partition without telling anyone, read or
    // not: a partition whose log no longer starts at 0 may have lost records before they were read.
    public static List<string> Truncated(Arena arena, IEnumerable<LocalTopic> topics)
    {
        using var reader = WatermarkReader(arena);
        return Watermarks(reader, topics)
            .Where(w => w.Offsets.Low.Value > 0)
            .Select(w => $"the local broker deleted the first {w.Offsets.Low.Value:N0} records of {w.Partition.Topic}[{w.Partition.Partition.Value}]")
            .ToList();
    }

    /// <summary>A client that only reads watermarks, for <see cref="Written(IConsumer{byte[], byte[]}, IEnumerable{LocalTopic})"/>; the caller disposes it.</summary>
    internal static IConsumer<byte[], byte[]> WatermarkReader(Arena arena) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = arena.BootstrapServers, GroupId = "bench-watermarks" }).Build();

    /// <summary>How many records each of <paramref name="topics"/> holds, over all its partitions.</summary>
    internal static Dictionary<string, long> Written(IConsumer<byte[], byte[]> reader, IEnumerable<LocalTopic> topics) =>
        Watermarks(reader, topics)
            .GroupBy(w => w.Partition.Topic)
            .ToDictionary(topic => topic.Key, topic => topic.Sum(w => w.Offsets.High.Value));

    private static Dictionary<string, long> Written(Arena arena, IEnumerable<LocalTopic> topics)
    {
        using var reader = WatermarkReader(arena);
        return Written(reader, topics);
    }

    private static List<(TopicPartition Partition, WatermarkOffsets Offsets)> Watermarks(IConsumer<byte[], byte[]> reader, IEnumerable<LocalTopic> topics) =>
        topics
            .SelectMany(topic => Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartition(topic.Name, p)))
            .Select(partition => (partition, reader.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10))))
            .ToList();

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
