using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

public class SmokeTests
{
    [Fact]
    public void A_verified_job_yields_a_fee_split_and_its_epoch_closes()
    {
        using var harness = new TopologyHarness();
        var t0 = TopologyHarness.T0;
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), t0);
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 10_000m, 0.5m, t0.AddSeconds(10)), t0.AddSeconds(10));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", 1m, 0.5m, t0.AddMinutes(7)), t0.AddMinutes(7));

        var fees = harness.Read<JobFeeSplit>(PoeTopics.JobFees);
        var index = harness.Read<PoeIndexSnapshot>(PoeTopics.Index);
        var dead = harness.Read<DeadLetter>(PoeTopics.DeadLetters);

        Assert.Empty(dead);
        Assert.Equal(2, fees.Count);
        Assert.Single(index);
    }
}
