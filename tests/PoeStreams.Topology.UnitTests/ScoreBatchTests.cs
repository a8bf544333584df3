using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Economics.Mining;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

/// <summary>Stage 1 sends an epoch's miner scores to stage 2 in records of many scores, each within Kafka's message limit.</summary>
public class ScoreBatchTests
{
    [Fact]
    public void Scores_go_in_records_of_five_hundred_in_their_order()
    {
        var scores = Enumerable.Range(0, 1_201).Select(i => Score($"miner-{i:D5}")).ToList();

        var batches = EpochPartial.ScoreBatches(scores).ToList();

        Assert.Equal([500, 500, 201], batches.Select(b => b.Length));
        Assert.Equal(scores, batches.SelectMany(b => b));
    }

    [Fact]
    public void A_score_with_every_amount_at_its_longest_stays_within_its_bound()
    {
        // Characters the serializer escapes as \uXXXX: non-ASCII, and '<', '+' among ASCII.
        var score = Score(new string('é', 20) + "<+" + "ⓜ𝔪", amount: WireSizes.LongestAmount, jobCount: int.MinValue);

        Assert.InRange(Json.Serialize(score).Length, 1, EpochPartial.ScoreJsonBytesAtMost(score));
    }

    [Fact]
    public void Long_miner_ids_cut_the_records_by_size_and_each_fits_a_Kafka_message()
    {
        var scores = Enumerable.Range(0, 40).Select(i => Score(new string('é', 10_000) + i, WireSizes.LongestAmount)).ToList();

        var batches = EpochPartial.ScoreBatches(scores).ToList();

        Assert.True(batches.Count > 1, $"{batches.Count} record(s)");
        Assert.Equal(scores, batches.SelectMany(b => b));
        Assert.All(batches, batch => Assert.InRange(Json.Serialize(Partial(batch)).Length, 1, WireSizes.KafkaMessageLimit));
    }

    [Fact]
    public void A_score_larger_than_a_record_goes_alone()
    {
        var scores = new[] { Score("m1"), Score(new string('x', 90_000)), Score("m3") };

        var batches = EpochPartial.ScoreBatches(scores).ToList();

        Assert.Equal([1, 1, 1], batches.Select(b => b.Length));
    }

    [Fact]
    public void A_record_of_scores_reads_back_as_it_was_written()
    {
        var written = Json.Serialize(Partial([Score("m1", WireSizes.LongestAmount), Score("m2")]));

        Assert.Equal(written, Json.Serialize(Json.Deserialize<EpochPartial>(written)));
    }

    [Property(MaxTest = 200)]
    public bool Every_score_is_sent_once_in_order_within_the_limits(PositiveInt[] idLengths)
    {
        var scores = idLengths.Select((length, i) => Score(i + new string('m', length.Get % 120_000))).ToList();

        var batches = EpochPartial.ScoreBatches(scores).ToList();

        return batches.SelectMany(b => b).SequenceEqual(scores)
            && batches.All(b => b.Length is >= 1 and <= EpochPartial.ScoresPerRecord)
            && batches.All(b => b.Length == 1 || b.Sum(EpochPartial.ScoreJsonBytesAtMost) <= RecordBatches.BytesPerRecord);
    }

    private static MinerEpochScore Score(string minerId, decimal amount = 1.5m, int jobCount = 3) =>
        new(minerId, amount, amount, amount, amount, jobCount, amount, amount, amount);

    private static EpochPartial Partial(MinerEpochScore[] scores) =>
        new(EpochPartialKind.MinerScores, int.MaxValue, TopologyHarness.T0, Scores: scores);
}
