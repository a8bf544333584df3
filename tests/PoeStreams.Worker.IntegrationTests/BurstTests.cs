using PoeStreams.Contracts;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// SPEC §9 over the wire (4 partitions): a scenario of three epochs with every input topic produced as
/// one burst gives the same outputs whether the topics come in event-time order or one after another
/// (registrations last), when it was all produced before the worker started (a backfill), and when a
/// second worker joins and leaves mid-run, and when the worker replaces a stream whose thread is stuck in
/// a rebalance; nothing valid is dead-lettered in any of them.
/// </summary>
public class BurstTests
{
    private const int GraceSeconds = 120;
    private static readonly DateTimeOffset B = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Compared = [PoeTopics.JobFees, PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints];

    [Fact]
    public async Task A_burst_gives_the_same_outputs_whatever_order_the_topics_arrive_in()
    {
        var scenario = Scenarios.ThreeEpochs(B, withRejections: false);

        var inEventTimeOrder = await RunAsync(scenario);
        var topicByTopic = await RunAsync(Scenarios.TopicByTopic(scenario));

        Assert.Equal(["2026-11-20T12:00:00Z", "2026-11-20T12:05:00Z", "2026-11-20T12:10:00Z"], inEventTimeOrder.Epochs);
        Assert.Equal(90, inEventTimeOrder.Outputs[PoeTopics.JobFees].Count);
        foreach (var topic in Compared)
        {
            var differing = inEventTimeOrder.Outputs[topic].Keys.Union(topicByTopic.Outputs[topic].Keys)
                .Where(key => inEventTimeOrder.Outputs[topic].GetValueOrDefault(key) != topicByTopic.Outputs[topic].GetValueOrDefault(key))
                .ToList();
            Assert.True(differing.Count == 0, $"{topic} differs between the two orders at {string.Join(", ", differing)}");
        }

        // Only the closing records' jobs of unknown miners: no valid record is late or without its miner.
        Assert.All(inEventTimeOrder.DeadLetters.Concat(topicByTopic.DeadLetters), d => Assert.Equal("unknown-miner", d.reason));
    }

    [Fact]
    public async Task A_backfill_produced_before_the_worker_starts_gives_the_outputs_of_the_live_run()
    {
        var scenario = Scenarios.ThreeEpochs(B, withRejections: false);

        var live = await RunAsync(scenario);
        var backfill = await RunAsync(scenario, producedBeforeStart: true);

        foreach (var topic in Compared)
        {
            Assert.True(live.Outputs[topic].SequenceEqual(backfill.Outputs[topic]), $"{topic} differs between the live run and the backfill");
        }

        Assert.All(backfill.DeadLetters, d => Assert.Equal("unknown-miner", d.reason));
    }

    [Fact]
    public async Task A_second_worker_joining_and_leaving_mid_run_changes_nothing()
    {
        var scenario = Scenarios.ThreeEpochs(B, withRejections: false);
        var alone = await RunAsync(scenario);

        // A second instance joins after a third of the records and leaves after two thirds: tasks move
        // twice with their state, and records are read again (state restored ahead of committed offsets).
        // Each move is waited for, so the tasks really move whatever the machine's speed.
        Microsoft.Extensions.Hosting.IHost? second = null;
        var rebalanced = await RunAsync(scenario, async (cluster, produced) =>
        {
            if (produced == scenario.Count / 3)
            {
                second = await cluster.StartAnotherWorkerAsync();
                await cluster.WaitUntilRunningAsync(second);
                await cluster.WaitUntilRunningAsync();
            }
            else if (produced == 2 * scenario.Count / 3)
            {
                await second!.StopAsync();
                second.Dispose();
                second = null;
                await cluster.WaitUntilRunningAsync();
            }
        });

        foreach (var topic in Compared)
        {
            Assert.True(alone.Outputs[topic].SequenceEqual(rebalanced.Outputs[topic]), $"{topic} differs after the rebalances");
        }

        // A commit refused during a revocation no longer leaves a thread asleep (RevocationCommits), so
        // the rebalances are ridden out by the stream itself, not by replacing it.
        Assert.Equal(0, rebalanced.Restarts);
    }

    [Fact]
    public async Task A_stream_thread_left_stuck_in_a_rebalance_is_replaced_and_changes_nothing()
    {
        var scenario = Scenarios.ThreeEpochs(B, withRejections: false);
        var uninterrupted = await RunAsync(scenario);

        // Midway, the worker's stream thread is left as Streamiz 1.8.2 leaves it after a failed revocation
        // commit: its rebalance flag set, so it sleeps and never polls again. The worker must notice,
        // replace the stream, and read on to the same outputs.
        var restarted = await RunAsync(scenario, async (cluster, produced) =>
        {
            if (produced == scenario.Count / 2)
            {
                await cluster.WaitUntilRunningAsync();
                foreach (var manager in StuckRebalanceGuard.TaskManagers(cluster.Service.CurrentStream!))
                {
                    StuckRebalanceGuard.RebalanceFlag(manager)!.SetValue(manager, true);
                }

                await Eventually.HoldsAsync(() => Task.FromResult(cluster.Service.Restarts == 1), TimeSpan.FromSeconds(60), "the stuck stream replaced");
                await cluster.WaitUntilRunningAsync();
            }
        });

        foreach (var topic in Compared)
        {
            Assert.True(uninterrupted.Outputs[topic].SequenceEqual(restarted.Outputs[topic]), $"{topic} differs after the restart");
        }
    }

    private sealed record Run(Dictionary<string, SortedDictionary<string, string>> Outputs, List<string> Epochs, List<DeadLetter> DeadLetters, int Restarts);

    // afterEach: told how many records have been produced (and flushed) so far.
    private static async Task<Run> RunAsync(List<ScenarioRecord> records, Func<PoeCluster, int, Task>? afterEach = null, bool producedBeforeStart = false)
    {
        await using var cluster = await PoeCluster.StartAsync(GraceSeconds);
        if (!producedBeforeStart)
        {
            await cluster.StartWorkerAsync();
        }

        using var outputs = cluster.Outputs([.. Compared, PoeTopics.DeadLetters]);
        for (var produced = 0; produced < records.Count; produced++)
        {
            cluster.Produce(records[produced]);
            if (afterEach is not null)
            {
                cluster.Flush();
                await afterEach(cluster, produced + 1);
            }
        }

        cluster.Flush();
        if (producedBeforeStart)
        {
            await cluster.StartWorkerAsync();
        }

        cluster.ProduceClosers(B.AddMinutes(15).AddSeconds(GraceSeconds + 1));
        // Every miner is active in every epoch: 3 epochs × 4 rewards, 3 × 4 mints, 90 fee splits.
        outputs.WaitUntil(
            o => o.Keys(PoeTopics.RewardManifests).Distinct().Count() == 3
                && o.Keys(PoeTopics.Index).Distinct().Count() == 3
                && o.Keys(PoeTopics.Rewards).Distinct().Count() == 12
                && o.Keys(PoeTopics.Mints).Distinct().Count() == 12
                && o.Keys(PoeTopics.JobFees).Distinct().Count() == 90,
            TimeSpan.FromSeconds(120),
            () => $"every output of the three epochs ({cluster.Describe()})");
        var epochs = outputs.Keys(PoeTopics.RewardManifests).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Run(Compared.ToDictionary(topic => topic, outputs.Latest), epochs, [.. outputs.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value)], cluster.Service.Restarts);
    }
}
