using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Indexing;

namespace PoeStreams.Economics.UnitTests;

public class PoeIndexTests
{
    private static readonly PoeParameters Parameters = new();

    [Fact]
    public void Hand_computed_epoch()
    {
        // volume 0.3 × 500,000 / 1e6 = 0.15; liquidity 0.25 × 300,000 / 1e6 = 0.075;
        // uptime 0.25 × mean(0.9, 1.0, 0.8) = 0.225; quality 0.2 × mean(0.8, 0.9) = 0.17; Φ = 0.62.
        var activity = EpochActivity.Empty
            .WithJob(Jobs.Verified(200_000m, quality: 0.9m))
            .WithJob(Jobs.Verified(300_000m, quality: 0.6m))
            .WithJob(Jobs.WithStatus(VerificationStatus.Pending, 1_000_000m))
            .WithLiquidityDelta(400_000m)
            .WithLiquidityDelta(-100_000m)
            .WithUptime(0.9m).WithUptime(1.0m).WithUptime(0.8m)
            .WithServiceQuality(0.8m).WithServiceQuality(0.9m);

        var index = PoeIndex.Compute(activity, Parameters);

        Assert.Equal(0.15m, index.Volume);
        Assert.Equal(0.075m, index.Liquidity);
        Assert.Equal(0.225m, index.Uptime);
        Assert.Equal(0.85m, index.QualityScore);
        Assert.Equal(0.17m, index.Quality);
        Assert.Equal(0.62m, index.Phi);
        Assert.Equal(0.382716049382716049m, index.Gamma); // 0.62 / 1.62 rounded down at 18 places
        Assert.Equal(2, activity.VerifiedJobs);
    }

    [Fact]
    public void Without_service_quality_samples_quality_is_the_value_weighted_job_quality()
    {
        // (200,000 × 0.9 + 300,000 × 0.6) / 500,000 = 0.72
        var activity = EpochActivity.Empty
            .WithJob(Jobs.Verified(200_000m, quality: 0.9m))
            .WithJob(Jobs.Verified(300_000m, quality: 0.6m));

        var index = PoeIndex.Compute(activity, Parameters);

        Assert.Equal(0.72m, index.QualityScore);
        Assert.Equal(0.144m, index.Quality);
    }

    [Fact]
    public void An_empty_epoch_has_zero_index()
    {
        var index = PoeIndex.Compute(EpochActivity.Empty, Parameters);

        Assert.Equal(new PoeIndex(0m, 0m, 0m, 0m, 0m, 0m, 0m), index);
    }

    [Fact]
    public void Net_liquidity_outflow_counts_as_zero()
    {
        var index = PoeIndex.Compute(EpochActivity.Empty.WithLiquidityDelta(-5_000m), Parameters);

        Assert.Equal(0m, index.Liquidity);
    }

    [Fact]
    public void Custom_weights_and_scales_apply()
    {
        var parameters = new PoeParameters
        {
            VolumeWeight = 0.5m, LiquidityWeight = 0.5m, UptimeWeight = 0m, QualityWeight = 0m, VolumeScale = 1_000m, LiquidityScale = 2_000m,
        };
        var activity = EpochActivity.Empty.WithJob(Jobs.Verified(3_000m)).WithLiquidityDelta(1_000m).WithUptime(1m);

        var index = PoeIndex.Compute(activity, parameters);

        Assert.Equal(1.5m, index.Volume);
        Assert.Equal(0.25m, index.Liquidity);
        Assert.Equal(0m, index.Uptime);
        Assert.Equal(1.75m, index.Phi);
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "0.5")]
    [InlineData("3", "0.75")]
    [InlineData("1000000000000000000000", "0.999999999999999999")]
    public void Gamma_of_phi(string phi, string gamma)
    {
        Assert.Equal(decimal.Parse(gamma, System.Globalization.CultureInfo.InvariantCulture), PoeIndex.GammaOf(decimal.Parse(phi, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Partials_combined_in_any_order_give_the_same_index()
    {
        var a = EpochActivity.Empty.WithJob(Jobs.Verified(10m, 0.1m)).WithUptime(0.5m);
        var b = EpochActivity.Empty.WithLiquidityDelta(7m).WithServiceQuality(0.3m);
        var c = EpochActivity.Empty.WithJob(Jobs.Verified(5m, 0.9m)).WithUptime(1m);

        Assert.Equal(a.Combine(b).Combine(c), c.Combine(a.Combine(b)));
        Assert.Equal(PoeIndex.Compute(a.Combine(b).Combine(c), Parameters), PoeIndex.Compute(b.Combine(c).Combine(a), Parameters));
    }
}
