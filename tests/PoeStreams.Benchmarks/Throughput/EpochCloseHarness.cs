using System.Diagnostics;
using System.Globalization;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;

namespace PoeStreams.Benchmarks.Throughput;

/// <summary>
/// Epoch close at scale: one epoch with a given number of active miners, each with one verified job.
/// Once the worker has read every job into its claim stage (where jobs wait for their epoch to close,
/// so that one copy per job id is accepted whatever the order), the closers arrive, as they would at the
/// epoch's end plus grace; the harness measures how long the reward manifest takes after that: the claim
/// decision, stage 1 applying and scoring every job, stage 2. The worker's wall clock is frozen, so
/// nothing but the closers closes the epoch.
/// </summary>
public static class EpochCloseHarness
{
    // Each step of the close, by the topic it writes: sampled every 250 ms, so each time is up to that late.
    private static readonly (string Name, string Topic)[] Steps =
    [
        ("claims decided", PoeTopics.Sequenced),
        ("stage 1 applied", PoeTopics.JobFees),
        ("stage 1 scored", PoeTopics.EpochPartials),
        ("stage 2 rewarded", PoeTopics.Rewards),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<int> minerCounts, int partitions)
    {
        Console.WriteLine("| active miners in the epoch | manifest published after end + grace | CPU | peak RSS | each step 99% written, after end + grace | |");
        Console.WriteLine("|---:|---:|---:|---:|---|---|");
        var failures = 0;
        foreach (var miners in minerCounts)
        {
            failures += await MeasureAsync(miners, partitions) ? 0 : 1;
        }

        return failures == 0 ? 0 : 1;
    }

    private static async Task<bool> MeasureAsync(int miners, int partitions)
    {
        await using var schemaRegistry = LocalSchemaRegistry.WithCatalog(port: 0);
        using var registry = SchemaRegistryClients.Connect(schemaRegistry.Url);
        var load = ThroughputLoad.OneEpoch(miners, partitions, registry);
        var topics = ThroughputHarness.WorkerTopics(partitions);
        await using var broker = LocalKafkaCluster.Start(topics, port: 0);
        var arena = new Arena(broker.BootstrapServers, schemaRegistry.Url, load.Expectations, partitions, TimeSpan.FromMinutes(30));
        ThroughputHarness.Produce(arena, load.Work);
        await using var worker = await WorkerUnderTest.StartAsync(arena, WorkerUnderTest.FrozenAfter(arena.Load));
        var applied = await worker.CommittedAllAsync(PoeTopics.Jobs) && await worker.CommittedAllAsync(PoeTopics.JobClaims);

        var meter = ProcessMeter.Start();
        var close = Stopwatch.StartNew();
        var stepTimes = StepTimes.Start(arena, topics.Where(t => Steps.Any(step => step.Topic == t.Name)));
        ThroughputHarness.Produce(arena, load.Closers);
        var published = applied && await Task.Run(() => worker.Until(w => w.FeeSplits >= miners && w.HasPublished(load.EpochIds)));
        close.Stop();
        await stepTimes.DisposeAsync();
        var cost = meter.Stop();
        var steps = string.Join(", ", Steps.Select(step => $"{step.Name} {stepTimes.NearlyDone(step.Topic)?.TotalSeconds:F1} s"));
        var problems = ThroughputHarness.Truncated(arena, topics);
        if (!applied || !published)
        {
            problems.Insert(0, $"timed out: {(applied ? "every job read" : "jobs not all read")}, {worker.FeeSplits:N0} of {miners:N0} fee splits, manifest {(published ? "published" : "not published")}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {miners:N0} | {close.Elapsed.TotalSeconds:F1} s | {cost.Cpu.TotalSeconds:F1} s | {cost.PeakResidentBytes / (1024 * 1024):N0} MB | {steps} | {(problems.Count == 0 ? "" : "FAILED " + string.Join("; ", problems))} |"));
        return problems.Count == 0;
    }
}
