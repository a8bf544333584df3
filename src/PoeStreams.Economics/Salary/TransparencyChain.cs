using System.Security.Cryptography;
using System.Text;
using PoeStreams.Economics.Numerics;
using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.Salary;

/// <summary>
/// The owner-salary hash chain (SPEC §8). Each report's hash is SHA-256 (lower-case hex) of its
/// canonical encoding, which ends with the previous report's hash.
/// </summary>
/// <remarks>
/// Canonical encoding, version 1: UTF-8 text, one <c>name=value</c> line per field, each ending in a
/// single LF, in exactly this order:
/// <code>
/// poe-owner-salary/v1
/// month=YYYY-MM
/// gross=…            (every amount: fixed-point, 18 decimals, '.' separator, no sign for ≥ 0)
/// capped=…
/// excess_to_treasury=…
/// immediate=…
/// escrow=…
/// payout=…
/// vested=…
/// vesting=YYYY-MM:amount,YYYY-MM:amount,…
/// previous_hash=64 hex digits (64 zeros for the first report)
/// </code>
/// The status is not hashed: an approval arriving later re-publishes the month without breaking the chain.
/// </remarks>
public static class TransparencyChain
{
    public static readonly string GenesisHash = new('0', 64);

    public static string CanonicalEncoding(OwnerSalaryReport report)
    {
        var text = new StringBuilder(512)
            .Append("poe-owner-salary/v1\n")
            .Append("month=").Append(report.Month.ToString()).Append('\n');
        Field(text, "gross", report.Gross);
        Field(text, "capped", report.Capped);
        Field(text, "excess_to_treasury", report.ExcessToTreasury);
        Field(text, "immediate", report.Immediate);
        Field(text, "escrow", report.Escrow);
        Field(text, "payout", report.Payout);
        Field(text, "vested", report.Vested);
        text.Append("vesting=")
            .AppendJoin(',', report.VestingSchedule.Select(t => $"{t.Month}:{DecimalMath.ToCanonicalString(t.Amount)}"))
            .Append('\n')
            .Append("previous_hash=").Append(report.PreviousHash).Append('\n');
        return text.ToString();
    }

    public static string Hash(OwnerSalaryReport report) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalEncoding(report))));

    /// <summary>
    /// Recomputes the chain over reports in month order: each links to its predecessor's hash (the first
    /// to <see cref="GenesisHash"/>) and its own hash matches its fields.
    /// </summary>
    public static ChainVerification Verify(IReadOnlyList<OwnerSalaryReport> reports)
    {
        var expectedPrevious = GenesisHash;
        YearMonth? previousMonth = null;
        var verified = 0;
        foreach (var report in reports)
        {
            if (previousMonth is { } last && report.Month <= last)
            {
                return ChainVerification.Broken(verified, report.Month, $"month {report.Month} does not follow {last}");
            }

            if (report.PreviousHash != expectedPrevious)
            {
                return ChainVerification.Broken(
                    verified,
                    report.Month, $"previous_hash {report.PreviousHash} does not match the preceding report's hash {expectedPrevious}");
            }

            var recomputed = Hash(report);
            if (report.TransparencyHash != recomputed)
            {
                return ChainVerification.Broken(
                    verified,
                    report.Month, $"transparency_hash {report.TransparencyHash} does not match the recomputed {recomputed}");
            }

            expectedPrevious = report.TransparencyHash;
            previousMonth = report.Month;
            verified++;
        }

        return new ChainVerification(true, reports.Count, null, null);
    }

    private static void Field(StringBuilder text, string name, decimal value) =>
        text.Append(name).Append('=').Append(DecimalMath.ToCanonicalString(value)).Append('\n');
}

/// <summary>The outcome of <see cref="TransparencyChain.Verify"/>.</summary>
/// <param name="ValidReports">How many reports, from the first, verified before the chain broke (all of them when valid).</param>
public sealed record ChainVerification(bool IsValid, int ValidReports, YearMonth? BrokenAt, string? Problem)
{
    internal static ChainVerification Broken(int validReports, YearMonth month, string problem) => new(false, validReports, month, problem);
}
