using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Fees;
using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Minting;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.UnitTests;

/// <summary>Invariants over generated inputs. Decimals are built from integers so they stay in realistic ranges.</summary>
public class EconomicsProperties
{
    private static readonly MiningRewardsParameters Mining = new();

    [Property(MaxTest = 500)]
    public bool Fee_parts_sum_to_the_fee_and_none_is_negative(NonNegativeInt units, int fraction, NonNegativeInt revenue, byte lockThousandths)
    {
        var value = units.Get + (Math.Abs(fraction % 1_000_000) / 1_000_000m);
        var lockRate = Math.Min(lockThousandths, (byte)200) / 10_000m;
        var rates = new FeeStructure
        {
            TotalFeeRate = 0.05m, MinerLockRate = lockRate, MinerSpendableRate = 0.02m - lockRate / 2, OwnerSalaryRate = 0.01m, TreasuryRate = 0.02m - lockRate / 2,
        };

        var split = FeeSplit.Of(value, revenue.Get, rates);

        return split.Total == FeeSplit.TotalFee(value, revenue.Get, rates)
            && split is { MinerLocked: >= 0, MinerSpendable: >= 0, OwnerSalary: >= 0, Treasury: >= 0 };
    }

    [Property(MaxTest = 300)]
    public bool Shares_plus_unallocated_equal_the_pool(PositiveInt poolUnits, NonEmptyArray<Tuple<NonNegativeInt, byte, byte>> miners)
    {
        var pool = poolUnits.Get / 1_000m;
        var scores = miners.Get
            .Select((m, i) => RewardDistributionTests.Score($"m{i}", m.Item1.Get / 7m, 1m + (m.Item2 / 510m), 1m + (m.Item3 / 1020m)))
            .ToArray();

        var distribution = RewardDistribution.Compute(pool, scores);

        return distribution.Rewards.Sum(r => r.Share) + distribution.Unallocated == pool
            && distribution.Rewards.All(r => r.Share >= 0m && r.Weight >= 0m && DecimalMath.FloorToTokenScale(r.Share) == r.Share)
            && distribution.Unallocated >= 0m
            && distribution.Unallocated < (scores.Length * 0.00000001m) + 0.00000001m;
    }

    [Property(MaxTest = 300)]
    public bool Granted_mint_requests_stay_within_each_limit_and_the_supply_grows_by_the_decisions(
        byte gammaPercent, NonNegativeInt goldUnits, Tuple<byte, PositiveInt>[] requests)
    {
        var minting = new MintingParameters();
        var supply = SupplyState.Initial(new TokenSupplyParameters { AurInitialSupply = 100m });
        var asked = requests.Select((r, i) => new MintRequest($"r{i}", (Token)(r.Item1 % 4), r.Item2.Get / 100m)).ToList();
        var inputs = new MintInputs(Math.Min(gammaPercent, (byte)99) / 100m, NetworkLoadTally.Empty, FeeHistory.Empty, goldUnits.Get)
        {
            Requests = asked,
        };

        var mints = MintPolicy.Decide(inputs, supply, new PoeParameters(), minting);

        return mints.Requests.Count == asked.Count
            && mints.Nex.Amount <= minting.NexEpochCap
            && mints.Flx.Amount <= minting.FluxEpochCap
            && (goldUnits.Get < 100 || supply.Aur + mints.Aur.Amount <= goldUnits.Get / minting.AurumGoldBackingRatio)
            && mints.Requests.Where(o => o.Request.Token == Token.GEN).All(o => !o.Granted)
            && mints.All.All(d => d.SupplyAfter == d.SupplyBefore + d.Amount && d.Amount == DecimalMath.FloorToTokenScale(d.Amount))
            && mints.Supply == new SupplyState(supply.Gen, supply.Nex + mints.Nex.Amount, supply.Flx + mints.Flx.Amount, supply.Aur + mints.Aur.Amount);
    }

