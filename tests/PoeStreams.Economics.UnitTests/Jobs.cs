namespace PoeStreams.Economics.UnitTests;

/// <summary>Builds jobs for tests with everything but the fields under test defaulted.</summary>
internal static class Jobs
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static EconomicJob Verified(
        decimal value,
        decimal quality = 0.5m,
        JobType type = JobType.Transaction,
        string minerId = "miner-1",
        string jobId = "job-1",
        params RevenueStream[] streams) =>
        new(jobId, minerId, type, value, quality, VerificationStatus.Verified, Noon, streams);

    public static EconomicJob WithStatus(VerificationStatus status, decimal value, decimal quality = 0.5m, string minerId = "miner-1") =>
        new("job-x", minerId, JobType.Transaction, value, quality, status, Noon, []);
}
