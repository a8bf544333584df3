using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Fees;

namespace PoeStreams.Economics.UnitTests;

public class FeeSplitTests
{
    private static readonly FeeStructure Rates = new();

    [Fact]
    public void Reference_value_10000_splits_20_30_20_30()
    {
        var split = FeeSplit.Of(10_000m, 0m, Rates);

        Assert.Equal(new FeeSplit(20m, 30m, 20m, 30m), split);
        Assert.Equal(100m, split.Total);
    }

    [Fact]
    public void Reference_value_50000_with_70000_docklock_revenue_splits_100_150_240_360()
    {
        var job = Jobs.Verified(
            50_000m,
            streams:
            [
                RevenueStream.ContainerHosting(hourlyRate: 100m, durationHours: 200m),   // 20,000
                RevenueStream.ComputeResources(resourceUsage: 1_000m, unitPrice: 10m),  // 10,000
                RevenueStream.NetworkBandwidth(bandwidthGb: 2_000m, gbPrice: 5m),       // 10,000
                RevenueStream.StorageServices(storageGb: 1_000m, monthlyRate: 10m),     // 10,000
                RevenueStream.ApiRequests(requestCount: 2_000_000, perRequestFee: 0.01m), // 20,000
            ]);

        Assert.Equal(70_000m, job.DockLockRevenue);
        var split = FeeSplit.ForJob(job, Rates);

        Assert.Equal(new FeeSplit(100m, 150m, 240m, 360m), split);
        Assert.Equal(850m, split!.Value.Total);
        Assert.Equal(850m, FeeSplit.TotalFee(50_000m, 70_000m, Rates));
    }

    [Theory]
    [InlineData(VerificationStatus.Pending)]
    [InlineData(VerificationStatus.Failed)]
    [InlineData(VerificationStatus.Disputed)]
    public void Jobs_that_are_not_verified_pay_no_fee(VerificationStatus status)
    {
        Assert.Null(FeeSplit.ForJob(Jobs.WithStatus(status, 10_000m), Rates));
    }

    [Fact]
    public void Treasury_absorbs_rounding_so_parts_add_up_to_the_fee_charged()
    {
        // 0.000000000000000001 × 0.002 is below wire scale: every rate-part floors to 0 but the fee is charged once.
        var rates = new FeeStructure
        {
            TotalFeeRate = 0.9m, MinerLockRate = 0.3m, MinerSpendableRate = 0.3m, OwnerSalaryRate = 0.2m, TreasuryRate = 0.1m,
        };
        var split = FeeSplit.Of(0.000000000000000003m, 0m, rates);

        Assert.Equal(0m, split.MinerLocked);
        Assert.Equal(0m, split.OwnerSalary);
        Assert.Equal(FeeSplit.TotalFee(0.000000000000000003m, 0m, rates), split.Total);
        Assert.Equal(0.000000000000000002m, split.Total);
    }

    [Fact]
    public void Negative_value_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FeeSplit.Of(-1m, 0m, Rates));
    }
}
