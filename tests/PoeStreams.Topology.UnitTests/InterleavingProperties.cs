using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// SPEC §9: the outputs do not depend on the relative speed of the input topics. A scenario of three
/// epochs with every input topic (registrations, jobs, every metric kind, gold, parameter updates, mint
/// requests, a job of an unknown miner, a late job) is read once live, in event-time order, and once as
/// a backfill (the wall clock frozen) in a random interleaving that keeps each topic's own order, such
/// as a burst where one topic is read entirely before the next.
/// </summary>
public class InterleavingProperties
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private static readonly string[] OutputTopics = [PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.JobFees, PoeTopics.DeadLetters];
    private static readonly Lazy<Dictionary<string, List<string>>> Reference = new(() => Run(Scenario(), liveClock: true));

    [Property(MaxTest = 15)]
    public bool Any_interleaving_of_the_input_topics_gives_the_outputs_of_the_event_time_ordered_run(int seed)
    {
        var outputs = Run(Interleave(Scenario(), new Random(seed)), liveClock: false);

        return OutputTopics.All(topic => outputs[topic].SequenceEqual(Reference.Value[topic]));
    }

    [Fact]
    public void One_topic_read_entirely_before_the_next_gives_the_same_outputs_with_nothing_late_but_the_late_job()
    {
        var topicByTopic = Scenario().OrderBy(r => PoeTopics.Inputs.ToList().IndexOf(r.Topic) switch { 0 => 9, var i => i }).ToList();

        var outputs = Run(topicByTopic, liveClock: false);

        foreach (var topic in OutputTopics)
        {
            Assert.True(outputs[topic].SequenceEqual(Reference.Value[topic]), $"{topic} differs: {outputs[topic].Count} vs {Reference.Value[topic].Count}\n" + string.Join("\n", outputs[topic].Except(Reference.Value[topic]).Select(Text)) + "\n---\n" + string.Join("\n", Reference.Value[topic].Except(outputs[topic]).Select(Text)));
        }

        Assert.Equal(3, outputs[PoeTopics.Index].Count);
        Assert.Equal(2, outputs[PoeTopics.DeadLetters].Count); // the late job and the unknown miner's job
    }

    private static string Text(string record) => record.Split('=')[0] + " " + new string(System.Text.Encoding.UTF8.GetString(Convert.FromHexString(record.Split('=')[1])).Where(c => c >= ' ' && c < 127).ToArray());

    private sealed record Input(string Topic, string Key, Func<TopologyHarness, byte[]> Bytes, DateTimeOffset At);

    // Three five-minute epochs from T0, in record-time order: each topic's log is in that order in every run.
    private static List<Input> Scenario()
    {
        var random = new Random(5);
        var inputs = new List<Input>();
        void Add<T>(string topic, string key, T value, DateTimeOffset at)
            where T : class, Avro.Specific.ISpecificRecord => inputs.Add(new Input(topic, key, h => h.Serialize(topic, value), at));

        for (var m = 0; m < 4; m++)
        {
            Add(PoeTopics.Miners, $"m{m}", Inputs.Miner($"m{m}", (JobType)(m * 3 % 10), T0.AddSeconds(m)), T0.AddSeconds(m));
        }

        for (var i = 0; i < 90; i++)
        {
            var at = T0.AddSeconds(5 + (i * 9));
            var miner = $"m{random.Next(4)}";
            Add(PoeTopics.Jobs, miner, Inputs.Job($"j{i}", miner, random.Next(1, 200_000), random.Next(0, 101) / 100m, at, (JobType)random.Next(10)), at);
            Add(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, random.Next(80, 101) / 100m, at), at);
            if (i % 3 == 0)
            {
                Add(PoeTopics.NetworkMetrics, "q", Inputs.Metric("q", MetricKind.ServiceQuality, random.Next(50, 101) / 100m, at.AddSeconds(1)), at.AddSeconds(1));
                Add(PoeTopics.NetworkMetrics, "l", Inputs.Metric("l", MetricKind.LiquidityDelta, random.Next(-1000, 5000), at.AddSeconds(2)), at.AddSeconds(2));
                Add(PoeTopics.NetworkMetrics, "load", Inputs.Load("load", random.Next(1000, 90_000), 20m, random.Next(0, 900), random.Next(1, 50) / 10m, at.AddSeconds(3)), at.AddSeconds(3));
            }
        }

        Add(PoeTopics.Jobs, "ghost", Inputs.Job("orphan", "ghost", 1_000m, 0.5m, T0.AddSeconds(100)), T0.AddSeconds(100));
        Add(PoeTopics.Jobs, "m1", Inputs.Job("too-late", "m1", 1_000m, 0.5m, T0.AddSeconds(30)), T0.AddSeconds(812));
        Add(PoeTopics.GoldReserves, "vault-1", Inputs.Gold("vault-1", 500m, T0.AddSeconds(40)), T0.AddSeconds(40));
        Add(PoeTopics.GoldReserves, "vault-2", Inputs.Gold("vault-2", 250m, T0.AddSeconds(400)), T0.AddSeconds(400));
        Add(PoeTopics.Governance, "mint-1", Inputs.MintRequest("mint-1", TokenSymbol.NEX, 25m, T0.AddSeconds(200)), T0.AddSeconds(200));
        Add(PoeTopics.Governance, "fees-2", Inputs.Governance("fees-2", GovernanceAction.UpdateParameters, T0.AddSeconds(290), new Dictionary<string, string>
        {
            ["fee_structure.total_fee_rate"] = "0.02",
            ["fee_structure.treasury_rate"] = "0.013",
        }), T0.AddSeconds(290));
        return [.. inputs.OrderBy(i => i.At)];
    }

    // A random merge of the topics that keeps each topic's own order, as a consumer reading them at different speeds sees them.
    private static List<Input> Interleave(List<Input> inputs, Random random)
    {
        var queues = inputs.GroupBy(i => i.Topic).Select(g => new Queue<Input>(g)).ToList();
        var merged = new List<Input>();
        while (queues.Count > 0)
        {
            var queue = queues[random.Next(queues.Count)];
            for (var n = random.Next(1, 40); n > 0 && queue.Count > 0; n--)
            {
                merged.Add(queue.Dequeue());
            }

            queues.RemoveAll(q => q.Count == 0);
        }

        return merged;
    }

    // Epoch outputs in publication order; job fees and dead letters sorted (they are published as jobs are applied).
    private static Dictionary<string, List<string>> Run(List<Input> inputs, bool liveClock)
    {
        using var harness = new TopologyHarness { LiveClock = liveClock };
        foreach (var input in inputs)
        {
            harness.PipeBytes(input.Topic, input.Key, input.Bytes(harness), input.At);
        }

        harness.AdvanceWallClock(T0.AddMinutes(30) - harness.Clock.GetUtcNow());
        return OutputTopics.ToDictionary(
            topic => topic,
            topic =>
            {
                var records = harness.ReadBytes(topic).Select(r => r.Key + "=" + Convert.ToHexString(r.Value));
                return (topic is PoeTopics.JobFees or PoeTopics.DeadLetters ? records.Order(StringComparer.Ordinal) : records).ToList();
            });
    }
}
