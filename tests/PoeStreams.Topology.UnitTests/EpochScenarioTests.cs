using PoeStreams.Contracts;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// One epoch (12:00–12:05) with three miners, metrics, a NetworkLoad sample and a gold attestation,
/// closed by a record at 12:06:01 (end + 60 s grace). Expected values are computed by hand in the comments.
/// </summary>
public class EpochScenarioTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private readonly TopologyHarness harness = new();

    public EpochScenarioTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1", JobType.Compute), T0);
        harness.Pipe(PoeTopics.Miners, "m2", Inputs.Miner("m2"), T0);
        harness.Pipe(PoeTopics.Miners, "m3", Inputs.Miner("m3", JobType.Transaction), T0);
        Job("j1", "m1", 100_000m, 0.9m, JobType.Compute, 10);        // 100,000 × 1.9 × 1.1 = 209,000
        Job("j2", "m2", 200_000m, 0.5m, JobType.DataStorage, 20);    // 200,000 × 1.5 = 300,000
        Job("j3", "m3", 50_000m, 1.0m, JobType.Transaction, 30);     // 50,000 × 2 × 1.1 = 110,000
        Job("j4", "m3", 50_000m, 0m, JobType.Compute, 40);           // 50,000 × 1 = 50,000 → m3 raw 160,000
        Job("j5", "m1", 999_999m, 0.9m, JobType.Compute, 50, VerificationStatus.Pending);
        harness.Pipe(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 1.0m, T0.AddSeconds(60)), T0.AddSeconds(60));
        harness.Pipe(PoeTopics.NetworkMetrics, "sq", Inputs.Metric("sq", MetricKind.ServiceQuality, 0.9m, T0.AddSeconds(61)), T0.AddSeconds(61));
        harness.Pipe(PoeTopics.NetworkMetrics, "lq", Inputs.Metric("lq", MetricKind.LiquidityDelta, 200_000m, T0.AddSeconds(62)), T0.AddSeconds(62));
        harness.Pipe(PoeTopics.NetworkMetrics, "ld", Inputs.Load("ld", 200_000, 0.5m, 2_000, 0.3m, T0.AddSeconds(63)), T0.AddSeconds(63));
        harness.Pipe(PoeTopics.GoldReserves, "vault-1", Inputs.Gold("vault-1", 1_000m, T0.AddSeconds(64)), T0.AddSeconds(64));

        // Stream time 12:06:01 passes 12:05 + 60 s grace: the epoch closes.
        harness.Tick(T0.AddSeconds(361));
    }

    [Fact]
    public void The_index_has_each_component_phi_and_gamma()
    {
        var (key, index) = harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index);

        Assert.Equal("2026-11-25T12:00:00Z", key);
        Assert.Equal(key, index.epoch_id);
        Assert.Equal(T0.UtcDateTime, index.window_start);
        Assert.Equal(T0.AddMinutes(5).UtcDateTime, index.window_end);
        Assert.Equal(0.12m, Dec(index.volume));      // 0.3 × 400,000 / 1e6
        Assert.Equal(0.05m, Dec(index.liquidity));   // 0.25 × 200,000 / 1e6
        Assert.Equal(0.25m, Dec(index.uptime));      // 0.25 × 1.0
        Assert.Equal(0.18m, Dec(index.quality));     // 0.2 × 0.9
        Assert.Equal(0.6m, Dec(index.phi));
        Assert.Equal(0.375m, Dec(index.gamma));      // 0.6 / 1.6
        Assert.Equal(4, index.verified_jobs);
        Assert.Equal(3, index.active_miners);
    }

    [Fact]
    public void Rewards_weight_miners_and_split_the_pool()
    {
        var rewards = harness.Read<Contracts.MinerReward>(PoeTopics.Rewards).ToDictionary(r => r.Key, r => r.Value);

        Assert.Equal(["2026-11-25T12:00:00Z|m1", "2026-11-25T12:00:00Z|m2", "2026-11-25T12:00:00Z|m3"], rewards.Keys.Order());
        var m1 = rewards["2026-11-25T12:00:00Z|m1"];
        var m3 = rewards["2026-11-25T12:00:00Z|m3"];
        Assert.Equal(209_000m, Dec(m1.raw_score));
        Assert.Equal(0.937219730941704036m, Dec(m1.normalized_score));     // 209,000 / 223,000
        Assert.Equal(1m, Dec(m1.prestige));
        Assert.Equal(1m, Dec(m1.diversity));
        Assert.Equal(160_000m, Dec(m3.raw_score));
        Assert.Equal(1.075257498915995299m, Dec(m3.diversity));            // 1 + 0.25 × ln 2 / ln 10
        Assert.Equal(0.771485201015960752m, Dec(m3.weight));
        Assert.Equal(0.09m, Dec(m1.reputation_after));                     // 0.1 × 0.9
        Assert.Equal([115.08114343m, 165.18824416m, 94.73061240m], rewards.OrderBy(r => r.Key).Select(r => Dec(r.Value.share)));
    }

    [Fact]
    public void The_manifest_accounts_for_the_whole_pool_and_commits_to_the_rewards()
    {
        var rewards = harness.Read<Contracts.MinerReward>(PoeTopics.Rewards).Select(r => r.Value).ToList();
        var (key, manifest) = harness.ReadSingle<RewardManifest>(PoeTopics.RewardManifests);

        Assert.Equal("2026-11-25T12:00:00Z", key);
        Assert.Equal(3, manifest.miner_count);
        Assert.Equal(375m, Dec(manifest.pool));                  // floor8(1000 × 0.375)
        Assert.Equal(374.99999999m, Dec(manifest.total_shares));
        Assert.Equal(0.00000001m, Dec(manifest.unallocated));
        Assert.Equal(223_000m, Dec(manifest.network_average));
        Assert.Equal(("poe-rewards-v2", 3L), (manifest.merkle_scheme, manifest.leaf_count));
        var expectedRoot = RewardMerkleTree.RootOf(MerkleScheme.V2, manifest.epoch_id, rewards.Select(r => new Economics.Mining.MinerReward(
            r.miner_id, Dec(r.raw_score), Dec(r.normalized_score), Dec(r.prestige), Dec(r.diversity), Dec(r.weight), Dec(r.share))));
        Assert.Equal(expectedRoot, manifest.merkle_root);
        Assert.Matches("^[0-9a-f]{64}$", manifest.merkle_root);
    }

    [Fact]
    public void Every_token_gets_a_decision_with_its_reason()
    {
        var mints = harness.Read<Contracts.MintDecision>(PoeTopics.Mints).ToDictionary(m => m.Key, m => m.Value);

        Assert.Equal(4, mints.Count);
        var nex = mints["2026-11-25T12:00:00Z|NEX"];
        Assert.True(nex.eligible);
        Assert.Equal(375m, Dec(nex.amount));
        Assert.Equal("gamma 0.375 >= threshold 0.1; pool = floor8(1000 x gamma)", nex.reason);
        var flx = mints["2026-11-25T12:00:00Z|FLX"];
        Assert.Equal(1_300m, Dec(flx.amount));                   // U = 1 + 0.3 + 1 = 2.3
        Assert.Equal("net demand 2.3 > threshold 1", flx.reason);
        var aur = mints["2026-11-25T12:00:00Z|AUR"];
        Assert.Equal(1_000m, Dec(aur.amount));
        Assert.Equal(1_000m, Dec(aur.supply_after));
        var gen = mints["2026-11-25T12:00:00Z|GEN"];
        Assert.False(gen.eligible);
        Assert.Equal(100_000m, Dec(gen.supply_after));
    }

    [Fact]
    public void Every_verified_job_has_a_fee_split_and_nothing_was_rejected()
    {
        var fees = harness.Read<JobFeeSplit>(PoeTopics.JobFees);

        Assert.Equal(["j1", "j2", "j3", "j4"], fees.Select(f => f.Key));
        var j2 = fees[1].Value;
        Assert.Equal(2_000m, Dec(j2.total_fee));
        Assert.Equal(400m, Dec(j2.miner_locked));
        Assert.Equal("2026-11-25T12:00:00Z", j2.epoch_id);
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value.reason));
    }

    [Fact]
    public void The_next_epoch_sees_supply_and_reputation_carried_forward()
    {
        harness.Read<Contracts.MintDecision>(PoeTopics.Mints);
        harness.Read<Contracts.MinerReward>(PoeTopics.Rewards);
        Job("j6", "m1", 100_000m, 0.9m, JobType.Compute, 400);
        harness.Tick(T0.AddSeconds(661));

        var nex = harness.Read<Contracts.MintDecision>(PoeTopics.Mints).Single(m => m.Key.EndsWith("|NEX", StringComparison.Ordinal)).Value;
        var reward = harness.ReadSingle<Contracts.MinerReward>(PoeTopics.Rewards).Value;

        Assert.Equal(375m, Dec(nex.supply_before));
        Assert.Equal(0.09m, Dec(reward.reputation_before));
        Assert.Equal(1.045m, Dec(reward.prestige));              // 1 + 0.5 × 0.09
    }

    public void Dispose() => harness.Dispose();

    private void Job(string id, string miner, decimal value, decimal quality, JobType type, int second, VerificationStatus status = VerificationStatus.Verified) =>
        harness.Pipe(PoeTopics.Jobs, miner, Inputs.Job(id, miner, value, quality, T0.AddSeconds(second), type, status), T0.AddSeconds(second));

    private static decimal Dec(Avro.AvroDecimal value) => WireDecimal.FromAvro(value);
}
