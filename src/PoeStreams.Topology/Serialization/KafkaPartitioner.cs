using System.Text;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// Kafka's default key partitioner (murmur2 of the UTF-8 key, as the Java client computes it), so
/// PoeStreams places a key in the same partition as any Java or librdkafka <c>murmur2</c> producer.
/// </summary>
public static class KafkaPartitioner
{
    public static int PartitionOf(string key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return (Murmur2(Encoding.UTF8.GetBytes(key)) & 0x7FFF_FFFF) % partitions;
    }

    /// <summary>
    /// <paramref name="key"/> with the first suffix (<c>#0</c>, <c>#1</c>, …) that places it in
    /// <paramref name="partition"/>: how a record reaches a chosen partition through the producer's own
    /// murmur2 partitioner. About <paramref name="partitions"/> hashes on average, so callers keep the keys they reuse.
    /// </summary>
    public static string KeyIn(string key, int partition, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(partition, partitions);
        for (var suffix = 0; ; suffix++)
        {
            var candidate = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{key}#{suffix}");
            if (PartitionOf(candidate, partitions) == partition)
            {
                return candidate;
            }
        }
    }

    /// <summary>One key per partition, key i landing in partition i: how a record is written to every partition.</summary>
    public static string[] KeysInEveryPartition(string key, int partitions) =>
        [.. Enumerable.Range(0, partitions).Select(partition => KeyIn(key, partition, partitions))];

    /// <summary>Kafka's murmur2 (seed 0x9747b28c).</summary>
    public static int Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var length = data.Length;
        var h = 0x9747b28cu ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = (uint)(data[i * 4] | (data[(i * 4) + 1] << 8) | (data[(i * 4) + 2] << 16) | (data[(i * 4) + 3] << 24));
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        var tail = blocks * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
