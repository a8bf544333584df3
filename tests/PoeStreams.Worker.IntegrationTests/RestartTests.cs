using PoeStreams.Contracts;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// Stopping the worker mid-stream and starting it again changes no output and loses no epoch. The run
/// crosses the end of November, so the restart comes after a month has closed (its salary report, and
/// its hash at the head of the chain, are in the restored state). After the restart a phase-1 job id
/// comes again under another miner: the restored claims refuse it.
/// </summary>
public class RestartTests
{
    private const int Partitions = 4;
    private const int GraceSeconds = 120;
    private static readonly DateTimeOffset B = new(2026, 11, 30, 23, 50, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string[] Compared = [PoeTopics.JobFees, PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.OwnerSalary];

    [Fact]
    public async Task A_restarted_worker_produces_what_an_uninterrupted_one_does()
    {
        var (uninterrupted, uninterruptedDuplicates) = await RunAsync(restartBetweenPhases: false);
        var (restarted, restartedDuplicates) = await RunAsync(restartBetweenPhases: true);

        Assert.Equal(["j0"], uninterruptedDuplicates);
        Assert.Equal(["j0"], restartedDuplicates);
        Assert.Equal(["2026-11-30T23:50:00Z", "2026-11-30T23:55:00Z", "2026-12-01T00:00:00Z", "2026-12-01T00:05:00Z"], uninterrupted[PoeTopics.RewardManifests].Keys);
        Assert.Equal(["2026-11"], uninterrupted[PoeTopics.OwnerSalary].Keys);
        foreach (var topic in Compared)
        {
            Assert.Equal(uninterrupted[topic].Keys, restarted[topic].Keys);
            Assert.True(uninterrupted[topic].SequenceEqual(restarted[topic]), $"{topic} differs after the restart");
        }
    }

    // The outputs, and the job ids dead-lettered as duplicates.
    private static async Task<(Dictionary<string, SortedDictionary<string, string>> Outputs, List<string> Duplicates)> RunAsync(bool restartBetweenPhases)
    {
        await using var cluster = await PoeCluster.StartAsync(GraceSeconds, Partitions);
        await cluster.StartWorkerAsync();
        using var outputs = cluster.Outputs([PoeTopics.Sequenced, PoeTopics.JobClaims, PoeTopics.DeadLetters, .. Compared]);

        for (var m = 0; m < 5; m++)
        {
            cluster.Produce(PoeTopics.Miners, $"m{m}", Inputs.Miner($"m{m}", (JobType)(m * 2), B), B);
        }

        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.Sequenced) >= 5, Timeout, "the registrations to be sequenced");

        // Phase 1: epochs 23:50 and 23:55 (the last of November), then records past 23:55 + grace in every input partition.
        ProducePhase(cluster, firstJob: 0, B);
        outputs.WaitUntil(o => o.Count(PoeTopics.JobClaims) >= 20 && o.Count(PoeTopics.Sequenced) >= 5 + 2, Timeout, "phase 1 to be read");
        cluster.ProduceClosers(B.AddMinutes(10).AddSeconds(GraceSeconds + 1));
        outputs.WaitUntil(
            o => o.Keys(PoeTopics.RewardManifests).Contains("2026-11-30T23:55:00Z") && o.Keys(PoeTopics.OwnerSalary).Contains("2026-11"),
            Timeout,
            "the 23:55 manifest and November's salary report");

        if (restartBetweenPhases)
        {
            await cluster.StopWorkerAsync();
            await cluster.StartWorkerAsync();
        }

        // Phase 2: epochs 00:00 and 00:05 of December; their rewards depend on reputation and supply from phase 1.
        ProducePhase(cluster, firstJob: 20, B.AddMinutes(10));
        var again = Inputs.Job("j0", "m1", 5m, 0.5m, B.AddMinutes(10).AddSeconds(2));
        cluster.Produce(PoeTopics.Jobs, "m1", again, B.AddMinutes(10).AddSeconds(2));
        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.JobClaims) >= 20 + 21, Timeout, "phase 2 to be read");
        cluster.ProduceClosers(B.AddMinutes(20).AddSeconds(GraceSeconds + 1));
        // Every miner is active in every epoch: 4 epochs × 5 rewards, 4 × 4 mints, 40 fee splits.
        outputs.WaitUntil(
            o => o.Keys(PoeTopics.RewardManifests).Distinct().Count() == 4
                && o.Keys(PoeTopics.Index).Distinct().Count() == 4
                && o.Keys(PoeTopics.Rewards).Distinct().Count() == 20
                && o.Keys(PoeTopics.Mints).Distinct().Count() == 16
                && o.Keys(PoeTopics.JobFees).Distinct().Count() == 40,
            Timeout,
            "every output of the four epochs");

        outputs.WaitUntil(o => o.Count(PoeTopics.DeadLetters) >= 1, Timeout, "the duplicate to be dead-lettered");
        var duplicates = outputs.Read<DeadLetter>(PoeTopics.DeadLetters).Select(r => r.Value).Where(d => d.reason == "duplicate-job").Select(d => d.detail.Split(' ')[1]).ToList();
        return (Compared.ToDictionary(topic => topic, outputs.Latest), duplicates);
    }

    // Twenty jobs over two epochs from five miners, and an uptime sample in each epoch.
    private static void ProducePhase(PoeCluster cluster, int firstJob, DateTimeOffset start)
    {
        for (var i = 0; i < 20; i++)
        {
            var at = start.AddMinutes(i < 10 ? 0 : 5).AddSeconds(5 + (10 * (i % 10)));
            var miner = $"m{i % 5}";
            var job = Inputs.Job($"j{firstJob + i}", miner, 1_000m * (i + 1), (i % 10) / 10m, at, (JobType)(i % 10));
            cluster.Produce(PoeTopics.Jobs, miner, job, at);
        }

        cluster.Produce(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 0.9m, start.AddSeconds(1)), start.AddSeconds(1));
        cluster.Produce(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 0.8m, start.AddMinutes(5).AddSeconds(1)), start.AddMinutes(5).AddSeconds(1));
        cluster.Flush();
    }
}
