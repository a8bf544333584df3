using PoeStreams.Contracts;
using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Minting;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Stage 2 closes an epoch only when every stage-1 partition has reported past it, whatever the arrival order.</summary>
public class StageTwoCompletenessTests
{
    private static readonly DateTimeOffset Epoch = TopologyHarness.T0;

    [Fact]
    public void An_epoch_waits_for_the_watermark_of_every_partition()
    {
        using var harness = new TopologyHarness(new PoeTopologyOptions { Partitions = 2 });
        Partial(harness, new EpochPartial(EpochPartialKind.Activity, 0, Epoch, Activity: Activity(300_000m)));
        Partial(harness, new EpochPartial(EpochPartialKind.Watermark, 0, ClosedThrough: Epoch.AddMinutes(5)));

        Assert.Empty(harness.Read<PoeIndexSnapshot>(PoeTopics.Index).Select(i => i.Key));

        Partial(harness, new EpochPartial(EpochPartialKind.Activity, 1, Epoch, Activity: Activity(100_000m)));
        Partial(harness, new EpochPartial(EpochPartialKind.Watermark, 1, ClosedThrough: Epoch.AddMinutes(5)));

        var index = harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index).Value;
        Assert.Equal(0.12m, WireDecimal.FromAvro(index.volume)); // both partitions: 0.3 × 400,000 / 1e6
        Assert.Equal(2, index.verified_jobs);
    }

    [Fact]
    public void Partitions_interleaved_in_any_order_give_the_same_outputs()
    {
        // Each partition's own records keep their order (a partition writes its partials before its watermark).
        EpochPartial[] first =
        [
            new(EpochPartialKind.Activity, 0, Epoch, Activity: Activity(300_000m)),
            new(EpochPartialKind.MinerScores, 0, Epoch, Scores: [new("m1", 100m, 1m, 1m, 0.5m, 1, 100m, 0m, 0.05m)]),
            new(EpochPartialKind.Watermark, 0, ClosedThrough: Epoch.AddMinutes(5)),
        ];
        EpochPartial[] second =
        [
            new(EpochPartialKind.Activity, 1, Epoch, Activity: Activity(100_000m)),
            new(EpochPartialKind.MinerScores, 1, Epoch, Scores: [new("m2", 300m, 1m, 1.1m, 0.5m, 1, 300m, 0m, 0.05m)]),
            new(EpochPartialKind.Watermark, 1, ClosedThrough: Epoch.AddMinutes(5)),
        ];

        var firstThenSecond = Outputs([.. first, .. second]);
        var secondThenFirst = Outputs([.. second, .. first]);
        var interleaved = Outputs([second[0], first[0], first[1], second[1], first[2], second[2]]);

        Assert.Equal(8, firstThenSecond.Count); // index, 2 rewards, manifest, 4 mints
        Assert.Equal(firstThenSecond, secondThenFirst);
        Assert.Equal(firstThenSecond, interleaved);
    }

    [Fact]
    public void Partials_sent_again_after_a_crash_count_once()
    {
        EpochPartial[] partials =
        [
            new(EpochPartialKind.Activity, 0, Epoch, Activity: Activity(300_000m)),
            new(EpochPartialKind.MinerScores, 0, Epoch, Scores: [new("m1", 100m, 1m, 1m, 0.5m, 1, 100m, 0m, 0.05m)]),
            new(EpochPartialKind.GoldAttestation, 0, Epoch, Gold: new Economics.Minting.GoldReserveAttestation("vault-1", 100m, Epoch.AddSeconds(5))),
            new(EpochPartialKind.Governance, 0, Epoch, Governance: MintRequest("mint-1"), Source: new SourceRecord(PoeTopics.Governance, 0, 0, 0, null, [1])),
            new(EpochPartialKind.Watermark, 0, ClosedThrough: Epoch),
            new(EpochPartialKind.Activity, 1, Epoch, Activity: Activity(100_000m)),
            new(EpochPartialKind.Watermark, 1, ClosedThrough: Epoch.AddMinutes(5)),
        ];

        // Partition 0 replays everything it sent, before and after its closing watermark.
        var repeated = Outputs([.. partials[..5], .. partials[..5], partials[5], partials[6], .. partials[..4], new(EpochPartialKind.Watermark, 0, ClosedThrough: Epoch.AddMinutes(5)), .. partials]);

        var once = Outputs([.. partials[..4], partials[5], partials[6], new(EpochPartialKind.Watermark, 0, ClosedThrough: Epoch.AddMinutes(5))]);
        Assert.Equal(7, once.Count); // index, one reward, manifest, 4 mints
        Assert.Equal(once, repeated);
    }

    private static GovernanceCommand MintRequest(string eventId) =>
        new(eventId, GovernanceActionKind.MintRequest, Epoch.AddMinutes(-1), "council", new SortedDictionary<string, string>(), null, Economics.Token.NEX, 5m);

    private static List<string> Outputs(EpochPartial[] partials)
    {
        using var harness = new TopologyHarness(new PoeTopologyOptions { Partitions = 2 });
        foreach (var partial in partials)
        {
            Partial(harness, partial);
        }

        return new[] { PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints }
            .SelectMany(topic => harness.ReadBytes(topic).Select(r => $"{topic}|{r.Key}|{Convert.ToHexString(r.Value)}"))
            .ToList();
    }

    private static PartitionEpochActivity Activity(decimal verifiedValue) =>
        PartitionEpochActivity.Empty with
        {
            Activity = EpochActivity.Empty with { VerifiedJobs = 1, VerifiedValue = verifiedValue, ValueWeightedQuality = verifiedValue / 2 },
            NetworkLoad = NetworkLoadTally.Empty,
        };

    private static void Partial(TopologyHarness harness, EpochPartial partial) =>
        harness.PipeBytes(PoeTopics.EpochPartials, "k", Json.Serialize(partial), Epoch);
}
