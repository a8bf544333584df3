using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.UnitTests;

public class KafkaPartitionerTests
{
    // The vectors of Apache Kafka's UtilsTest.testMurmur2.
    [Theory]
    [InlineData("21", -973932308)]
    [InlineData("foobar", -790332482)]
    [InlineData("a-little-bit-long-string", -985981536)]
    [InlineData("a-little-bit-longer-string", -1486304829)]
    [InlineData("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971)]
    [InlineData("abc", 479470107)]
    public void Murmur2_matches_the_java_client(string key, int expected)
    {
        Assert.Equal(expected, KafkaPartitioner.Murmur2(System.Text.Encoding.UTF8.GetBytes(key)));
    }

    [Fact]
    public void Partitions_are_in_range_and_stable()
    {
        var partitions = Enumerable.Range(0, 1000).Select(i => KafkaPartitioner.PartitionOf($"miner-{i}", 4)).ToList();

        Assert.All(partitions, p => Assert.InRange(p, 0, 3));
        Assert.Equal(4, partitions.Distinct().Count());
        Assert.Equal(partitions, Enumerable.Range(0, 1000).Select(i => KafkaPartitioner.PartitionOf($"miner-{i}", 4)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(48)]
    public void A_key_made_for_a_partition_lands_in_it(int partitions)
    {
        var keys = Enumerable.Range(0, partitions).Select(p => KafkaPartitioner.KeyIn("progress-poe.jobs/3", p, partitions)).ToList();

        Assert.Equal(Enumerable.Range(0, partitions), keys.Select(k => KafkaPartitioner.PartitionOf(k, partitions)));
        Assert.All(keys, k => Assert.StartsWith("progress-poe.jobs/3#", k, StringComparison.Ordinal));
    }
}
