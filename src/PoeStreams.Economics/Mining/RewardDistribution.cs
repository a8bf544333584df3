using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Mining;

/// <summary>One active miner's weight and NEX share of an epoch (SPEC §6, §7).</summary>
public readonly record struct MinerReward(
    string MinerId,
    decimal RawScore,
    decimal NormalizedScore,
    decimal Prestige,
    decimal Diversity,
    decimal Weight,
    decimal Share);

/// <summary>
/// The split of an epoch's NEX pool over its active miners: share_i = floor₈(pool × W_i / ΣW), and the
/// remainder <see cref="Unallocated"/> goes to the treasury, so Σ shares + unallocated = pool exactly.
/// </summary>
public sealed record RewardDistribution(
    decimal Pool,
    decimal NetworkAverage,
    decimal TotalWeight,
    decimal Distributed,
    decimal Unallocated,
    IReadOnlyList<MinerReward> Rewards)
{
    /// <summary>
    /// Weights every miner and splits <paramref name="pool"/>. One pass sums raw scores, one computes
    /// weights, one computes shares: linear in the number of miners. Rewards keep the input order.
    /// </summary>
    public static RewardDistribution Compute(decimal pool, IReadOnlyList<MinerEpochScore> miners)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pool);
        if (DecimalMath.FloorToTokenScale(pool) != pool)
        {
            throw new ArgumentException($"The pool {pool} has more than {DecimalMath.TokenScale} decimal places.", nameof(pool));
        }

        if (miners.Count == 0)
        {
            return new RewardDistribution(pool, 0m, 0m, 0m, pool, []);
        }

        var rawTotal = 0m;
        for (var i = 0; i < miners.Count; i++)
        {
            rawTotal += miners[i].RawScore;
        }

        var average = DecimalMath.RoundToWireScale(rawTotal / miners.Count);
        var rewards = new MinerReward[miners.Count];
        var totalWeight = 0m;
        for (var i = 0; i < miners.Count; i++)
        {
            var miner = miners[i];
            var normalized = average == 0m ? 1m : DecimalMath.RoundToWireScale(miner.RawScore / average);
            var weight = MinerScoring.Weight(normalized, miner.Prestige, miner.Diversity);
            totalWeight += weight;
            rewards[i] = new MinerReward(miner.MinerId, miner.RawScore, normalized, miner.Prestige, miner.Diversity, weight, 0m);
        }

        var distributed = 0m;
        if (totalWeight > 0m)
        {
            for (var i = 0; i < rewards.Length; i++)
            {
                var share = DecimalMath.FloorToTokenScale(pool * rewards[i].Weight / totalWeight);
                distributed += share;
                rewards[i] = rewards[i] with { Share = share };
            }
        }

        return new RewardDistribution(pool, average, totalWeight, distributed, pool - distributed, rewards);
    }
}
