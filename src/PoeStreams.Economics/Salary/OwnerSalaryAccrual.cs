using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Fees;
using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.Salary;

/// <summary>
/// The running total of a month's owner-salary fees, with the cap applied to the total so far: what
/// is within the cap and what already overflows to the treasury are known at every job.
/// </summary>
public readonly record struct OwnerSalaryAccrual(YearMonth Month, decimal Gross)
{
    public static OwnerSalaryAccrual Start(YearMonth month) => new(month, 0m);

    public OwnerSalaryAccrual With(FeeSplit split) => this with { Gross = Gross + split.OwnerSalary };

    public decimal WithinCap(OwnerSalaryPolicy policy) => Math.Min(Gross, policy.MonthlyCapUsd);

    public decimal OverCap(OwnerSalaryPolicy policy) => Gross - WithinCap(policy);
}
