using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Minting;

namespace PoeStreams.Economics.UnitTests;

public class MintPolicyTests
{
    private static readonly PoeParameters Poe = new();
    private static readonly MintingParameters Minting = new();

    [Fact]
    public void Nex_below_threshold_is_not_eligible_with_the_reason()
    {
        var decision = MintPolicy.DecideNex(0.08m, 500m, Poe, Minting);

        Assert.False(decision.Eligible);
        Assert.Equal(0m, decision.Amount);
        Assert.Equal("gamma 0.08 < threshold 0.1", decision.Reason);
        Assert.Equal(500m, decision.SupplyAfter);
    }

    [Fact]
    public void Nex_at_or_above_threshold_mints_cap_times_gamma_floored_to_8_places()
    {
        var decision = MintPolicy.DecideNex(0.382716049382716049m, 500m, Poe, Minting);

        Assert.True(decision.Eligible);
        Assert.Equal(382.71604938m, decision.Amount);
        Assert.Equal(882.71604938m, decision.SupplyAfter);
        Assert.True(MintPolicy.DecideNex(0.1m, 0m, Poe, Minting).Eligible);
    }

    [Fact]
    public void Flx_net_demand_from_the_last_sample_and_fee_moving_average()
    {
        // U = 0.00001 × 200,000 × 0.5 + 1 × 0.3 + 0.5 × 2,000 / 1000 = 2.3 → min(5000, 1000 × 1.3) = 1300.
        var tally = NetworkLoadTally.Empty
            .With(Sample(minute: 1, pending: 1, gas: 1m, queue: 1, fee: 0.3m))
            .With(Sample(minute: 4, pending: 200_000, gas: 0.5m, queue: 2_000, fee: 0.3m));

        var mints = Decide(tally, FeeHistory.Empty);

        Assert.True(mints.Flx.Eligible);
        Assert.Equal(1_300m, mints.Flx.Amount);
        Assert.Equal("net demand 2.3 > threshold 1", mints.Flx.Reason);
        Assert.Equal([0.3m], mints.FeeHistory.EpochFees);
    }

    [Fact]
    public void Flx_fee_moving_average_spans_the_last_epochs_with_samples()
    {
        var history = FeeHistory.Empty;
        for (var i = 1; i <= 12; i++)
        {
            history = history.With(i, window: 12);
        }

        // The 13th epoch pushes out the fee 1: mean of 2..12 and 0.5 is (77 + 0.5) / 12.
        var mints = Decide(NetworkLoadTally.Empty.With(Sample(minute: 0, pending: 0, gas: 0m, queue: 0, fee: 0.5m)), history);

        Assert.Equal(12, mints.FeeHistory.EpochFees.Count);
        Assert.Equal(2m, mints.FeeHistory.EpochFees[0]);
        Assert.Equal(6.458333333333333333m, mints.FeeHistory.MovingAverage);
        Assert.Equal(5_000m, mints.Flx.Amount); // 1000 × (6.458… − 1) is over the cap
    }

    [Fact]
    public void Flx_at_or_below_threshold_or_without_samples_is_not_eligible()
    {
        var low = Decide(NetworkLoadTally.Empty.With(Sample(0, pending: 0, gas: 0m, queue: 0, fee: 0.5m)), FeeHistory.Empty);
        var none = Decide(NetworkLoadTally.Empty, new FeeHistory([100m]));

        Assert.False(low.Flx.Eligible);
        Assert.Equal("net demand 0.5 <= threshold 1", low.Flx.Reason);
        Assert.False(none.Flx.Eligible);
        Assert.Equal("no NetworkLoad samples in the epoch", none.Flx.Reason);
        Assert.Equal([100m], none.FeeHistory.EpochFees);
    }

    [Fact]
    public void Last_sample_does_not_depend_on_arrival_order()
    {
        var early = Sample(1, 10, 1m, 1, 1m);
        var lateA = Sample(3, 20, 1m, 1, 1m) with { SourceId = "a" };
        var lateB = Sample(3, 30, 1m, 1, 1m) with { SourceId = "b" };

        var forward = NetworkLoadTally.Empty.With(early).With(lateA).With(lateB);
        var backward = NetworkLoadTally.Empty.With(lateB).With(lateA).With(early);
        var merged = NetworkLoadTally.Empty.With(lateA).Combine(NetworkLoadTally.Empty.With(early).With(lateB));

        Assert.Equal(lateB, forward.Last);
        Assert.Equal(forward, backward);
        Assert.Equal(forward, merged);
    }

    [Theory]
    [InlineData("0", "1000", "1", "1000", "backing ratio infinite >= required 1")]
    [InlineData("1000", "1500", "1", "500", "backing ratio 1.5 >= required 1")]
    [InlineData("100", "300", "2", "50", "backing ratio 3 >= required 2")]
    [InlineData("1000", "1000", "1", "0", "backing ratio 1 >= required 1; no unbacked gold to mint against")]
    public void Aur_mints_the_unbacked_headroom(string supply, string gold, string required, string amount, string reason)
    {
        var decision = MintPolicy.DecideAur(Dec(gold), Dec(supply), Minting with { AurumGoldBackingRatio = Dec(required) });

        Assert.True(decision.Eligible);
        Assert.Equal(Dec(amount), decision.Amount);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void Aur_under_backed_is_not_eligible()
    {
        var decision = MintPolicy.DecideAur(900m, 1_000m, Minting);

        Assert.False(decision.Eligible);
        Assert.Equal("backing ratio 0.9 < required 1", decision.Reason);
    }

    [Fact]
    public void Gen_is_never_eligible()
    {
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, gamma: 0.99m, gold: 1_000_000m);

        Assert.False(mints.Gen.Eligible);
        Assert.Equal("GEN has a fixed supply of 100000 and is never minted", mints.Gen.Reason);
        Assert.Equal(GenesisAllocation.TotalSupply, mints.Supply.Gen);
        Assert.Throws<InvalidOperationException>(() => mints.Supply.WithMinted(Token.GEN, 1m));
    }

