using PoeStreams.Contracts;
using PoeStreams.Economics.Fees;
using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Time;
using Wire = PoeStreams.Contracts;
using Domain = PoeStreams.Economics;

namespace PoeStreams.Topology;

/// <summary>Maps between the Avro contracts and the economics core. Enum members share their names.</summary>
public static class ContractMapping
{
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTime ToAvroTime(DateTimeOffset value) => value.UtcDateTime;

    public static TTarget Convert<TSource, TTarget>(TSource value)
        where TSource : struct, Enum
        where TTarget : struct, Enum =>
        Enum.Parse<TTarget>(value.ToString());

    public static Domain.EconomicJob ToDomain(Wire.EconomicJob job) => new(
        job.job_id,
        job.miner_id,
        Convert<Wire.JobType, Domain.JobType>(job.job_type),
        WireDecimal.FromAvro(job.job_value),
        WireDecimal.FromAvro(job.quality_score),
        Convert<Wire.VerificationStatus, Domain.VerificationStatus>(job.status),
        Utc(job.completion_time),
        (job.revenue_streams ?? []).Select(s => new Domain.RevenueStream(
            Convert<Wire.RevenueStreamType, Domain.RevenueStreamType>(s.stream_type),
            WireDecimal.FromAvro(s.quantity),
            WireDecimal.FromAvro(s.unit_price))).ToList());

    public static JobFeeSplit ToContract(Domain.EconomicJob job, FeeSplit split, EpochWindow epoch) => new()
    {
        job_id = job.JobId,
        miner_id = job.MinerId,
        epoch_id = epoch.Id,
        completion_time = ToAvroTime(job.CompletionTime),
        job_value = WireDecimal.ToAvro(job.Value),
        docklock_revenue = WireDecimal.ToAvro(job.DockLockRevenue),
        total_fee = WireDecimal.ToAvro(split.Total),
        miner_locked = WireDecimal.ToAvro(split.MinerLocked),
        miner_spendable = WireDecimal.ToAvro(split.MinerSpendable),
        owner_salary = WireDecimal.ToAvro(split.OwnerSalary),
        treasury = WireDecimal.ToAvro(split.Treasury),
    };

    public static PoeIndexSnapshot ToContract(EpochWindow epoch, PoeIndex index, EpochActivity activity, long activeMiners) => new()
    {
        epoch_id = epoch.Id,
        window_start = ToAvroTime(epoch.Start),
        window_end = ToAvroTime(epoch.End),
        volume = WireDecimal.ToAvro(index.Volume),
        liquidity = WireDecimal.ToAvro(index.Liquidity),
        uptime = WireDecimal.ToAvro(index.Uptime),
        quality = WireDecimal.ToAvro(index.Quality),
        quality_score = WireDecimal.ToAvro(index.QualityScore),
        phi = WireDecimal.ToAvro(index.Phi),
        gamma = WireDecimal.ToAvro(index.Gamma),
        verified_jobs = activity.VerifiedJobs,
        verified_value = WireDecimal.ToAvro(activity.VerifiedValue),
        liquidity_delta = WireDecimal.ToAvro(activity.LiquidityDelta),
        uptime_samples = activity.UptimeSamples,
        service_quality_samples = activity.ServiceQualitySamples,
        active_miners = activeMiners,
    };

    public static Wire.MinerReward ToContract(EpochWindow epoch, Domain.Mining.MinerReward reward, Domain.Mining.MinerEpochScore score) => new()
    {
        epoch_id = epoch.Id,
        miner_id = reward.MinerId,
        job_count = score.JobCount,
        verified_value = WireDecimal.ToAvro(score.VerifiedValue),
        quality_mean = WireDecimal.ToAvro(score.QualityMean),
        raw_score = WireDecimal.ToAvro(reward.RawScore),
        normalized_score = WireDecimal.ToAvro(reward.NormalizedScore),
        prestige = WireDecimal.ToAvro(reward.Prestige),
        diversity = WireDecimal.ToAvro(reward.Diversity),
        weight = WireDecimal.ToAvro(reward.Weight),
        share = WireDecimal.ToAvro(reward.Share),
        reputation_before = WireDecimal.ToAvro(score.ReputationBefore),
        reputation_after = WireDecimal.ToAvro(score.ReputationAfter),
    };

    public static Wire.MintDecision ToContract(EpochWindow epoch, Domain.Minting.MintDecision decision) => new()
    {
        epoch_id = epoch.Id,
        token = Convert<Domain.Token, TokenSymbol>(decision.Token),
        eligible = decision.Eligible,
        amount = WireDecimal.ToAvro(decision.Amount),
        reason = decision.Reason,
        supply_before = WireDecimal.ToAvro(decision.SupplyBefore),
        supply_after = WireDecimal.ToAvro(decision.SupplyAfter),
    };

    public static Wire.OwnerSalaryReport ToContract(Domain.Salary.OwnerSalaryReport report) => new()
    {
        month = report.Month.ToString(),
        gross = WireDecimal.ToAvro(report.Gross),
        capped = WireDecimal.ToAvro(report.Capped),
        excess_to_treasury = WireDecimal.ToAvro(report.ExcessToTreasury),
        immediate = WireDecimal.ToAvro(report.Immediate),
        escrow = WireDecimal.ToAvro(report.Escrow),
        payout = WireDecimal.ToAvro(report.Payout),
        vested = WireDecimal.ToAvro(report.Vested),
        vesting_schedule = report.VestingSchedule
            .Select(t => new Wire.VestingTranche { month = t.Month.ToString(), amount = WireDecimal.ToAvro(t.Amount) })
            .ToList(),
        status = Convert<Domain.Salary.OwnerSalaryStatus, Wire.OwnerSalaryStatus>(report.Status),
        previous_hash = report.PreviousHash,
        transparency_hash = report.TransparencyHash,
    };

    public static Domain.Minting.GoldReserveAttestation ToDomain(Wire.GoldReserveAttestation attestation) =>
        new(attestation.vault_id, WireDecimal.FromAvro(attestation.gold_units), Utc(attestation.attested_at));
}
