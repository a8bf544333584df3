using PoeStreams.Economics.Mining;

namespace PoeStreams.Economics.UnitTests;

public class RewardDistributionTests
{
    [Fact]
    public void Shares_follow_weights_and_the_remainder_is_unallocated()
    {
        // raw 100/200/300 → average 200 → normalized 0.5/1/1.5 = W; ΣW = 3; pool 100.
        var distribution = RewardDistribution.Compute(100m, [Score("a", 100m), Score("b", 200m), Score("c", 300m)]);

        Assert.Equal(200m, distribution.NetworkAverage);
        Assert.Equal(3m, distribution.TotalWeight);
        Assert.Equal([0.5m, 1m, 1.5m], distribution.Rewards.Select(r => r.NormalizedScore));
        Assert.Equal([16.66666666m, 33.33333333m, 50m], distribution.Rewards.Select(r => r.Share));
        Assert.Equal(99.99999999m, distribution.Distributed);
        Assert.Equal(0.00000001m, distribution.Unallocated);
        Assert.Equal(["a", "b", "c"], distribution.Rewards.Select(r => r.MinerId));
    }

    [Fact]
    public void Bonuses_shift_shares()
    {
        // Equal raw scores; b has λP 1.5 and λD 1.25 → W 1 and 1.875.
        var distribution = RewardDistribution.Compute(
            287.5m, [Score("a", 50m), Score("b", 50m, prestige: 1.5m, diversity: 1.25m)]);

        Assert.Equal([1m, 1.875m], distribution.Rewards.Select(r => r.Weight));
        Assert.Equal([100m, 187.5m], distribution.Rewards.Select(r => r.Share));
        Assert.Equal(0m, distribution.Unallocated);
    }

    [Fact]
    public void When_every_raw_score_is_zero_everyone_is_normalized_to_one()
    {
        var distribution = RewardDistribution.Compute(10m, [Score("a", 0m), Score("b", 0m)]);

        Assert.Equal(0m, distribution.NetworkAverage);
        Assert.All(distribution.Rewards, r => Assert.Equal(1m, r.NormalizedScore));
        Assert.Equal([5m, 5m], distribution.Rewards.Select(r => r.Share));
    }

    [Fact]
    public void Without_active_miners_the_whole_pool_is_unallocated()
    {
        var distribution = RewardDistribution.Compute(382.71604938m, []);

        Assert.Empty(distribution.Rewards);
        Assert.Equal(382.71604938m, distribution.Unallocated);
    }

    [Fact]
    public void A_pool_finer_than_eight_places_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => RewardDistribution.Compute(0.000000001m, [Score("a", 1m)]));
    }

    internal static MinerEpochScore Score(string minerId, decimal raw, decimal prestige = 1m, decimal diversity = 1m) =>
        new(minerId, raw, prestige, diversity, QualityMean: 0.5m, JobCount: 1, VerifiedValue: raw, ReputationBefore: 0m, ReputationAfter: 0.05m);
}