    [Fact]
    public void Supply_state_adds_every_mint()
    {
        var supply = SupplyState.Initial(new TokenSupplyParameters { NexInitialSupply = 10m, AurInitialSupply = 500m });
        var tally = NetworkLoadTally.Empty.With(Sample(0, pending: 200_000, gas: 0.5m, queue: 2_000, fee: 0.3m));

        var mints = MintPolicy.Decide(new MintInputs(0.5m, tally, FeeHistory.Empty, 800m), supply, Poe, Minting);

        Assert.Equal(new SupplyState(100_000m, 510m, 1_300m, 800m), mints.Supply);
        Assert.Equal([Token.GEN, Token.NEX, Token.FLX, Token.AUR], mints.All.Select(d => d.Token));
    }

    [Fact]
    public void A_nex_mint_request_within_the_cap_is_granted_and_grows_the_reward_pool()
    {
        // Γ = 0.5: the rule mints 500 of the 1,000 cap.
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, requests: [new MintRequest("r1", Token.NEX, 300m)]);

        Assert.Equal(800m, mints.Nex.Amount);
        Assert.Equal(800m, mints.Supply.Nex);
        Assert.Equal("gamma 0.5 >= threshold 0.1; pool = floor8(1000 x gamma); governance mint 300 (r1)", mints.Nex.Reason);
        var outcome = Assert.Single(mints.Requests);
        Assert.True(outcome.Granted);
        Assert.Equal("granted: the epoch mints 800 NEX of a limit of 1000 (minting.nex_epoch_cap)", outcome.Reason);
    }

    [Fact]
    public void Mint_requests_are_considered_in_order_against_what_is_left_of_the_cap()
    {
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, requests:
        [
            new MintRequest("r1", Token.NEX, 400m),
            new MintRequest("r2", Token.NEX, 200m),
            new MintRequest("r3", Token.NEX, 100m),
        ]);

        Assert.Equal([true, false, true], mints.Requests.Select(o => o.Granted));
        Assert.Equal("200 NEX would bring the epoch's mint to 1100, over the limit 1000 (minting.nex_epoch_cap)", mints.Requests[1].Reason);
        Assert.Equal(1_000m, mints.Nex.Amount);
    }

    [Fact]
    public void A_mint_request_for_a_token_the_rule_finds_ineligible_is_refused_with_the_rules_reason()
    {
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, gamma: 0.05m, requests: [new MintRequest("r1", Token.NEX, 1m), new MintRequest("r2", Token.FLX, 1m)]);

        Assert.Equal("NEX is not eligible in this epoch (gamma 0.05 < threshold 0.1)", mints.Requests[0].Reason);
        Assert.Equal("FLX is not eligible in this epoch (no NetworkLoad samples in the epoch)", mints.Requests[1].Reason);
        Assert.Equal(0m, mints.Nex.Amount);
        Assert.Equal(0m, mints.Flx.Amount);
        Assert.DoesNotContain("governance", mints.Nex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Gen_mint_requests_are_always_refused_and_aur_cannot_exceed_its_gold_backing()
    {
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, gamma: 0.99m, gold: 1_000_000m, requests:
        [
            new MintRequest("gen", Token.GEN, 0.00000001m),
            new MintRequest("aur", Token.AUR, 1m),
        ]);

        Assert.Equal("GEN is not eligible in this epoch (GEN has a fixed supply of 100000 and is never minted)", mints.Requests[0].Reason);
        Assert.Equal("1 AUR would bring the epoch's mint to 1000001, over the limit 1000000 (what the attested gold backs)", mints.Requests[1].Reason);
        Assert.Equal(GenesisAllocation.TotalSupply, mints.Supply.Gen);
        Assert.Equal(1_000_000m, mints.Supply.Aur);
    }

    [Theory]
    [InlineData("0", "the amount must be positive, got 0")]
    [InlineData("-5", "the amount must be positive, got -5")]
    [InlineData("0.000000001", "the amount has more than 8 decimal places: 0.000000001")]
    public void A_mint_request_amount_must_be_positive_with_at_most_8_places(string amount, string problem)
    {
        var mints = Decide(NetworkLoadTally.Empty, FeeHistory.Empty, requests: [new MintRequest("r", Token.NEX, Dec(amount))]);

        Assert.Equal(problem, MintRequest.AmountProblem(Dec(amount)));
        Assert.False(mints.Requests[0].Granted);
        Assert.Equal(problem, mints.Requests[0].Reason);
        Assert.Equal(500m, mints.Nex.Amount);
    }

    [Fact]
    public void Genesis_allocation_adds_up_to_the_fixed_supply()
    {
        Assert.Equal(100_000m, GenesisAllocation.Allocations.Sum(a => a.Value));
        Assert.Equal(100_000m, GenesisAllocation.TotalSupply);
    }

    private static EpochMints Decide(NetworkLoadTally tally, FeeHistory history, decimal gamma = 0.5m, decimal gold = 0m, IReadOnlyList<MintRequest>? requests = null) =>
        MintPolicy.Decide(new MintInputs(gamma, tally, history, gold) { Requests = requests ?? [] }, SupplyState.Initial(new TokenSupplyParameters()), Poe, Minting);

    private static NetworkLoadSample Sample(int minute, long pending, decimal gas, long queue, decimal fee) =>
        new(Jobs.Noon.AddMinutes(minute), "load-1", pending, gas, queue, fee);

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
