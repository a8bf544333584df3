namespace PoeStreams.Economics;

/// <summary>An economic job reported by a miner (SPEC §3).</summary>
public sealed record EconomicJob(
    string JobId,
    string MinerId,
    JobType Type,
    decimal Value,
    decimal QualityScore,
    VerificationStatus Status,
    DateTimeOffset CompletionTime,
    IReadOnlyList<RevenueStream> RevenueStreams)
{
    public bool IsVerified => Status == VerificationStatus.Verified;

    /// <summary>R: the sum of the job's revenue streams.</summary>
    public decimal DockLockRevenue => RevenueStream.TotalRevenue(RevenueStreams);
}
