using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>The progress marks ingest sends, by which the next stage knows an input partition has closed an epoch.</summary>
public class ProgressMarkTests
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;

    [Fact]
    public void Stage_one_hears_each_boundary_of_the_four_topics_sent_to_it_once_as_the_ingest_tasks_mark()
    {
        using var harness = new TopologyHarness();
        harness.ReadBytes(PoeTopics.Sequenced);
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        for (var minute = 1; minute <= 20; minute++)
        {
            var at = T0.AddMinutes(minute);
            harness.Pipe(PoeTopics.NetworkMetrics, "u", Inputs.Metric("u", MetricKind.Uptime, 1m, at), at);
            harness.Pipe(PoeTopics.GoldReserves, "v", Inputs.Gold("v", 10m, at), at);
        }

        var marks = Marks(harness.ReadBytes(PoeTopics.Sequenced));
        Assert.All(marks, mark => Assert.Contains(mark.Source, new[] { ProgressSources.OfIngest(0), ProgressSources.OfClaims(0) }));
        var ingest = marks.Where(mark => mark.Source == ProgressSources.OfIngest(0)).Select(mark => mark.ClosedThrough).ToList();
        Assert.Equal(ingest.Order().Distinct(), ingest);
        Assert.Equal(T0.AddMinutes(15), ingest[^1]);
    }

    [Fact]
    public void A_partition_not_yet_read_to_its_end_holds_back_the_mark_to_stage_one_but_not_the_jobs_mark()
    {
        var backlog = new SwitchableBacklog { Behind = PoeTopics.Governance };
        using var harness = new TopologyHarness(backlog: backlog);
        harness.ReadBytes(PoeTopics.Sequenced);
        harness.ReadBytes(PoeTopics.JobClaims);
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 1m, 0.5m, T0.AddMinutes(1)), T0.AddMinutes(1));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", 1m, 0.5m, T0.AddMinutes(12)), T0.AddMinutes(12));
        harness.Tick(T0.AddMinutes(12));

        // Governance may still hold records its boundary covers (after a crash, its clock comes back
        // ahead of what this process has sent): the four topics' mark waits; poe.jobs's does not.
        Assert.DoesNotContain(Marks(harness.ReadBytes(PoeTopics.Sequenced)), mark => mark.Source == ProgressSources.OfIngest(0));
        Assert.Contains(Marks(harness.ReadBytes(PoeTopics.JobClaims)), mark => mark.Source == ProgressSources.OfJobs(0) && mark.ClosedThrough == T0.AddMinutes(10));

        backlog.Behind = null;
        harness.AdvanceWallClock(TimeSpan.FromSeconds(1));

        Assert.Contains(Marks(harness.ReadBytes(PoeTopics.Sequenced)), mark => mark.Source == ProgressSources.OfIngest(0) && mark.ClosedThrough == T0.AddMinutes(10));
    }

    private static List<SourceProgress> Marks(List<(string Key, byte[] Value)> records) =>
        [.. records.Select(record => Json.Deserialize<SequencedEvent>(record.Value)).Where(e => e.Kind == SequencedKind.Progress).Select(e => e.Progress!)];
}
