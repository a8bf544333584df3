using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Fees;

/// <summary>The four parts of a Verified job's fee (SPEC §4). <see cref="Total"/> is their sum.</summary>
public readonly record struct FeeSplit(decimal MinerLocked, decimal MinerSpendable, decimal OwnerSalary, decimal Treasury)
{
    public decimal Total => MinerLocked + MinerSpendable + OwnerSalary + Treasury;

    /// <summary>
    /// Splits the fee of a job of value <paramref name="jobValue"/> (V) with DockLock revenue
    /// <paramref name="dockLockRevenue"/> (R): locked = V·lock, spendable = V·spendable,
    /// owner = (V + R)·owner, treasury = (V + R)·treasury.
    /// </summary>
    /// <remarks>
    /// Each part is rounded down to wire scale (18 places); the treasury takes whatever those roundings
    /// left over so that the parts always add up to the fee charged, <see cref="TotalFee"/>. For inputs of
    /// up to 18 places and rates of a few places the products are exact and nothing moves.
    /// </remarks>
    public static FeeSplit Of(decimal jobValue, decimal dockLockRevenue, FeeStructure rates)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(jobValue);
        ArgumentOutOfRangeException.ThrowIfNegative(dockLockRevenue);

        var total = TotalFee(jobValue, dockLockRevenue, rates);
        var locked = DecimalMath.FloorToWireScale(jobValue * rates.MinerLockRate);
        var spendable = DecimalMath.FloorToWireScale(jobValue * rates.MinerSpendableRate);
        var owner = DecimalMath.FloorToWireScale((jobValue * rates.OwnerSalaryRate) + (dockLockRevenue * rates.OwnerSalaryRate));
        return new FeeSplit(locked, spendable, owner, total - locked - spendable - owner);
    }

    /// <summary>The fee charged: V·total_rate + R·(owner_rate + treasury_rate), rounded down to wire scale.</summary>
    public static decimal TotalFee(decimal jobValue, decimal dockLockRevenue, FeeStructure rates) =>
        DecimalMath.FloorToWireScale(
            (jobValue * rates.TotalFeeRate) + (dockLockRevenue * (rates.OwnerSalaryRate + rates.TreasuryRate)));

    /// <summary>The split of <paramref name="job"/>, or null when it is not Verified (only Verified jobs pay fees).</summary>
    public static FeeSplit? ForJob(EconomicJob job, FeeStructure rates) =>
        job.IsVerified ? Of(job.Value, job.DockLockRevenue, rates) : null;
}
