using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Mining;

/// <summary>The per-job and per-miner factors of SPEC §6.</summary>
public static class MinerScoring
{
    /// <summary>q_m = min(quality_multiplier_max, 1 + quality_score).</summary>
    public static decimal QualityMultiplier(decimal qualityScore, MiningRewardsParameters parameters) =>
        Math.Min(parameters.QualityMultiplierMax, 1m + qualityScore);

    /// <summary>1 + specialization_bonus when the job is of the miner's registered specialization, else 1.</summary>
    public static decimal SpecializationFactor(JobType jobType, JobType? specialization, MiningRewardsParameters parameters) =>
        jobType == specialization ? 1m + parameters.SpecializationBonus : 1m;

    /// <summary>A job's contribution to its miner's raw score: job_value × q_m × specialization factor.</summary>
    public static decimal Contribution(EconomicJob job, JobType? specialization, MiningRewardsParameters parameters) =>
        DecimalMath.RoundToWireScale(
            job.Value * QualityMultiplier(job.QualityScore, parameters) * SpecializationFactor(job.Type, specialization, parameters));

    /// <summary>λP = 1 + (prestige_max − 1) × r (1 when the prestige bonus is disabled).</summary>
    public static decimal Prestige(decimal reputation, MiningRewardsParameters parameters) =>
        parameters.PrestigeBonusEnabled
            ? DecimalMath.RoundToWireScale(1m + ((parameters.PrestigeMax - 1m) * reputation))
            : 1m;

    /// <summary>λD = 1 + diversity_bonus_max × H / ln 10 (1 when the diversity bonus is disabled).</summary>
    public static decimal Diversity(IReadOnlyList<decimal> valueByJobType, MiningRewardsParameters parameters) =>
        parameters.DiversityBonusEnabled
            ? DecimalMath.RoundToWireScale(1m + (parameters.DiversityBonusMax * Entropy(valueByJobType) / DecimalMath.NaturalLogOf10))
            : 1m;

    /// <summary>
    /// Shannon entropy H = −Σ p_k ln p_k of the value shares; 0 when the total is 0. Ten job types bound
    /// it by ln 10.
    /// </summary>
    public static decimal Entropy(IReadOnlyList<decimal> values)
    {
        var total = 0m;
        foreach (var value in values)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(values));
            total += value;
        }

        if (total == 0m)
        {
            return 0m;
        }

        var entropy = 0m;
        foreach (var value in values)
        {
            if (value > 0m && value != total)
            {
                var share = value / total;
                entropy -= share * DecimalMath.Ln(share);
            }
        }

        return entropy;
    }

    /// <summary>W_i = normalized_i × λP × λD.</summary>
    public static decimal Weight(decimal normalizedScore, decimal prestige, decimal diversity) =>
        DecimalMath.RoundToWireScale(normalizedScore * prestige * diversity);
}
