using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// After a crash on at-least-once, a stage reads again everything after its last commit while its
/// stores come back with everything it wrote (here the extreme case: every write reached its changelog,
/// none of the records it sent is trusted). Whatever the commit point, it sends only values the
/// uninterrupted run sent for the same keys, and sends again every epoch result
/// it had produced since that point. Dead letters sent again are the same dead letters.
/// </summary>
public class CrashReplayProperties
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private static readonly string[] OutputTopics =
        [PoeTopics.Sequenced, PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.OwnerSalary, PoeTopics.JobFees, PoeTopics.EpochPartials, PoeTopics.DeadLetters];

    [Property(MaxTest = 12)]
    public bool Stage_one_reading_again_from_any_commit_point_sends_what_it_sent_the_first_time(NonNegativeInt commitPoint)
    {
        using var run = Uninterrupted(out var reference, out var sequenced, out _, out _);

        ReadAgain(run, PoeTopics.Sequenced, sequenced, commitPoint.Get % sequenced.Count);

        return SentOnlyWhatItSent(Outputs(run), reference);
    }

    [Property(MaxTest = 12)]
    public bool The_claim_stage_reading_again_from_any_commit_point_sends_what_it_sent_the_first_time(NonNegativeInt commitPoint)
    {
        using var run = Uninterrupted(out var reference, out _, out _, out var claims);

        ReadAgain(run, PoeTopics.JobClaims, claims, commitPoint.Get % claims.Count);

        return SentOnlyWhatItSent(Outputs(run), reference);
    }

    // A stage restarting from its commit point: the records of its input from there are read again.
    private static void ReadAgain(TopologyHarness run, string topic, List<(string Key, byte[] Value)> records, int from)
    {
        run.Positions.Rewind(topic, 0, from);
        foreach (var (key, value) in records.Skip(from))
        {
            run.PipeBytes(topic, key, value, T0);
        }
    }

    [Property(MaxTest = 12)]
    public bool Stage_two_reading_again_from_any_commit_point_sends_every_epoch_result_again_unchanged(NonNegativeInt commitPoint)
    {
        using var run = Uninterrupted(out var reference, out _, out var partials, out _);
        var from = commitPoint.Get % partials.Count;

        ReadAgain(run, PoeTopics.EpochPartials, partials, from);

        // The epochs that close after the commit point: their watermark comes at or after it.
        var closedBefore = partials.Take(from).Select(p => Json.Deserialize<EpochPartial>(p.Value)).Where(p => p.Kind == EpochPartialKind.Watermark).Select(p => p.ClosedThrough).Max();
        var expected = reference[PoeTopics.Index].Keys.Where(epoch => closedBefore is not { } closed || EpochStart(epoch) + TimeSpan.FromMinutes(5) > closed).ToList();
        var again = Outputs(run);
        Assert.Equal(expected, again[PoeTopics.Index].Keys);
        Assert.Equal(reference[PoeTopics.Rewards].Count(r => expected.Contains(r.Key.Split('|')[0])), again[PoeTopics.Rewards].Count);
        return SentOnlyWhatItSent(again, reference);
    }

    private static DateTimeOffset EpochStart(string epochId) => Economics.Time.EpochWindow.ParseId(epochId);

    // The three-epoch scenario with every input topic, read live, with two dead letters: the late job and the unknown miner's job.
    private static TopologyHarness Uninterrupted(
        out Dictionary<string, Dictionary<string, HashSet<string>>> reference,
        out List<(string Key, byte[] Value)> sequenced,
        out List<(string Key, byte[] Value)> partials,
        out List<(string Key, byte[] Value)> claims)
    {
        var harness = new TopologyHarness();
        harness.ReadBytes(PoeTopics.Sequenced); // the test driver's output topics see what is written after they are opened
        harness.ReadBytes(PoeTopics.JobClaims);
        foreach (var input in Scenarios.ThreeEpochs(T0, withRejections: true))
        {
            harness.PipeBytes(input.Topic, input.Key, input.Bytes(harness.Registry), input.At);
        }

        harness.AdvanceWallClock(T0.AddMinutes(30) - harness.Clock.GetUtcNow());
        sequenced = harness.ReadBytes(PoeTopics.Sequenced);
        claims = harness.ReadBytes(PoeTopics.JobClaims);
        partials = harness.ReadBytes(PoeTopics.EpochPartials);
        reference = Outputs(harness);
        reference[PoeTopics.EpochPartials] = ByKey(partials);
        reference[PoeTopics.Sequenced] = ByKey(sequenced);
        Assert.Equal(2, reference[PoeTopics.DeadLetters].Values.Sum(values => values.Count));
        Assert.Equal(3, reference[PoeTopics.Index].Count);
        return harness;
    }

    // Every value sent per key, in the order of first appearance of the keys.
    private static Dictionary<string, Dictionary<string, HashSet<string>>> Outputs(TopologyHarness harness) =>
        OutputTopics.ToDictionary(
            topic => topic,
            topic => ByKey(harness.ReadBytes(topic)));

    private static Dictionary<string, HashSet<string>> ByKey(List<(string Key, byte[] Value)> records)
    {
        var values = new Dictionary<string, HashSet<string>>();
        foreach (var (key, value) in records)
        {
            (values.TryGetValue(key, out var set) ? set : values[key] = []).Add(Convert.ToHexString(value));
        }

        return values;
    }

    private static bool SentOnlyWhatItSent(Dictionary<string, Dictionary<string, HashSet<string>>> again, Dictionary<string, Dictionary<string, HashSet<string>>> reference)
    {
        foreach (var (topic, keys) in again)
        {
            foreach (var (key, values) in keys)
            {
                Assert.True(reference[topic].TryGetValue(key, out var sent) && values.IsSubsetOf(sent), $"{topic} {key}: sent a value the uninterrupted run did not");
            }
        }

        return true;
    }
}