    [Property(MaxTest = 500)]
    public bool Gamma_is_in_zero_to_one_and_monotone_in_phi(NonNegativeInt a, NonNegativeInt b, byte scale)
    {
        var divisor = DecimalMath.Pow(10m, scale % 12);
        var phi1 = a.Get / divisor;
        var phi2 = phi1 + (b.Get / divisor);

        var gamma1 = PoeIndex.GammaOf(phi1);
        var gamma2 = PoeIndex.GammaOf(phi2);

        return gamma1 >= 0m && gamma2 < 1m && gamma1 <= gamma2;
    }

    [Property(MaxTest = 300)]
    public bool Weights_are_never_negative(NonNegativeInt raw, byte reputation, byte[] valuesByType)
    {
        var values = new decimal[10];
        for (var i = 0; i < Math.Min(10, valuesByType.Length); i++)
        {
            values[i] = valuesByType[i];
        }

        var prestige = MinerScoring.Prestige(reputation / 255m, Mining);
        var diversity = MinerScoring.Diversity(values, Mining);
        var weight = MinerScoring.Weight(raw.Get / 100m, prestige, diversity);

        return weight >= 0m && diversity is >= 1m and <= 1.25m && prestige is >= 1m and <= 1.5m;
    }

    [Property(MaxTest = 200)]
    public bool Ln_agrees_with_the_double_logarithm(PositiveInt numerator, PositiveInt denominator)
    {
        var x = (decimal)numerator.Get / denominator.Get;

        return Math.Abs((double)DecimalMath.Ln(x) - Math.Log((double)x)) < 1e-12;
    }

    [Property(MaxTest = 200)]
    public bool Index_does_not_depend_on_how_activity_is_partitioned(NonEmptyArray<Tuple<NonNegativeInt, byte, byte>> events, PositiveInt partitions)
    {
        var parts = Enumerable.Repeat(EpochActivity.Empty, (partitions.Get % 8) + 1).ToArray();
        var whole = EpochActivity.Empty;
        for (var i = 0; i < events.Get.Length; i++)
        {
            var (value, quality, uptime) = events.Get[i];
            var job = Jobs.Verified(value.Get, quality / 255m);
            whole = whole.WithJob(job).WithUptime(uptime / 255m);
            parts[i % parts.Length] = parts[i % parts.Length].WithJob(job).WithUptime(uptime / 255m);
        }

        var merged = parts.Reverse().Aggregate(EpochActivity.Empty, (acc, p) => acc.Combine(p));
        return PoeIndex.Compute(merged, new PoeParameters()) == PoeIndex.Compute(whole, new PoeParameters());
    }

    [Property(MaxTest = 100)]
    public bool Replaying_the_same_inputs_gives_identical_outputs(NonEmptyArray<Tuple<NonNegativeInt, byte, byte>> miners, PositiveInt poolUnits)
    {
        RewardDistribution Run()
        {
            var scores = miners.Get
                .Select((m, i) => new MinerEpochTally($"m{i}", JobType.Compute)
                    .With(Jobs.Verified(m.Item1.Get, m.Item2 / 255m, (JobType)(m.Item3 % 10), minerId: $"m{i}"), Mining)
                    .With(Jobs.Verified(m.Item3, 0.5m, JobType.Compute, minerId: $"m{i}"), Mining)
                    .Close(new Reputation(m.Item2 / 255m, Jobs.Noon.AddMonths(-2)), Jobs.Noon, Mining).Score)
                .ToArray();
            return RewardDistribution.Compute(poolUnits.Get / 100m, scores);
        }

        var first = Run();
        var second = Run();

        // Equal values and equal renderings: the same digits and the same scale.
        return first.Rewards.SequenceEqual(second.Rewards)
            && first.Rewards.Select(r => $"{r.Weight}|{r.NormalizedScore}|{r.Share}").SequenceEqual(second.Rewards.Select(r => $"{r.Weight}|{r.NormalizedScore}|{r.Share}"))
            && first.Unallocated == second.Unallocated;
    }
}
