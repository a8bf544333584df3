using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;
using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.Mining;

/// <summary>
/// A miner's reputation r ∈ [0, 1] (SPEC §6) and the time up to which month decay has been applied.
/// It starts at 0, decays by reputation_decay_rate at every UTC month boundary, and moves toward the
/// epoch's mean job quality by β in every epoch the miner is active.
/// </summary>
public readonly record struct Reputation(decimal Value, DateTimeOffset? DecayedThrough)
{
    public static Reputation Initial => new(0m, null);

    /// <summary>Applies the decay of every month boundary between <see cref="DecayedThrough"/> and <paramref name="at"/>.</summary>
    public Reputation DecayedTo(DateTimeOffset at, MiningRewardsParameters parameters)
    {
        if (DecayedThrough is not { } since)
        {
            return this with { DecayedThrough = at };
        }

        if (at <= since)
        {
            return this;
        }

        var boundaries = YearMonth.BoundariesCrossed(since, at);
        var value = boundaries == 0
            ? Value
            : DecimalMath.RoundToWireScale(Value * DecimalMath.Pow(1m - parameters.ReputationDecayRate, boundaries));
        return new Reputation(value, at);
    }

    /// <summary>r ← (1 − β)·r + β·q̄ for an epoch in which the miner was active.</summary>
    public Reputation Learn(decimal epochQualityMean, MiningRewardsParameters parameters)
    {
        var beta = parameters.ReputationLearningRate;
        return this with { Value = DecimalMath.RoundToWireScale(((1m - beta) * Value) + (beta * epochQualityMean)) };
    }
}
