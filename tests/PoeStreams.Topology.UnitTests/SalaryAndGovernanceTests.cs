using PoeStreams.Contracts;
using PoeStreams.Economics.Salary;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Owner-salary months (SPEC §8) and governance taking effect from the next epoch.</summary>
public class SalaryAndGovernanceTests : IDisposable
{
    // The last epoch of November 2026.
    private static readonly DateTimeOffset LastEpoch = new(2026, 11, 30, 23, 55, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TopologyHarness harness = new();

    public SalaryAndGovernanceTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1", at: LastEpoch), LastEpoch);
    }

    [Fact]
    public void A_month_closes_pending_approval_and_is_republished_when_approved()
    {
        // Owner part of a 10,000,000 job: 0.2% = 20,000 (under the 50,000 cap).
        Job("j1", 10_000_000m, LastEpoch.AddSeconds(10));
        harness.Tick(December.AddSeconds(61));

        var (key, report) = harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary);
        Assert.Equal("2026-11", key);
        Assert.Equal(Contracts.OwnerSalaryStatus.PendingApproval, report.status);
        Assert.Equal(20_000m, Dec(report.gross));
        Assert.Equal(14_000m, Dec(report.immediate));
        Assert.Equal(1_400m, Dec(report.escrow));
        Assert.Equal(12_600m, Dec(report.payout));
        Assert.Equal(6_000m, Dec(report.vested));
        Assert.Equal(12, report.vesting_schedule.Count);
        Assert.Equal("2026-12", report.vesting_schedule[0].month);
        Assert.Equal(TransparencyChain.GenesisHash, report.previous_hash);

        // Approved at 00:02, effective from the 00:05 epoch: re-published once the watermark passes it.
        harness.Govern(Inputs.Governance("approve-nov", GovernanceAction.ApproveSalary, December.AddMinutes(2), month: "2026-11"));
        harness.Tick(December.AddMinutes(6).AddSeconds(1));

        var (againKey, approved) = harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary);
        Assert.Equal("2026-11", againKey);
        Assert.Equal(Contracts.OwnerSalaryStatus.Approved, approved.status);
        Assert.Equal(report.transparency_hash, approved.transparency_hash);
        Assert.Equal(Dec(report.payout), Dec(approved.payout));
    }

    [Fact]
    public void An_approval_in_force_before_the_month_closes_publishes_it_approved()
    {
        Job("j1", 10_000_000m, LastEpoch.AddSeconds(10));
        harness.Govern(Inputs.Governance("approve-nov", GovernanceAction.ApproveSalary, LastEpoch.AddMinutes(-1), month: "2026-11"));
        harness.Tick(December.AddSeconds(61));

        Assert.Equal(Contracts.OwnerSalaryStatus.Approved, harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary).Value.status);
    }

    [Fact]
    public void An_emergency_halt_makes_the_month_halted_and_pays_nothing()
    {
        Job("j1", 10_000_000m, LastEpoch.AddSeconds(10));
        harness.Govern(Inputs.Governance("halt", GovernanceAction.EmergencyHalt, LastEpoch.AddMinutes(-1)));
        harness.Tick(December.AddSeconds(61));

        var report = harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary).Value;
        Assert.Equal(Contracts.OwnerSalaryStatus.Halted, report.status);
        Assert.Equal(0m, Dec(report.payout));
        Assert.Equal(14_000m, Dec(report.escrow));
    }

    [Fact]
    public void A_month_over_the_cap_sends_the_excess_to_the_treasury_and_chains_its_hash()
    {
        Job("j1", 40_000_000m, LastEpoch.AddSeconds(10));      // owner part 80,000
        harness.Tick(December.AddSeconds(61));
        var november = harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary).Value;

        Job("j2", 1_000_000m, December.AddMinutes(30));         // owner part 2,000
        harness.Tick(new DateTimeOffset(2027, 1, 1, 0, 1, 1, TimeSpan.Zero));
        var december = harness.ReadSingle<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary).Value;

        Assert.Equal(50_000m, Dec(november.capped));
        Assert.Equal(30_000m, Dec(november.excess_to_treasury));
        Assert.Equal(november.transparency_hash, december.previous_hash);
        Assert.Equal("2026-12", december.month);
        Assert.Equal(2_000m, Dec(december.gross));
    }

    [Fact]
    public void A_parameter_update_applies_from_the_next_epoch()
    {
        var t0 = December.AddHours(1);
        harness.Govern(Inputs.Governance("fees-2", GovernanceAction.UpdateParameters, t0.AddSeconds(30), new Dictionary<string, string>
        {
            ["fee_structure.total_fee_rate"] = "0.02",
            ["fee_structure.treasury_rate"] = "0.013",
        }));
        Job("same-epoch", 10_000m, t0.AddSeconds(60));
        Job("next-epoch", 10_000m, t0.AddSeconds(301));
        harness.Tick(t0.AddSeconds(661));

        var fees = harness.Read<JobFeeSplit>(PoeTopics.JobFees).ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal(30m, Dec(fees["same-epoch"].treasury));
        Assert.Equal(100m, Dec(fees["same-epoch"].total_fee));
        Assert.Equal(130m, Dec(fees["next-epoch"].treasury));
        Assert.Equal(200m, Dec(fees["next-epoch"].total_fee));
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value.reason));
    }

    public void Dispose() => harness.Dispose();

    private void Job(string id, decimal value, DateTimeOffset at) =>
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job(id, "m1", value, 0.5m, at), at);

    private static decimal Dec(Avro.AvroDecimal value) => WireDecimal.FromAvro(value);
}
