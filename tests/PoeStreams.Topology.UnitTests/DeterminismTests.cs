using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

public class DeterminismTests
{
    [Fact]
    public void The_same_input_twice_gives_byte_identical_outputs()
    {
        var first = Run();
        var second = Run();

        Assert.Equal(first.Keys, second.Keys);
        foreach (var topic in first.Keys)
        {
            Assert.NotEmpty(first[topic]);
            Assert.Equal(first[topic].Select(r => r.Key), second[topic].Select(r => r.Key));
            Assert.Equal(first[topic].Select(r => Convert.ToHexString(r.Value)), second[topic].Select(r => Convert.ToHexString(r.Value)));
        }
    }

    private static Dictionary<string, List<(string Key, byte[] Value)>> Run()
    {
        var t0 = TopologyHarness.T0;
        using var harness = new TopologyHarness();
        var random = new Random(11);
        for (var m = 0; m < 5; m++)
        {
            harness.Pipe(PoeTopics.Miners, $"m{m}", Inputs.Miner($"m{m}", (JobType)(m % 10)), t0);
        }

        for (var i = 0; i < 200; i++)
        {
            var at = t0.AddSeconds(i * 3);
            var miner = $"m{random.Next(5)}";
            harness.Pipe(PoeTopics.Jobs, miner, Inputs.Job($"j{i}", miner, random.Next(1, 100_000), random.Next(0, 101) / 100m, at, (JobType)random.Next(10)), at);
            harness.Pipe(PoeTopics.NetworkMetrics, "u", Inputs.Metric("u", MetricKind.Uptime, random.Next(0, 101) / 100m, at), at);
        }

        return new[] { PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.JobFees }
            .ToDictionary(topic => topic, harness.ReadBytes);
    }
}
