using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;
using Domain = PoeStreams.Economics;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// Stage 1 reads a record again after a crash or a rebalance (its state restored ahead of the committed
/// offsets): the same input position changes nothing, and a replayed job is not a duplicate.
/// </summary>
public class ReplayTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private readonly TopologyHarness harness = new();

    public ReplayTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        harness.Tick(T0.AddSeconds(70)); // every input has closed the previous epoch: jobs apply at once
        harness.Read<Contracts.PoeIndexSnapshot>(PoeTopics.Index);
    }

    [Fact]
    public void A_metric_and_a_job_read_twice_count_once()
    {
        var metric = new SequencedEvent(
            SequencedKind.Metric, T0.AddSeconds(80), Source(PoeTopics.NetworkMetrics, 7), Metric: new MetricSample("up", MetricSampleKind.Uptime, T0.AddSeconds(80), 0.5m, null));
        var job = new SequencedEvent(
            SequencedKind.Job, T0.AddSeconds(90), Source(PoeTopics.Jobs, 3),
            Job: new Domain.EconomicJob("j1", "m1", Domain.JobType.Compute, 1_000_000m, 0.5m, Domain.VerificationStatus.Verified, T0.AddSeconds(90), []));

        foreach (var message in new[] { metric, job, metric, job })
        {
            harness.PipeBytes(PoeTopics.Sequenced, "m1", Json.Serialize(message), message.EventTime);
        }

        harness.Tick(T0.AddSeconds(400));

        var index = harness.ReadSingle<PoeIndexSnapshot>(PoeTopics.Index).Value;
        Assert.Equal(2, index.uptime_samples); // the replayed one and the harness's own tick sample at 12:01:10
        Assert.Equal(1, index.verified_jobs);
        Assert.Equal(1_000_000m, WireDecimal.FromAvro(index.verified_value));
        Assert.Equal(1, harness.ReadSingle<MinerReward>(PoeTopics.Rewards).Value.job_count);
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters));
        Assert.Equal(["j1"], harness.Read<JobFeeSplit>(PoeTopics.JobFees).Select(f => f.Key).Distinct());
    }

    [Theory]
    [InlineData(PoeTopics.Sequenced, StoreNames.MinerEpochTallies)]
    [InlineData(PoeTopics.EpochPartials, StoreNames.EpochMinerScores)]
    public void Once_the_commit_passes_an_epochs_close_a_stage_keeps_none_of_its_per_miner_data(string input, string store)
    {
        var backlog = new SwitchableBacklog();
        using var run = TopologyHarness.WithJobsInTwoEpochs(backlog);
        List<string> PerMiner() => store == StoreNames.MinerEpochTallies ? run.StoreKeys<Stage1.TallyState>(store) : run.StoreKeys<Domain.Mining.MinerEpochScore>(store);
        run.Tick(T0.AddMinutes(7));
        Assert.Equal(["2026-11-25T12:00:00Z"], run.Read<Contracts.PoeIndexSnapshot>(PoeTopics.Index).Select(index => index.Key));

        // The first epoch is closed, but the move that closed it could still be read again: its data stays.
        Assert.Contains("2026-11-25T12:00:00Z|m1", PerMiner());

        backlog.CommittedOffsets[input] = run.Positions.Next(input);
        run.Tick(T0.AddMinutes(13));

        // The move that closed it is below the commit; the second epoch closed after it and is kept.
        Assert.Equal(["2026-11-25T12:05:00Z|m1"], PerMiner());
    }

    public void Dispose() => harness.Dispose();

    private static SourceRecord Source(string topic, long offset) => new(topic, 0, offset, T0.ToUnixTimeMilliseconds(), [1], [2]);
}
