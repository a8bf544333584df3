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

    private static List<ScenarioRecord> Scenario() => Scenarios.ThreeEpochs(T0, withRejections: true);

    [Property(MaxTest = 15)]
    public bool Any_interleaving_of_the_input_topics_gives_the_outputs_of_the_event_time_ordered_run(int seed)
    {
        var outputs = Run(Interleave(Scenario(), new Random(seed)), liveClock: false);

        return OutputTopics.All(topic => outputs[topic].SequenceEqual(Reference.Value[topic]));
    }

    [Fact]
    public void One_topic_read_entirely_before_the_next_gives_the_same_outputs_with_nothing_late_but_the_late_job()
    {
        var topicByTopic = Scenarios.TopicByTopic(Scenario());

        var outputs = Run(topicByTopic, liveClock: false);

        foreach (var topic in OutputTopics)
        {
            Assert.True(outputs[topic].SequenceEqual(Reference.Value[topic]), $"{topic} differs: {outputs[topic].Count} vs {Reference.Value[topic].Count}\n" + string.Join("\n", outputs[topic].Except(Reference.Value[topic]).Select(Text)) + "\n---\n" + string.Join("\n", Reference.Value[topic].Except(outputs[topic]).Select(Text)));
        }

        Assert.Equal(3, outputs[PoeTopics.Index].Count);
        Assert.Equal(2, outputs[PoeTopics.DeadLetters].Count); // the late job and the unknown miner's job
    }

    private static string Text(string record) => record.Split('=')[0] + " " + new string(System.Text.Encoding.UTF8.GetString(Convert.FromHexString(record.Split('=')[1])).Where(c => c >= ' ' && c < 127).ToArray());

    // A random merge of the topics that keeps each topic's own order, as a consumer reading them at different speeds sees them.
    private static List<ScenarioRecord> Interleave(List<ScenarioRecord> inputs, Random random)
    {
        var queues = inputs.GroupBy(i => i.Topic).Select(g => new Queue<ScenarioRecord>(g)).ToList();
        var merged = new List<ScenarioRecord>();
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
    private static Dictionary<string, List<string>> Run(List<ScenarioRecord> inputs, bool liveClock)
    {
        using var harness = new TopologyHarness { LiveClock = liveClock };
        foreach (var input in inputs)
        {
            harness.PipeBytes(input.Topic, input.Key, input.Bytes(harness.Registry), input.At);
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
