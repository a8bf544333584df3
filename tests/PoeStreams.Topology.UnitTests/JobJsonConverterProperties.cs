using System.Text.Json;
using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Economics;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// The hand-written JSON of a job and its source record is the serializer's own: the same text, and
/// text the serializer wrote reads back the same, so records and changelogs of either read alike.
/// </summary>
public class JobJsonConverterProperties
{
    // The worker's options without the hand-written converters: what System.Text.Json itself does.
    private static readonly JsonSerializerOptions Reflective = WithoutHandWritten();

    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Property(MaxTest = 300)]
    public bool A_claimed_job_is_written_as_the_serializer_writes_it(
        NonNull<string> jobId, NonNull<string> minerId, decimal value, decimal quality, int seconds, short offsetMinutes, byte[]? key, byte[]? bytes, byte streams)
    {
        var message = Job(jobId.Get, minerId.Get, value, quality, seconds, offsetMinutes, key, bytes, streams);

        return Json.Serialize(message).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(message, Reflective));
    }

    [Property(MaxTest = 300)]
    public bool What_the_serializer_wrote_reads_back_the_same(
        NonNull<string> jobId, NonNull<string> minerId, decimal value, decimal quality, int seconds, short offsetMinutes, byte[]? key, byte[]? bytes, byte streams)
    {
        var message = Job(jobId.Get, minerId.Get, value, quality, seconds, offsetMinutes, key, bytes, streams);
        var written = JsonSerializer.SerializeToUtf8Bytes(message, Reflective);

        var read = Json.Deserialize<SequencedEvent>(written);

        return JsonSerializer.SerializeToUtf8Bytes(read, Reflective).AsSpan().SequenceEqual(written)
            && read.Job!.RevenueStreams.SequenceEqual(message.Job!.RevenueStreams)
            && read.Source!.Value.AsSpan().SequenceEqual(message.Source!.Value);
    }

    [Property(MaxTest = 100)]
    public bool A_batch_of_claimed_jobs_is_written_and_read_as_the_serializer_does(NonNull<string>[] jobIds, decimal value, int seconds)
    {
        var batch = new SequencedEvent(
            SequencedKind.JobBatch,
            T0.AddSeconds(seconds % 100_000_000),
            Jobs: [.. jobIds.Select((id, i) => Job(id.Get, $"m{i}", value, 0.5m, seconds + i, 0, null, [(byte)i], (byte)i))]);

        var written = Json.Serialize(batch);

        return written.AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(batch, Reflective))
            && JsonSerializer.SerializeToUtf8Bytes(Json.Deserialize<SequencedEvent>(written), Reflective).AsSpan().SequenceEqual(written);
    }

    [Fact]
    public void Every_other_kind_of_sequenced_record_is_written_and_read_as_the_serializer_does()
    {
        var source = new SourceRecord("poe.governance", 1, 7, 1_000, [1, 2], [3, 4, 5]);
        SequencedEvent[] messages =
        [
            new(SequencedKind.MinerRegistered, T0, source, Registration: new MinerRegistration("m<1>", JobType.Compute, T0)),
            new(SequencedKind.MinerRegistered, T0, source, Registration: new MinerRegistration("m2", null, T0)),
            new(SequencedKind.Metric, T0, source, Metric: new MetricSample("node-1", MetricSampleKind.Uptime, T0, 0.99m, null)),
            new(SequencedKind.Metric, T0, source, Metric: new MetricSample("node-2", MetricSampleKind.NetworkLoad, T0, null, new Economics.Minting.NetworkLoadSample(T0, "node-2", 10, 1.5m, 3, 0.25m))),
            new(SequencedKind.GoldAttestation, T0, source, Gold: new Economics.Minting.GoldReserveAttestation("vault-1", 100.5m, T0)),
            new(SequencedKind.Governance, T0, source, Governance: new GovernanceCommand("g-1", GovernanceActionKind.MintRequest, T0, "council", new Dictionary<string, string> { ["fee_rate"] = "0.01" }, "2026-01", Token.FLX, 12m)),
            new(SequencedKind.Progress, T0, Progress: new SourceProgress("ingest/3", T0)),
        ];

        foreach (var message in messages)
        {
            var written = Json.Serialize(message);
            Assert.Equal(JsonSerializer.Serialize(message, Reflective), System.Text.Encoding.UTF8.GetString(written));
            Assert.Equal(System.Text.Encoding.UTF8.GetString(written), JsonSerializer.Serialize(Json.Deserialize<SequencedEvent>(written), Reflective));
        }
    }

    [Fact]
    public void A_job_whose_enums_are_numbers_reads_as_the_serializer_reads_it()
    {
        var text = """{"job_id":"j","miner_id":"m","type":2,"value":1.5,"quality_score":0.5,"status":"verified","completion_time":"2026-01-01T00:00:00+00:00","revenue_streams":[]}"""u8;

        var job = Json.Deserialize<EconomicJob>(text);

        Assert.Equal(JsonSerializer.Deserialize<EconomicJob>(text, Reflective)! with { RevenueStreams = job.RevenueStreams }, job);
        Assert.Equal(VerificationStatus.Verified, job.Status);
    }

    private static SequencedEvent Job(string jobId, string minerId, decimal value, decimal quality, int seconds, short offsetMinutes, byte[]? key, byte[]? bytes, byte streams)
    {
        var at = T0.AddSeconds(seconds % 100_000_000).ToOffset(TimeSpan.FromMinutes(offsetMinutes % (14 * 60)));
        var revenue = Enumerable.Range(0, streams % 4)
            .Select(i => new RevenueStream((RevenueStreamType)(i % 5), Math.Round(value / 7, 9), Math.Round(quality * i, 9)))
            .ToList();
        var job = new EconomicJob(jobId, minerId, (JobType)(streams % 10), value, quality, (VerificationStatus)(streams % 3), at, revenue);
        var source = new SourceRecord("poe.jobs", streams % 7, seconds, seconds * 1000L, key, bytes);
        return new SequencedEvent(SequencedKind.Job, at, Source: source, Job: job, Via: streams % 2 == 0 ? null : source with { Topic = "poe.job-claims", Key = null, Value = null });
    }

    private static JsonSerializerOptions WithoutHandWritten()
    {
        var options = new JsonSerializerOptions(Json.Options);
        foreach (var converter in options.Converters.Where(c => c is SourceRecordJsonConverter or EconomicJobJsonConverter or SequencedEventJsonConverter).ToList())
        {
            options.Converters.Remove(converter);
        }

        return options;
    }
}
