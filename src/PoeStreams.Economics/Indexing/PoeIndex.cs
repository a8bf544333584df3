using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Indexing;

/// <summary>The PoE index of one epoch: the four weighted components, Φ and Γ (SPEC §5).</summary>
public readonly record struct PoeIndex(
    decimal Volume,
    decimal Liquidity,
    decimal Uptime,
    decimal Quality,
    decimal QualityScore,
    decimal Phi,
    decimal Gamma)
{
    /// <summary>
    /// Computes the index from an epoch's sums. Each component is rounded half-to-even to wire scale;
    /// Φ is their exact sum and Γ = Φ / (1 + Φ) rounded down, so Γ stays below one.
    /// </summary>
    public static PoeIndex Compute(EpochActivity activity, PoeParameters parameters)
    {
        var volume = DecimalMath.RoundToWireScale(parameters.VolumeWeight * activity.VerifiedValue / parameters.VolumeScale);
        var liquidity = DecimalMath.RoundToWireScale(
            parameters.LiquidityWeight * Math.Max(0m, activity.LiquidityDelta) / parameters.LiquidityScale);
        var uptime = DecimalMath.RoundToWireScale(parameters.UptimeWeight * Mean(activity.UptimeSum, activity.UptimeSamples));
        var qualityScore = DecimalMath.RoundToWireScale(QualityScoreOf(activity));
        var quality = DecimalMath.RoundToWireScale(parameters.QualityWeight * qualityScore);
        var phi = volume + liquidity + uptime + quality;
        return new PoeIndex(volume, liquidity, uptime, quality, qualityScore, phi, GammaOf(phi));
    }

    /// <summary>Γ(Φ) = Φ / (1 + Φ), rounded down to wire scale and never one.</summary>
    public static decimal GammaOf(decimal phi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(phi);
        return Math.Min(DecimalMath.FloorToWireScale(phi / (1m + phi)), DecimalMath.LargestBelowOne);
    }

    /// <summary>
    /// QualityScore(t): the mean ServiceQuality sample, or without samples the value-weighted mean
    /// quality of Verified jobs, or 0.
    /// </summary>
    private static decimal QualityScoreOf(EpochActivity activity)
    {
        if (activity.ServiceQualitySamples > 0)
        {
            return Mean(activity.ServiceQualitySum, activity.ServiceQualitySamples);
        }

        return activity.VerifiedValue > 0m ? activity.ValueWeightedQuality / activity.VerifiedValue : 0m;
    }

    private static decimal Mean(decimal sum, long count) => count == 0 ? 0m : sum / count;
}
