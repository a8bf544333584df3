using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Mining;

/// <summary>
/// One miner's Verified jobs in one epoch, folded as they arrive (stage 1 of SPEC §10): raw score,
/// quality sum and value per job type. Keeps no job list, so its size does not grow with the epoch.
/// </summary>
public sealed record MinerEpochTally
{
    private static readonly int JobTypeCount = Enum.GetValues<JobType>().Length;

    private readonly decimal[] valueByJobType;

    public MinerEpochTally(string minerId, JobType? specialization)
        : this(minerId, specialization, 0, 0m, 0m, 0m, new decimal[JobTypeCount])
    {
    }

    private MinerEpochTally(
        string minerId, JobType? specialization, int jobCount, decimal rawScore, decimal qualitySum, decimal verifiedValue, decimal[] valueByJobType)
    {
        MinerId = minerId;
        Specialization = specialization;
        JobCount = jobCount;
        RawScore = rawScore;
        QualitySum = qualitySum;
        VerifiedValue = verifiedValue;
        this.valueByJobType = valueByJobType;
    }

    public string MinerId { get; }

    public JobType? Specialization { get; }

    /// <summary>Verified jobs counted.</summary>
    public int JobCount { get; }

    /// <summary>raw_score: Σ job_value × q_m × specialization factor.</summary>
    public decimal RawScore { get; }

    public decimal QualitySum { get; }

    public decimal VerifiedValue { get; }

    /// <summary>Verified job value per <see cref="JobType"/>, indexed by the enum's value.</summary>
    public IReadOnlyList<decimal> ValueByJobType => valueByJobType;

    /// <summary>Restores a tally from its stored fields (state stores, changelogs).</summary>
    public static MinerEpochTally Restore(
        string minerId, JobType? specialization, int jobCount, decimal rawScore, decimal qualitySum, decimal verifiedValue, IReadOnlyList<decimal> valueByJobType)
    {
        if (valueByJobType.Count != JobTypeCount)
        {
            throw new ArgumentException($"Expected {JobTypeCount} values, one per job type.", nameof(valueByJobType));
        }

        return new MinerEpochTally(minerId, specialization, jobCount, rawScore, qualitySum, verifiedValue, [.. valueByJobType]);
    }

    /// <summary>Adds a job of this miner; jobs that are not Verified leave the tally unchanged.</summary>
    public MinerEpochTally With(EconomicJob job, MiningRewardsParameters parameters)
    {
        if (!job.IsVerified)
        {
            return this;
        }

        if (job.MinerId != MinerId)
        {
            throw new ArgumentException($"Job {job.JobId} belongs to miner {job.MinerId}, not {MinerId}.", nameof(job));
        }

        decimal[] values = [.. valueByJobType];
        values[(int)job.Type] += job.Value;
        return new MinerEpochTally(
            MinerId,
            Specialization,
            JobCount + 1,
            RawScore + MinerScoring.Contribution(job, Specialization, parameters),
            QualitySum + job.QualityScore,
            VerifiedValue + job.Value,
            values);
    }

    /// <summary>A miner is active in an epoch when it has at least one Verified job in it.</summary>
    public bool IsActive => JobCount > 0;

    /// <summary>q̄: the plain mean quality of the epoch's Verified jobs.</summary>
    public decimal QualityMean => JobCount == 0 ? 0m : DecimalMath.RoundToWireScale(QualitySum / JobCount);

    /// <summary>
    /// Closes the miner's epoch: λP from the reputation after month decay and before this epoch's
    /// update, λD from the value per job type, and the reputation after learning from this epoch.
    /// </summary>
    public MinerEpochOutcome Close(Reputation reputation, DateTimeOffset epochStart, MiningRewardsParameters parameters)
    {
        if (!IsActive)
        {
            throw new InvalidOperationException($"Miner {MinerId} has no Verified job in the epoch; only active miners are scored.");
        }

        var before = reputation.DecayedTo(epochStart, parameters);
        var after = before.Learn(QualityMean, parameters);
        var score = new MinerEpochScore(
            MinerId,
            DecimalMath.RoundToWireScale(RawScore),
            MinerScoring.Prestige(before.Value, parameters),
            MinerScoring.Diversity(valueByJobType, parameters),
            QualityMean,
            JobCount,
            VerifiedValue,
            before.Value,
            after.Value);
        return new MinerEpochOutcome(score, after);
    }

    public bool Equals(MinerEpochTally? other) =>
        other is not null
        && MinerId == other.MinerId
        && Specialization == other.Specialization
        && JobCount == other.JobCount
        && RawScore == other.RawScore
        && QualitySum == other.QualitySum
        && VerifiedValue == other.VerifiedValue
        && valueByJobType.AsSpan().SequenceEqual(other.valueByJobType);

    public override int GetHashCode() => HashCode.Combine(MinerId, JobCount, RawScore);
}

/// <summary>The result of closing a miner's epoch: its score and its reputation from now on.</summary>
public readonly record struct MinerEpochOutcome(MinerEpochScore Score, Reputation Reputation);

/// <summary>A miner's per-epoch partial: everything stage 2 needs to weight it (SPEC §6, §10).</summary>
public readonly record struct MinerEpochScore(
    string MinerId,
    decimal RawScore,
    decimal Prestige,
    decimal Diversity,
    decimal QualityMean,
    int JobCount,
    decimal VerifiedValue,
    decimal ReputationBefore,
    decimal ReputationAfter);
