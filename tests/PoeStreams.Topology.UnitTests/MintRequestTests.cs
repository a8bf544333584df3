using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// Governance mint requests (issue #6): answered when the epoch they are for closes, granted only when the
/// token is eligible and the epoch's total stays within its limit, refused to the dead letters otherwise.
/// </summary>
public class MintRequestTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private static readonly string Epoch = "2026-11-25T12:00:00Z";
    private readonly TopologyHarness harness = new();

    public MintRequestTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1", at: T0.AddMinutes(-2)), T0.AddMinutes(-2));
    }

    [Fact]
    public void A_granted_nex_request_joins_the_epochs_mint_and_its_reward_pool()
    {
        // Issued in the 11:55 epoch, so it is for the 12:00 epoch, where one 2,000,000 job of quality 0 gives Φ = 0.6, Γ = 0.375.
        harness.Govern(Inputs.MintRequest("mint-1", TokenSymbol.NEX, 100m, T0.AddSeconds(-60)));
        Job("j1", 2_000_000m, T0.AddSeconds(10));
        harness.Tick(T0.AddSeconds(361));

        var nex = harness.Read<MintDecision>(PoeTopics.Mints).Single(m => m.Key == $"{Epoch}|NEX").Value;
        Assert.Equal(475m, Dec(nex.amount));                 // floor8(1000 × 0.375) + 100
        Assert.Equal(475m, Dec(nex.supply_after));
        Assert.Equal("gamma 0.375 >= threshold 0.1; pool = floor8(1000 x gamma); governance mint 100 (mint-1)", nex.reason);
        Assert.Equal(475m, Dec(harness.ReadSingle<RewardManifest>(PoeTopics.RewardManifests).Value.pool));
        Assert.Equal(475m, Dec(harness.ReadSingle<MinerReward>(PoeTopics.Rewards).Value.share));
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters));
    }

    [Fact]
    public void Gen_and_over_the_cap_requests_are_dead_lettered_with_the_reason_and_their_bytes()
    {
        var gen = Inputs.MintRequest("mint-gen", TokenSymbol.GEN, 1m, T0.AddSeconds(-60));
        var genBytes = harness.Serialize(PoeTopics.Governance, gen);
        harness.PipeBytes(PoeTopics.Governance, gen.event_id, genBytes, T0.AddSeconds(-60));
        harness.Govern(Inputs.MintRequest("mint-big", TokenSymbol.NEX, 900m, T0.AddSeconds(-50)));
        harness.Govern(Inputs.MintRequest("mint-fits", TokenSymbol.NEX, 625m, T0.AddSeconds(-40)));
        Job("j1", 2_000_000m, T0.AddSeconds(10));
        harness.Tick(T0.AddSeconds(361));

        var letters = harness.Read<DeadLetter>(PoeTopics.DeadLetters).Select(l => l.Value).ToList();
        Assert.Equal(["mint-refused", "mint-refused"], letters.Select(l => l.reason));
        Assert.Equal($"MintRequest mint-gen for epoch {Epoch}: GEN is not eligible in this epoch (GEN has a fixed supply of 100000 and is never minted)", letters[0].detail);
        Assert.Equal(genBytes, letters[0].original_value);
        Assert.Equal($"MintRequest mint-big for epoch {Epoch}: 900 NEX would bring the epoch's mint to 1275, over the limit 1000 (minting.nex_epoch_cap)", letters[1].detail);
        var mints = harness.Read<MintDecision>(PoeTopics.Mints).ToDictionary(m => m.Key, m => m.Value);
        Assert.Equal(1_000m, Dec(mints[$"{Epoch}|NEX"].amount));
        Assert.Equal(0m, Dec(mints[$"{Epoch}|GEN"].amount));
    }

    [Fact]
    public void A_request_for_an_epoch_without_any_activity_is_still_answered()
    {
        harness.Govern(Inputs.MintRequest("mint-idle", TokenSymbol.NEX, 5m, T0.AddSeconds(-60)));
        harness.Tick(T0.AddSeconds(361));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal($"MintRequest mint-idle for epoch {Epoch}: NEX is not eligible in this epoch (gamma 0 < threshold 0.1)", letter.detail);
        Assert.Contains($"{Epoch}|NEX", harness.Read<MintDecision>(PoeTopics.Mints).Select(m => m.Key));
    }

    [Theory]
    [InlineData("-1", "MintRequest: the amount must be positive, got -1")]
    [InlineData("0.123456789", "MintRequest: the amount has more than 8 decimal places: 0.123456789")]
    public void A_request_with_an_impossible_amount_is_rejected_on_arrival(string amount, string detail)
    {
        harness.Govern(Inputs.MintRequest("mint-bad", TokenSymbol.FLX, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), T0.AddSeconds(-60)));

        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("invalid-governance", letter.reason);
        Assert.Equal(detail, letter.detail);
    }

    public void Dispose() => harness.Dispose();

    private void Job(string id, decimal value, DateTimeOffset at) =>
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job(id, "m1", value, 0m, at), at);

    private static decimal Dec(Avro.AvroDecimal value) => WireDecimal.FromAvro(value);
}
