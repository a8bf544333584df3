using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.Salary;

public enum OwnerSalaryStatus
{
    /// <summary>Waiting for a governance approval of the month.</summary>
    PendingApproval,

    /// <summary>Approved by governance (or approval not required by policy).</summary>
    Approved,

    /// <summary>Published under an emergency halt: nothing is paid, the immediate part stays in escrow.</summary>
    Halted,
}

/// <summary>One vesting release: <see cref="Amount"/> becomes payable in <see cref="Month"/>.</summary>
public readonly record struct VestingTranche(YearMonth Month, decimal Amount);

/// <summary>
/// The owner-salary report of one UTC month (SPEC §8). The figures and the hash never change once
/// published; only <see cref="Status"/> may move from PendingApproval to Approved.
/// </summary>
public sealed record OwnerSalaryReport(
    YearMonth Month,
    decimal Gross,
    decimal Capped,
    decimal ExcessToTreasury,
    decimal Immediate,
    decimal Escrow,
    decimal Payout,
    decimal Vested,
    IReadOnlyList<VestingTranche> VestingSchedule,
    OwnerSalaryStatus Status,
    string PreviousHash,
    string TransparencyHash)
{
    /// <summary>The report after a governance approval of its month; a halted report stays halted.</summary>
    public OwnerSalaryReport Approved() =>
        Status == OwnerSalaryStatus.PendingApproval ? this with { Status = OwnerSalaryStatus.Approved } : this;

    public bool Equals(OwnerSalaryReport? other) =>
        other is not null
        && Month == other.Month
        && Gross == other.Gross
        && Capped == other.Capped
        && ExcessToTreasury == other.ExcessToTreasury
        && Immediate == other.Immediate
        && Escrow == other.Escrow
        && Payout == other.Payout
        && Vested == other.Vested
        && VestingSchedule.SequenceEqual(other.VestingSchedule)
        && Status == other.Status
        && PreviousHash == other.PreviousHash
        && TransparencyHash == other.TransparencyHash;

    public override int GetHashCode() => HashCode.Combine(Month, TransparencyHash, Status);
}
