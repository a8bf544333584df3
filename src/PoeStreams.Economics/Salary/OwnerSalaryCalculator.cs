using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;
using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.Salary;

/// <summary>The owner-salary guardrails of SPEC §8.</summary>
public static class OwnerSalaryCalculator
{
    /// <summary>
    /// The report of <paramref name="month"/> from the month's gross owner-salary fees.
    /// capped = min(gross, cap) and the excess goes to the treasury; immediate = capped × (1 − vesting);
    /// vested = capped − immediate, released in equal monthly parts from the next month (the last part
    /// takes the rounding remainder); escrow = immediate × escrow rate; payout = immediate − escrow.
    /// </summary>
    /// <param name="approved">Whether governance approved the month (ignored when the policy needs no approval).</param>
    /// <param name="halted">Whether an emergency halt is in force: nothing is paid, the immediate part stays in escrow.</param>
    /// <param name="previousHash">The previous report's hash, or <see cref="TransparencyChain.GenesisHash"/>.</param>
    public static OwnerSalaryReport Compute(
        YearMonth month, decimal gross, OwnerSalaryPolicy policy, bool approved, bool halted, string previousHash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gross);
        gross = DecimalMath.RoundToWireScale(gross);
        var capped = Math.Min(gross, policy.MonthlyCapUsd);
        var immediate = DecimalMath.RoundToWireScale(capped * (1m - policy.VestingPercentage));
        var vested = capped - immediate;
        var escrow = halted ? immediate : DecimalMath.RoundToWireScale(immediate * policy.EscrowPercentage);
        var status = halted ? OwnerSalaryStatus.Halted
            : approved || !policy.GovernanceApproval ? OwnerSalaryStatus.Approved
            : OwnerSalaryStatus.PendingApproval;

        var unhashed = new OwnerSalaryReport(
            month,
            gross,
            capped,
            gross - capped,
            immediate,
            escrow,
            immediate - escrow,
            vested,
            VestingSchedule(month, vested, policy.VestingPeriodMonths),
            status,
            previousHash,
            TransparencyHash: string.Empty);
        return unhashed with { TransparencyHash = TransparencyChain.Hash(unhashed) };
    }

    /// <summary><paramref name="vested"/> in <paramref name="months"/> equal parts starting the month after <paramref name="month"/>.</summary>
    public static IReadOnlyList<VestingTranche> VestingSchedule(YearMonth month, decimal vested, int months)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        var part = DecimalMath.FloorToWireScale(vested / months);
        var tranches = new VestingTranche[months];
        for (var i = 0; i < months - 1; i++)
        {
            tranches[i] = new VestingTranche(month.AddMonths(i + 1), part);
        }

        tranches[^1] = new VestingTranche(month.AddMonths(months), vested - (part * (months - 1)));
        return tranches;
    }
}
