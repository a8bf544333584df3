using PoeTopics = PoeStreams.Contracts.PoeTopics;
using PoeStreams.Economics;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>The claim stage releases an epoch's jobs to stage 1 in records of many jobs, each within Kafka's message limit.</summary>
public class JobBatchTests
{
    [Fact]
    public void A_claimed_job_with_every_field_at_its_longest_stays_within_its_bound()
    {
        var job = Claimed(
            jobId: new string('é', 40) + "<+>&'",
            minerId: "ⓜ𝔪" + new string('ü', 30),
            streams: 20,
            sourceBytes: 3_001);

        Assert.InRange(Json.Serialize(job).Length, 1, SequencedEvent.JobJsonBytesAtMost(job));
    }

    [Fact]
    public void Jobs_go_in_records_of_five_hundred_in_their_order()
    {
        var jobs = Enumerable.Range(0, 1_001).Select(i => Claimed($"j{i}", "m1", streams: 0, sourceBytes: 0)).ToList();

        var batches = SequencedEvent.JobBatches(jobs, partitions: 1).Select(b => b.Jobs).ToList();

        Assert.Equal([500, 500, 1], batches.Select(b => b.Length));
        Assert.Equal(jobs, batches.SelectMany(b => b));
    }

    [Fact]
    public void Jobs_are_grouped_by_their_miners_stage_1_partition_in_claim_order_within_each()
    {
        var jobs = Enumerable.Range(0, 40).Select(i => Claimed($"j{i}", $"m{i % 7}", streams: 0, sourceBytes: 0)).ToList();

        var batches = SequencedEvent.JobBatches(jobs, partitions: 4).ToList();

        Assert.Equal(batches.Select(b => b.Partition).Distinct().Count(), batches.Count);
        Assert.All(batches, batch => Assert.All(batch.Jobs, job => Assert.Equal(batch.Partition, KafkaPartitioner.PartitionOf(job.Job!.MinerId, 4))));
        Assert.All(batches, batch => Assert.Equal(jobs.Where(batch.Jobs.Contains), batch.Jobs));
        Assert.Equal(jobs.Count, batches.Sum(b => b.Jobs.Length));
    }

    [Fact]
    public void Large_jobs_cut_the_records_by_size_and_each_fits_a_Kafka_message()
    {
        var jobs = Enumerable.Range(0, 60).Select(i => Claimed($"j{i}", "m1", streams: 50, sourceBytes: 40_000)).ToList();

        var batches = SequencedEvent.JobBatches(jobs, partitions: 1).Select(b => b.Jobs).ToList();

        Assert.True(batches.Count > 1, $"{batches.Count} record(s)");
        Assert.Equal(jobs, batches.SelectMany(b => b));
        Assert.All(batches, batch => Assert.InRange(Json.Serialize(new SequencedEvent(SequencedKind.JobBatch, TopologyHarness.T0, Jobs: batch)).Length, 1, WireSizes.KafkaMessageLimit));
    }

    [Fact]
    public void A_record_of_jobs_reads_back_as_it_was_written()
    {
        var written = Json.Serialize(new SequencedEvent(SequencedKind.JobBatch, TopologyHarness.T0, Jobs: [Claimed("j1", "m1", 2, 100), Claimed("j2", "m2", 0, 90)]));

        Assert.Equal(written, Json.Serialize(Json.Deserialize<SequencedEvent>(written)));
    }

    private static SequencedEvent Claimed(string jobId, string minerId, int streams, int sourceBytes)
    {
        var at = DateTimeOffset.MaxValue.AddDays(-1).ToOffset(TimeSpan.FromHours(-14));
        var job = new EconomicJob(
            jobId,
            minerId,
            JobType.CrossBorderTransfer,
            WireSizes.LongestAmount,
            WireSizes.LongestAmount,
            VerificationStatus.Disputed,
            at,
            [.. Enumerable.Range(0, streams).Select(_ => new RevenueStream(RevenueStreamType.ComputeResources, WireSizes.LongestAmount, WireSizes.LongestAmount))]);
        var bytes = Enumerable.Range(0, sourceBytes).Select(i => (byte)(251 + (i % 5))).ToArray();
        return new SequencedEvent(
            SequencedKind.Job,
            at,
            new SourceRecord(PoeTopics.Jobs, int.MaxValue, long.MaxValue, long.MinValue, bytes[..Math.Min(bytes.Length, 100)], bytes),
            Job: job,
            Via: new SourceRecord(PoeTopics.JobClaims, int.MaxValue, long.MaxValue, long.MinValue, null, null));
    }
}
