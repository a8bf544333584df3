using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Contracts;
using PoeStreams.Topology.Claims;
using Domain = PoeStreams.Economics;

namespace PoeStreams.Topology.UnitTests;

/// <summary>A job id is accepted once in the whole economy: whichever miner, epoch or order of arrival brings its copies.</summary>
public class JobClaimTests : IDisposable
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private static readonly TimeSpan Epoch = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(1);
    private readonly TopologyHarness harness = new(new PoeTopologyOptions { Partitions = 1, Economics = new() { Epochs = new() { JobIdHorizonDays = 1 } } });

    public JobClaimTests()
    {
        harness.Pipe(PoeTopics.Miners, "m1", Inputs.Miner("m1"), T0);
        harness.Pipe(PoeTopics.Miners, "m2", Inputs.Miner("m2"), T0);
    }

    [Fact]
    public void The_same_job_id_under_another_miner_is_a_duplicate_and_the_earlier_copy_is_paid()
    {
        harness.Pipe(PoeTopics.Jobs, "m2", Inputs.Job("j1", "m2", 500m, 0.5m, T0.AddSeconds(20)), T0.AddSeconds(20));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(21));
        harness.Tick(T0.AddSeconds(361));

        var (key, split) = harness.ReadSingle<JobFeeSplit>(PoeTopics.JobFees);
        Assert.Equal(("j1", "m1"), (key, split.miner_id));
        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal(("duplicate-job", 0L), (letter.reason, letter.source_offset));
        Assert.Equal(["2026-11-25T12:00:00Z|m1"], harness.Read<MinerReward>(PoeTopics.Rewards).Select(r => r.Key));
    }

    [Fact]
    public void The_jobs_an_epoch_releases_reach_stage_1_together_in_claim_order()
    {
        harness.Pipe(PoeTopics.Jobs, "m2", Inputs.Job("j2", "m2", 100m, 0.5m, T0.AddSeconds(20)), T0.AddSeconds(20));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(21));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j3", "m1", 100m, 0.5m, T0.AddSeconds(30)), T0.AddSeconds(30));
        harness.ReadBytes(PoeTopics.Sequenced);
        harness.Tick(T0.AddSeconds(361));

        var batches = harness.ReadBytes(PoeTopics.Sequenced)
            .Select(record => Serialization.Json.Deserialize<SequencedEvent>(record.Value))
            .Where(e => e.Kind == SequencedKind.JobBatch)
            .ToList();

        var batch = Assert.Single(batches);
        Assert.Equal(["j1", "j2", "j3"], batch.Jobs!.Select(job => job.Job!.JobId).Order(StringComparer.Ordinal));
        var claims = batch.Jobs!.Select(job => job.Via!.Offset).ToList();
        Assert.Equal(claims.Order(), claims);
        Assert.Equal(3, harness.Read<JobFeeSplit>(PoeTopics.JobFees).Count);
    }

    [Fact]
    public void A_job_id_sent_again_in_a_later_epoch_is_a_duplicate()
    {
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(10));
        harness.Tick(T0.AddSeconds(361));
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(400)), T0.AddSeconds(400));
        harness.Tick(T0.AddSeconds(661));

        Assert.Single(harness.Read<JobFeeSplit>(PoeTopics.JobFees));
        var letter = harness.ReadSingle<DeadLetter>(PoeTopics.DeadLetters).Value;
        Assert.Equal("duplicate-job", letter.reason);
        Assert.Contains("already accepted in epoch 2026-11-25T12:00:00Z", letter.detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_job_id_is_claimed_again_only_after_the_horizon()
    {
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, T0.AddSeconds(10)), T0.AddSeconds(10));
        var dayLater = T0.AddDays(1).AddMinutes(10);
        harness.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 100m, 0.5m, dayLater), dayLater);
        harness.Tick(dayLater.AddSeconds(361));

        Assert.Equal(["j1", "j1"], harness.Read<JobFeeSplit>(PoeTopics.JobFees).Select(f => f.Key));
        Assert.Empty(harness.Read<DeadLetter>(PoeTopics.DeadLetters));
    }

    [Property(MaxTest = 50)]
    public bool Which_copy_wins_does_not_depend_on_the_order_they_arrive_in(PositiveInt seed)
    {
        var copies = Copies(["a", "b", "a", "c", "a", "b"]);
        var random = new Random(seed.Get);
        var shuffled = copies.OrderBy(_ => random.Next()).ToList();

        var (expected, _) = JobClaims.Decide(copies, _ => null, 0, Epoch, Horizon);
        var (verdicts, _) = JobClaims.Decide(shuffled, _ => null, 0, Epoch, Horizon);

        return expected.Select(Describe).SequenceEqual(verdicts.Select(Describe));
    }

    [Fact]
    public void The_earliest_copy_of_an_epoch_wins_and_the_others_are_duplicates()
    {
        var (verdicts, claims) = JobClaims.Decide(Copies(["a", "a", "b"]), _ => null, 7, Epoch, Horizon);

        Assert.Equal([("a", 0L, true), ("a", 1L, false), ("b", 2L, true)], verdicts.Select(v => (v.Job.Job!.JobId, v.Job.Source!.Offset, v.Accepted)));
        Assert.Equal([("a", 7L), ("b", 8L)], claims.Select(c => (c.JobId, c.Claim.Number)));
    }

    [Fact]
    public void Deciding_the_same_copies_again_with_their_claims_stored_sends_the_same_and_claims_nothing()
    {
        var copies = Copies(["a", "a", "b"]);
        var (first, claims) = JobClaims.Decide(copies, _ => null, 0, Epoch, Horizon);
        var stored = claims.ToDictionary(c => c.JobId, c => c.Claim);

        var (again, claimedAgain) = JobClaims.Decide(copies, stored.GetValueOrDefault, 2, Epoch, Horizon);

        Assert.Equal(first, again);
        Assert.Empty(claimedAgain);
    }

    [Fact]
    public void A_copy_of_an_id_claimed_in_an_earlier_epoch_is_a_duplicate()
    {
        var earlier = new JobClaim("poe.jobs/1/99", 0, "2026-11-25T11:55:00Z");

        var (verdicts, claims) = JobClaims.Decide(Copies(["a"]), id => id == "a" ? earlier : null, 1, Epoch, Horizon);

        Assert.False(Assert.Single(verdicts).Accepted);
        Assert.Empty(claims);
    }

    [Fact]
    public void A_claim_older_than_the_horizon_counts_as_gone_even_while_it_is_still_stored()
    {
        var old = new JobClaim("poe.jobs/1/99", 0, "2026-11-24T11:55:00Z");

        var (verdicts, claims) = JobClaims.Decide(Copies(["a"]), _ => old, 1, Epoch, Horizon);

        Assert.True(Assert.Single(verdicts).Accepted);
        Assert.Equal(1, Assert.Single(claims).Claim.Number);
    }

    [Fact]
    public void Once_the_commit_passes_a_decision_the_claim_stage_keeps_none_of_the_copies_it_decided()
    {
        var backlog = new SwitchableBacklog();
        using var run = TopologyHarness.WithJobsInTwoEpochs(backlog);

        // The first epoch is decided (j1 went on), but its move could still be read again: its copy stays.
        Assert.Equal(["2026-11-25T12:00:00Z", "2026-11-25T12:05:00Z"], WaitingEpochs(run));

        backlog.CommittedOffsets[PoeTopics.JobClaims] = run.Positions.Next(PoeTopics.JobClaims);
        run.Pipe(PoeTopics.Jobs, "m1", Inputs.Job("j3", "m1", 100m, 0.5m, T0.AddMinutes(13)), T0.AddMinutes(13));

        // The move that decided the first epoch is below the commit: no replay reads it again. The second
        // epoch was decided after the commit, so its copy stays until the next one.
        Assert.Equal(["2026-11-25T12:05:00Z", "2026-11-25T12:10:00Z"], WaitingEpochs(run));
        Assert.Equal(["j1", "j2"], run.Read<JobFeeSplit>(PoeTopics.JobFees).Select(split => split.Key));
    }

    public void Dispose() => harness.Dispose();

    private static List<string> WaitingEpochs(TopologyHarness run) =>
        [.. run.StoreKeys<SequencedEvent>(StoreNames.WaitingClaims).Select(key => key.Split('|')[0]).Distinct().Order(StringComparer.Ordinal)];

    private static string Describe(ClaimVerdict verdict) => $"{verdict.Job.Source!.Position}:{verdict.Accepted}:{verdict.Claim.Number}";

    // Copy i of the given job ids: input partition i % 2, offset i, event time T0 + 10 s + i s.
    private static List<SequencedEvent> Copies(string[] jobIds) =>
        [.. jobIds.Select((id, i) => new SequencedEvent(
            SequencedKind.Job,
            T0.AddSeconds(10 + i),
            new SourceRecord(PoeTopics.Jobs, i % 2, i, 0, null, null),
            Job: new Domain.EconomicJob(id, "m1", Domain.JobType.Compute, 1m, 0.5m, Domain.VerificationStatus.Verified, T0.AddSeconds(10 + i), [])))];
}
