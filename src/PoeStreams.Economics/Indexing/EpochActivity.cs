namespace PoeStreams.Economics.Indexing;

/// <summary>
/// The sums an epoch's PoE index is computed from (SPEC §5). Values combine associatively and
/// commutatively, so per-partition partials can be merged in any order with the same result.
/// </summary>
public readonly record struct EpochActivity(
    long VerifiedJobs,
    decimal VerifiedValue,
    decimal ValueWeightedQuality,
    decimal LiquidityDelta,
    decimal UptimeSum,
    long UptimeSamples,
    decimal ServiceQualitySum,
    long ServiceQualitySamples)
{
    public static EpochActivity Empty => default;

    /// <summary>Adds a job; only Verified jobs change the sums.</summary>
    public EpochActivity WithJob(EconomicJob job) =>
        job.IsVerified
            ? this with
            {
                VerifiedJobs = VerifiedJobs + 1,
                VerifiedValue = VerifiedValue + job.Value,
                ValueWeightedQuality = ValueWeightedQuality + (job.Value * job.QualityScore),
            }
            : this;

    public EpochActivity WithLiquidityDelta(decimal delta) => this with { LiquidityDelta = LiquidityDelta + delta };

    /// <summary>Adds an uptime sample in [0, 1].</summary>
    public EpochActivity WithUptime(decimal uptime) =>
        this with { UptimeSum = UptimeSum + uptime, UptimeSamples = UptimeSamples + 1 };

    /// <summary>Adds a service-quality sample in [0, 1].</summary>
    public EpochActivity WithServiceQuality(decimal quality) =>
        this with { ServiceQualitySum = ServiceQualitySum + quality, ServiceQualitySamples = ServiceQualitySamples + 1 };

    public EpochActivity Combine(EpochActivity other) => new(
        VerifiedJobs + other.VerifiedJobs,
        VerifiedValue + other.VerifiedValue,
        ValueWeightedQuality + other.ValueWeightedQuality,
        LiquidityDelta + other.LiquidityDelta,
        UptimeSum + other.UptimeSum,
        UptimeSamples + other.UptimeSamples,
        ServiceQualitySum + other.ServiceQualitySum,
        ServiceQualitySamples + other.ServiceQualitySamples);
}
