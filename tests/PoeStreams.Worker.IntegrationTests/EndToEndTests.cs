using PoeStreams.Contracts;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>The worker over the real Kafka wire protocol, 4 partitions, against hand-computed values.</summary>
public class EndToEndTests
{
    /// <summary>
    /// The inputs carry old event times, so an idle partition's wall-clock tick would make them late.
    /// A grace longer than the time the test takes to produce them keeps every partition from ticking
    /// until input stops; the epoch then closes about this long after the last record.
    /// </summary>
    public const int IdleGraceSeconds = 30;

    private static readonly DateTimeOffset B = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task An_epoch_over_the_wire_produces_fees_index_rewards_manifest_and_mints()
    {
        await using var cluster = await PoeCluster.StartAsync(graceSeconds: IdleGraceSeconds);
        await cluster.StartWorkerAsync();
        using var outputs = cluster.Outputs(PoeTopics.Sequenced, PoeTopics.JobFees, PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.DeadLetters);

        cluster.Produce(PoeTopics.Miners, "m1", Inputs.Miner("m1", JobType.Compute, B), B);
        cluster.Produce(PoeTopics.Miners, "m2", Inputs.Miner("m2", null, B), B);
        cluster.Produce(PoeTopics.Miners, "m3", Inputs.Miner("m3", JobType.Transaction, B), B);
        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.Sequenced) >= 3, Timeout, "the registrations to be sequenced");

        Job(cluster, "j1", "m1", 100_000m, 0.9m, JobType.Compute, 10);
        Job(cluster, "j2", "m2", 200_000m, 0.5m, JobType.DataStorage, 20);
        Job(cluster, "j3", "m3", 50_000m, 1.0m, JobType.Transaction, 30);
        Job(cluster, "j4", "m3", 50_000m, 0m, JobType.Compute, 40);
        cluster.Produce(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 1.0m, B.AddSeconds(60)), B.AddSeconds(60));
        cluster.Produce(PoeTopics.NetworkMetrics, "sq", Inputs.Metric("sq", MetricKind.ServiceQuality, 0.9m, B.AddSeconds(61)), B.AddSeconds(61));
        cluster.Produce(PoeTopics.NetworkMetrics, "lq", Inputs.Metric("lq", MetricKind.LiquidityDelta, 200_000m, B.AddSeconds(62)), B.AddSeconds(62));
        cluster.Produce(PoeTopics.NetworkMetrics, "ld", Inputs.Load("ld", 200_000, 0.5m, 2_000, 0.3m, B.AddSeconds(63)), B.AddSeconds(63));
        cluster.Produce(PoeTopics.GoldReserves, "vault-1", Inputs.Gold("vault-1", 1_000m, B.AddSeconds(64)), B.AddSeconds(64));
        cluster.Flush();

        // Nothing closes the epoch by stream time: every partition ticks by wall clock once idle for the grace.
        var epoch = "2026-11-20T12:00:00Z";
        outputs.WaitUntil(
            o => o.Keys(PoeTopics.Index).Contains(epoch)
                && o.Keys(PoeTopics.RewardManifests).Contains(epoch)
                && o.Keys(PoeTopics.Rewards).Count(k => k.StartsWith(epoch, StringComparison.Ordinal)) == 3
                && o.Keys(PoeTopics.Mints).Count(k => k.StartsWith(epoch, StringComparison.Ordinal)) == 4
                && o.Count(PoeTopics.JobFees) == 4,
            Timeout,
            "the epoch's index, rewards, manifest, mints and fee splits");

        Assert.Equal(["j1", "j2", "j3", "j4"], outputs.Read<JobFeeSplit>(PoeTopics.JobFees).Select(f => f.Key).Order());
        var index = outputs.Read<PoeIndexSnapshot>(PoeTopics.Index).Single(i => i.Key == epoch).Value;
        Assert.Equal(0.6m, WireDecimal.FromAvro(index.phi));
        Assert.Equal(0.375m, WireDecimal.FromAvro(index.gamma));
        Assert.Equal(3, index.active_miners);
        var shares = outputs.Read<MinerReward>(PoeTopics.Rewards).Where(r => r.Key.StartsWith(epoch, StringComparison.Ordinal))
            .OrderBy(r => r.Key).Select(r => WireDecimal.FromAvro(r.Value.share)).ToList();
        Assert.Equal([115.08114343m, 165.18824416m, 94.73061240m], shares);
        var manifest = outputs.Read<RewardManifest>(PoeTopics.RewardManifests).Single(m => m.Key == epoch).Value;
        Assert.Equal(0.00000001m, WireDecimal.FromAvro(manifest.unallocated));
        var mints = outputs.Read<MintDecision>(PoeTopics.Mints).Where(m => m.Key.StartsWith(epoch, StringComparison.Ordinal)).ToDictionary(m => m.Value.token, m => WireDecimal.FromAvro(m.Value.amount));
        Assert.Equal(375m, mints[TokenSymbol.NEX]);
        Assert.Equal(1_300m, mints[TokenSymbol.FLX]);
        Assert.Equal(1_000m, mints[TokenSymbol.AUR]);
        Assert.Equal(0m, mints[TokenSymbol.GEN]);
        Assert.Empty(outputs.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value.reason));
    }

    [Fact]
    public async Task Bad_input_over_the_wire_is_dead_lettered_and_the_worker_keeps_going()
    {
        await using var cluster = await PoeCluster.StartAsync(graceSeconds: IdleGraceSeconds);
        await cluster.StartWorkerAsync();
        using var outputs = cluster.Outputs(PoeTopics.Sequenced, PoeTopics.JobFees, PoeTopics.DeadLetters);
        cluster.Produce(PoeTopics.Miners, "m1", Inputs.Miner("m1", null, B), B);
        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.Sequenced) >= 1, Timeout, "the registration to be sequenced");

        byte[] garbage = [0xde, 0xad, 0xbe, 0xef];
        byte[] unknownSchema = [0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6];
        cluster.ProduceBytes(PoeTopics.Jobs, "m1", garbage, B.AddSeconds(1));
        cluster.ProduceBytes(PoeTopics.Jobs, "m1", unknownSchema, B.AddSeconds(2));
        Job(cluster, "good", "m1", 1_000m, 0.5m, JobType.Compute, 3);
        cluster.Flush();

        outputs.WaitUntil(o => o.Count(PoeTopics.DeadLetters) >= 2 && o.Count(PoeTopics.JobFees) >= 1, Timeout, "two dead letters and the valid job's fee split");
        var letters = outputs.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value).OrderBy(d => d.source_offset).ToList();
        Assert.Equal(["undecodable", "undecodable"], letters.Select(l => l.reason));
        Assert.Equal(garbage, letters[0].original_value);
        Assert.Equal(unknownSchema, letters[1].original_value);
        Assert.Contains("not found", letters[1].detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("good", Assert.Single(outputs.Read<JobFeeSplit>(PoeTopics.JobFees)).Key);
    }

    private static void Job(PoeCluster cluster, string id, string miner, decimal value, decimal quality, JobType type, int second) =>
        cluster.Produce(PoeTopics.Jobs, miner, Inputs.Job(id, miner, value, quality, B.AddSeconds(second), type), B.AddSeconds(second));
}
