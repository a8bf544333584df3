using PoeStreams.Contracts;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Grace, lateness and the wall-clock close (SPEC §5).</summary>
public class EpochCloseTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private readonly TopologyHarness harness = new();

    public EpochCloseTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 1_000_000m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(10));
    }

    [Fact]
    public void A_late_event_within_grace_still_counts()
    {
        // Stream time moves to 12:05:30, past the epoch's end but within its 60 s grace.
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", 1m, 0.5m, T0.AddSeconds(330)), T0.AddSeconds(330));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j-late", "m1", 1_000_000m, 0.5m, T0.AddSeconds(299)), T0.AddSeconds(331));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j3", "m1", 1m, 0.5m, T0.AddSeconds(361)), T0.AddSeconds(361));

        var index = harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index).Value;
        Assert.Equal(2, index.verified_jobs);
        Assert.Equal(0.6m, WireDecimal.FromAvro(index.volume)); // 0.3 × 2,000,000 / 1e6
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters).Select(d => d.Value.reason));
    }

    [Fact]
    public void An_event_beyond_grace_is_dead_lettered_as_late()
    {
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", 1m, 0.5m, T0.AddSeconds(361)), T0.AddSeconds(361));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j-late", "m1", 1m, 0.5m, T0.AddSeconds(299)), T0.AddSeconds(362));
        harness.Pipe(PoeTopics.NetworkMetrics, "u", Inputs.Metric("u", MetricKind.Uptime, 1m, T0.AddSeconds(100)), T0.AddSeconds(363));

        var letters = harness.Read<DeadLetter>(PoeTopics.DeadLetters);
        Assert.Equal(["late", "late"], letters.Select(l => l.Value.reason));
        Assert.Contains("epoch 2026-11-25T12:00:00Z closed", letters[0].Value.detail);
        Assert.Equal(1, harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index).Value.verified_jobs);
    }

    [Fact]
    public void An_idle_epoch_closes_by_wall_clock_within_grace_plus_ten_seconds()
    {
        // No input after 12:00:10 (the wall clock is there too). At 12:06:00 (end + grace) plus one check interval the epoch must be out.
        harness.AdvanceWallClock(TimeSpan.FromSeconds(345));
        Assert.Empty(harness.Read<PoeIndexSnapshot>(PoeTopics.Index).Select(i => i.Key));

        harness.AdvanceWallClock(TimeSpan.FromSeconds(6));

        var (key, index) = harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index);
        Assert.Equal("2026-11-25T12:00:00Z", key);
        Assert.Equal(1, index.verified_jobs);
        Assert.Single(harness.Read<Contracts.MinerReward>(PoeTopics.Rewards));
    }

    [Fact]
    public void The_wall_clock_does_not_close_an_epoch_while_an_input_partition_has_a_backlog()
    {
        var backlog = new SwitchableBacklog { Behind = PoeTopics.NetworkMetrics };
        using var behind = new TopologyHarness(backlog: backlog);
        behind.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        behind.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 1_000_000m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(10));

        // An hour of wall clock: the metrics still to be read may belong to the epoch, so it stays open.
        behind.AdvanceWallClock(TimeSpan.FromHours(1));
        Assert.Empty(behind.Read<PoeIndexSnapshot>(PoeTopics.Index));

        behind.Pipe(PoeTopics.NetworkMetrics, "u", Inputs.Metric("u", MetricKind.Uptime, 1m, T0.AddSeconds(200)), T0.AddSeconds(200));
        backlog.Behind = null;
        behind.AdvanceWallClock(TimeSpan.FromMinutes(2));

        var index = behind.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index).Value;
        Assert.Equal(1, index.uptime_samples);
        Assert.Empty(behind.Read<DeadLetter>(PoeTopics.DeadLetters));
    }

    public void Dispose() => harness.Dispose();
}
