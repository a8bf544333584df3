using System.Security.Cryptography;
using System.Text;
using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Fees;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.UnitTests;

public class OwnerSalaryTests
{
    private static readonly OwnerSalaryPolicy Policy = new();
    private static readonly YearMonth November = new(2026, 11);

    [Fact]
    public void Month_under_the_cap()
    {
        var report = Compute(10_000m);

        Assert.Equal(10_000m, report.Capped);
        Assert.Equal(0m, report.ExcessToTreasury);
        Assert.Equal(7_000m, report.Immediate);
        Assert.Equal(700m, report.Escrow);
        Assert.Equal(6_300m, report.Payout);
        Assert.Equal(3_000m, report.Vested);
        Assert.Equal(12, report.VestingSchedule.Count);
        Assert.All(report.VestingSchedule, t => Assert.Equal(250m, t.Amount));
        Assert.Equal(new YearMonth(2026, 12), report.VestingSchedule[0].Month);
        Assert.Equal(new YearMonth(2027, 11), report.VestingSchedule[^1].Month);
        Assert.Equal(OwnerSalaryStatus.PendingApproval, report.Status);
    }

    [Fact]
    public void Month_over_the_cap_sends_the_excess_to_the_treasury()
    {
        var report = Compute(80_000m);

        Assert.Equal(50_000m, report.Capped);
        Assert.Equal(30_000m, report.ExcessToTreasury);
        Assert.Equal(35_000m, report.Immediate);
        Assert.Equal(3_500m, report.Escrow);
        Assert.Equal(31_500m, report.Payout);
        Assert.Equal(15_000m, report.Vested);
        Assert.All(report.VestingSchedule, t => Assert.Equal(1_250m, t.Amount));
    }

    [Fact]
    public void Cap_applies_to_the_running_total_of_the_month()
    {
        var split = FeeSplit.Of(10_000_000m, 0m, new FeeStructure()); // owner part 20,000
        var accrual = OwnerSalaryAccrual.Start(November).With(split).With(split);
        Assert.Equal(40_000m, accrual.WithinCap(Policy));
        Assert.Equal(0m, accrual.OverCap(Policy));

        accrual = accrual.With(split);
        Assert.Equal(60_000m, accrual.Gross);
        Assert.Equal(50_000m, accrual.WithinCap(Policy));
        Assert.Equal(10_000m, accrual.OverCap(Policy));
    }

    [Fact]
    public void Vesting_parts_are_equal_and_the_last_takes_the_rounding_remainder()
    {
        var schedule = OwnerSalaryCalculator.VestingSchedule(November, 100m, 12);

        Assert.All(schedule.Take(11), t => Assert.Equal(8.333333333333333333m, t.Amount));
        Assert.Equal(8.333333333333333337m, schedule[^1].Amount);
        Assert.Equal(100m, schedule.Sum(t => t.Amount));
    }

    [Fact]
    public void Approval_moves_a_pending_report_to_approved_without_changing_its_hash()
    {
        var pending = Compute(10_000m);

        var approved = pending.Approved();

        Assert.Equal(OwnerSalaryStatus.Approved, approved.Status);
        Assert.Equal(pending.TransparencyHash, approved.TransparencyHash);
        Assert.Equal(OwnerSalaryStatus.Approved, Compute(10_000m, approved: true).Status);
        Assert.Equal(OwnerSalaryStatus.Approved, Compute(10_000m, policy: Policy with { GovernanceApproval = false }).Status);
    }

    [Fact]
    public void A_halted_month_pays_nothing_and_holds_the_immediate_part_in_escrow()
    {
        var report = Compute(10_000m, approved: true, halted: true);

        Assert.Equal(OwnerSalaryStatus.Halted, report.Status);
        Assert.Equal(0m, report.Payout);
        Assert.Equal(7_000m, report.Escrow);
        Assert.Equal(3_000m, report.Vested);
        Assert.Equal(OwnerSalaryStatus.Halted, report.Approved().Status);
    }

    [Fact]
    public void Canonical_encoding_is_the_documented_text()
    {
        var policy = Policy with { VestingPeriodMonths = 2 };
        var report = OwnerSalaryCalculator.Compute(November, 100m, policy, approved: false, halted: false, TransparencyChain.GenesisHash);

        const string expected =
            "poe-owner-salary/v1\n" +
            "month=2026-11\n" +
            "gross=100.000000000000000000\n" +
            "capped=100.000000000000000000\n" +
            "excess_to_treasury=0.000000000000000000\n" +
            "immediate=70.000000000000000000\n" +
            "escrow=7.000000000000000000\n" +
            "payout=63.000000000000000000\n" +
            "vested=30.000000000000000000\n" +
            "vesting=2026-12:15.000000000000000000,2027-01:15.000000000000000000\n" +
            "previous_hash=0000000000000000000000000000000000000000000000000000000000000000\n";
        Assert.Equal(expected, TransparencyChain.CanonicalEncoding(report));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(expected))), report.TransparencyHash);
    }

    [Fact]
    public void A_chain_of_months_verifies()
    {
        var chain = Chain(10_000m, 80_000m, 0m);

        var result = TransparencyChain.Verify(chain);

        Assert.True(result.IsValid);
        Assert.Equal(3, result.ValidReports);
        Assert.Equal(chain[0].TransparencyHash, chain[1].PreviousHash);
    }

    [Fact]
    public void A_changed_figure_breaks_the_chain_at_that_month()
    {
        var chain = Chain(10_000m, 80_000m, 5m).ToArray();
        chain[1] = chain[1] with { Payout = chain[1].Payout + 1m };

        var result = TransparencyChain.Verify(chain);

        Assert.False(result.IsValid);
        Assert.Equal(new YearMonth(2026, 12), result.BrokenAt);
        Assert.Equal(1, result.ValidReports);
        Assert.Contains("does not match the recomputed", result.Problem);
    }

    [Fact]
    public void A_removed_month_breaks_the_link_of_the_next()
    {
        var chain = Chain(10_000m, 80_000m, 5m);

        var result = TransparencyChain.Verify([chain[0], chain[2]]);

        Assert.False(result.IsValid);
        Assert.Equal(new YearMonth(2027, 1), result.BrokenAt);
        Assert.Contains("previous_hash", result.Problem);
    }

    [Fact]
    public void Months_out_of_order_break_the_chain()
    {
        var chain = Chain(1m, 2m);

        Assert.False(TransparencyChain.Verify([chain[1], chain[0]]).IsValid);
    }

    private static OwnerSalaryReport Compute(decimal gross, bool approved = false, bool halted = false, OwnerSalaryPolicy? policy = null) =>
        OwnerSalaryCalculator.Compute(November, gross, policy ?? Policy, approved, halted, TransparencyChain.GenesisHash);

    private static List<OwnerSalaryReport> Chain(params decimal[] grossByMonth)
    {
        var reports = new List<OwnerSalaryReport>();
        var previous = TransparencyChain.GenesisHash;
        for (var i = 0; i < grossByMonth.Length; i++)
        {
            var report = OwnerSalaryCalculator.Compute(November.AddMonths(i), grossByMonth[i], Policy, false, false, previous);
            reports.Add(report);
            previous = report.TransparencyHash;
        }

        return reports;
    }
}
