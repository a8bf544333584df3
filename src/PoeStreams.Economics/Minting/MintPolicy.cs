using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Minting;

/// <summary>What an epoch's mint decisions are made from.</summary>
public sealed record MintInputs(decimal Gamma, NetworkLoadTally NetworkLoad, FeeHistory FeeHistory, decimal AttestedGoldUnits);

/// <summary>An epoch's four decisions, the supply after them and the fee history to carry forward.</summary>
public sealed record EpochMints(
    MintDecision Nex, MintDecision Flx, MintDecision Aur, MintDecision Gen, SupplyState Supply, FeeHistory FeeHistory)
{
    public IReadOnlyList<MintDecision> All => [Gen, Nex, Flx, Aur];
}

/// <summary>The mint rules of SPEC §7. GEN is never eligible.</summary>
public static class MintPolicy
{
    /// <summary>Decides all four tokens for one closed epoch.</summary>
    public static EpochMints Decide(MintInputs inputs, SupplyState supply, PoeParameters poe, MintingParameters minting)
    {
        var feeHistory = inputs.NetworkLoad.MeanFee is { } epochFee
            ? inputs.FeeHistory.With(epochFee, minting.FluxFeeWindowEpochs)
            : inputs.FeeHistory;

        var nex = DecideNex(inputs.Gamma, supply.Nex, poe, minting);
        var flx = DecideFlx(inputs.NetworkLoad, feeHistory, supply.Flx, minting);
        var aur = DecideAur(inputs.AttestedGoldUnits, supply.Aur, minting);
        var gen = DecideGen(supply.Gen);
        var after = supply
            .WithMinted(Token.NEX, nex.Amount)
            .WithMinted(Token.FLX, flx.Amount)
            .WithMinted(Token.AUR, aur.Amount);
        return new EpochMints(nex, flx, aur, gen, after, feeHistory);
    }

    /// <summary>NEX: eligible when Γ ≥ min_poe_threshold; amount = floor₈(nex_epoch_cap × Γ), the epoch's reward pool.</summary>
    public static MintDecision DecideNex(decimal gamma, decimal supply, PoeParameters poe, MintingParameters minting)
    {
        var threshold = poe.MinPoeThreshold;
        if (gamma < threshold)
        {
            return NotEligible(Token.NEX, $"gamma {D(gamma)} < threshold {D(threshold)}", supply);
        }

        var amount = DecimalMath.FloorToTokenScale(minting.NexEpochCap * gamma);
        return Eligible(Token.NEX, amount, $"gamma {D(gamma)} >= threshold {D(threshold)}; pool = floor8({D(minting.NexEpochCap)} x gamma)", supply);
    }

    /// <summary>
    /// FLX: U = α·pending_tx·avg_gas_price + β·fee_moving_average + γ·queue_length/1000 from the epoch's
    /// last NetworkLoad sample; eligible when U &gt; threshold; amount = floor₈(min(cap, elasticity·(U − threshold))).
    /// </summary>
    /// <param name="feeHistory">The fee history including this epoch's fee.</param>
    public static MintDecision DecideFlx(NetworkLoadTally networkLoad, FeeHistory feeHistory, decimal supply, MintingParameters minting)
    {
        if (networkLoad.Last is not { } last)
        {
            return NotEligible(Token.FLX, "no NetworkLoad samples in the epoch", supply);
        }

        var demand = NetDemand(last, feeHistory.MovingAverage, minting);
        var threshold = minting.FluxDemandThreshold;
        if (demand <= threshold)
        {
            return NotEligible(Token.FLX, $"net demand {D(demand)} <= threshold {D(threshold)}", supply);
        }

        var amount = DecimalMath.FloorToTokenScale(Math.Min(minting.FluxEpochCap, minting.FluxElasticity * (demand - threshold)));
        return Eligible(Token.FLX, amount, $"net demand {D(demand)} > threshold {D(threshold)}", supply);
    }

    /// <summary>U, the FLX net demand, rounded to wire scale.</summary>
    public static decimal NetDemand(NetworkLoadSample last, decimal feeMovingAverage, MintingParameters minting) =>
        DecimalMath.RoundToWireScale(
            (minting.FluxAlpha * last.PendingTransactions * last.AverageGasPrice)
            + (minting.FluxBeta * feeMovingAverage)
            + (minting.FluxGamma * last.QueueLength / 1000m));

    /// <summary>
    /// AUR: backing ratio = attested gold / supply (∞ at zero supply); eligible when the ratio ≥ the
    /// required ratio; amount = floor₈(gold / required − supply) when positive.
    /// </summary>
    public static MintDecision DecideAur(decimal attestedGoldUnits, decimal supply, MintingParameters minting)
    {
        var required = minting.AurumGoldBackingRatio;
        var ratioText = supply == 0m ? "infinite" : D(DecimalMath.RoundToWireScale(attestedGoldUnits / supply));
        if (supply > 0m && attestedGoldUnits / supply < required)
        {
            return NotEligible(Token.AUR, $"backing ratio {ratioText} < required {D(required)}", supply);
        }

        var headroom = DecimalMath.FloorToTokenScale((attestedGoldUnits / required) - supply);
        return headroom > 0m
            ? Eligible(Token.AUR, headroom, $"backing ratio {ratioText} >= required {D(required)}", supply)
            : Eligible(Token.AUR, 0m, $"backing ratio {ratioText} >= required {D(required)}; no unbacked gold to mint against", supply);
    }

    /// <summary>GEN: fixed supply, never eligible.</summary>
    public static MintDecision DecideGen(decimal supply) =>
        NotEligible(Token.GEN, $"GEN has a fixed supply of {D(GenesisAllocation.TotalSupply)} and is never minted", supply);

    private static MintDecision Eligible(Token token, decimal amount, string reason, decimal supply) =>
        new(token, true, amount, reason, supply, supply + amount);

    private static MintDecision NotEligible(Token token, string reason, decimal supply) =>
        new(token, false, 0m, reason, supply, supply);

    private static string D(decimal value) => DecimalMath.ToDisplayString(value);
}
