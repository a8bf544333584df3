using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Minting;

/// <summary>What an epoch's mint decisions are made from.</summary>
public sealed record MintInputs(decimal Gamma, NetworkLoadTally NetworkLoad, FeeHistory FeeHistory, decimal AttestedGoldUnits)
{
    /// <summary>The governance mint requests in force for the epoch, in the order they are considered.</summary>
    public IReadOnlyList<MintRequest> Requests { get; init; } = [];
}

/// <summary>An epoch's four decisions, the supply after them and the fee history to carry forward.</summary>
public sealed record EpochMints(
    MintDecision Nex, MintDecision Flx, MintDecision Aur, MintDecision Gen, SupplyState Supply, FeeHistory FeeHistory)
{
    public IReadOnlyList<MintDecision> All => [Gen, Nex, Flx, Aur];

    /// <summary>One outcome per <see cref="MintInputs.Requests"/>, in the same order.</summary>
    public IReadOnlyList<MintRequestOutcome> Requests { get; init; } = [];
}

/// <summary>The mint rules of SPEC §7 and the governance mint requests on top of them. GEN is never eligible.</summary>
public static class MintPolicy
{
    /// <summary>
    /// Decides all four tokens for one closed epoch, then considers the epoch's mint requests in order: a
    /// request is granted when its token is eligible and the epoch's total stays within the token's limit
    /// (<see cref="MintingParameters.NexEpochCap"/>, <see cref="MintingParameters.FluxEpochCap"/>, or for AUR
    /// what the attested gold backs). A granted amount joins the token's decision, so granted NEX grows
    /// the epoch's reward pool.
    /// </summary>
    public static EpochMints Decide(MintInputs inputs, SupplyState supply, PoeParameters poe, MintingParameters minting)
    {
        var feeHistory = inputs.NetworkLoad.MeanFee is { } epochFee
            ? inputs.FeeHistory.With(epochFee, minting.FluxFeeWindowEpochs)
            : inputs.FeeHistory;

        var decisions = new Dictionary<Token, MintDecision>
        {
            [Token.NEX] = DecideNex(inputs.Gamma, supply.Nex, poe, minting),
            [Token.FLX] = DecideFlx(inputs.NetworkLoad, feeHistory, supply.Flx, minting),
            [Token.AUR] = DecideAur(inputs.AttestedGoldUnits, supply.Aur, minting),
            [Token.GEN] = DecideGen(supply.Gen),
        };
        var outcomes = new List<MintRequestOutcome>(inputs.Requests.Count);
        foreach (var request in inputs.Requests)
        {
            var (limit, limitName) = Limit(request.Token, inputs.AttestedGoldUnits, supply, minting);
            var outcome = Consider(request, decisions[request.Token], limit, limitName);
            outcomes.Add(outcome);
            if (outcome.Granted)
            {
                decisions[request.Token] = WithGrant(decisions[request.Token], request);
            }
        }

        var after = supply
            .WithMinted(Token.NEX, decisions[Token.NEX].Amount)
            .WithMinted(Token.FLX, decisions[Token.FLX].Amount)
            .WithMinted(Token.AUR, decisions[Token.AUR].Amount);
        return new EpochMints(decisions[Token.NEX], decisions[Token.FLX], decisions[Token.AUR], decisions[Token.GEN], after, feeHistory)
        {
            Requests = outcomes,
        };
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

    private static MintRequestOutcome Consider(MintRequest request, MintDecision decision, decimal limit, string limitName)
    {
        if (MintRequest.AmountProblem(request.Amount) is { } problem)
        {
            return new(request, false, problem);
        }

        if (!decision.Eligible)
        {
            return new(request, false, $"{request.Token} is not eligible in this epoch ({decision.Reason})");
        }

        var total = decision.Amount + request.Amount;
        return total > limit
            ? new(request, false, $"{D(request.Amount)} {request.Token} would bring the epoch's mint to {D(total)}, over the limit {D(limit)} ({limitName})")
            : new(request, true, $"granted: the epoch mints {D(total)} {request.Token} of a limit of {D(limit)} ({limitName})");
    }

    /// <summary>
    /// The most an epoch may mint of <paramref name="token"/> whatever the state, with the setting's name:
    /// the NEX and FLX epoch caps. AUR has none (its limit is the gold backing) and GEN is never minted.
    /// </summary>
    public static (decimal Cap, string Name)? EpochCap(Token token, MintingParameters minting) => token switch
    {
        Token.NEX => (minting.NexEpochCap, "minting.nex_epoch_cap"),
        Token.FLX => (minting.FluxEpochCap, "minting.flux_epoch_cap"),
        _ => null,
    };

    private static (decimal Limit, string Name) Limit(Token token, decimal attestedGoldUnits, SupplyState supply, MintingParameters minting) =>
        EpochCap(token, minting) ?? (token == Token.AUR
            ? (Math.Max(0m, DecimalMath.FloorToTokenScale((attestedGoldUnits / minting.AurumGoldBackingRatio) - supply.Aur)), "what the attested gold backs")
            : (0m, "GEN has a fixed supply"));

    private static MintDecision WithGrant(MintDecision decision, MintRequest request) => decision with
    {
        Amount = decision.Amount + request.Amount,
        SupplyAfter = decision.SupplyAfter + request.Amount,
        Reason = $"{decision.Reason}; governance mint {D(request.Amount)} ({request.RequestId})",
    };

    private static MintDecision Eligible(Token token, decimal amount, string reason, decimal supply) =>
        new(token, true, amount, reason, supply, supply + amount);

    private static MintDecision NotEligible(Token token, string reason, decimal supply) =>
        new(token, false, 0m, reason, supply, supply);

    private static string D(decimal value) => DecimalMath.ToDisplayString(value);
}
