namespace PoeStreams.Topology;

/// <summary>
/// Cuts items a step sends together into records of at most a number of items and of bytes. Many items
/// a record make a hop cost far less than one record each (Streamiz's and the producer's work is per
/// record); the byte limit keeps each record inside Kafka's default 1 MB message limit.
/// </summary>
public static class RecordBatches
{
    /// <summary>Half of Kafka's default 1 MB message limit: the most bytes a batch may carry by its items' bounds.</summary>
    public const long BytesPerRecord = 512 * 1024;

    /// <summary>
    /// <paramref name="items"/>, in order, in batches of at most <paramref name="itemsPerRecord"/> items whose
    /// <paramref name="bytesAtMost"/> add up to at most <see cref="BytesPerRecord"/>; an item larger than
    /// that goes alone, as it would without batches. The same items give the same batches, so a step that
    /// sends them again after a crash sends the same records again.
    /// </summary>
    public static IEnumerable<T[]> Cut<T>(IEnumerable<T> items, int itemsPerRecord, Func<T, long> bytesAtMost)
    {
        var batch = new List<T>(itemsPerRecord);
        var bytes = 0L;
        foreach (var item in items)
        {
            var size = bytesAtMost(item);
            if (batch.Count == itemsPerRecord || (batch.Count > 0 && bytes + size > BytesPerRecord))
            {
                yield return [.. batch];
                batch.Clear();
                bytes = 0;
            }

            batch.Add(item);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }
}
