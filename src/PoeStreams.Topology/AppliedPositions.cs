namespace PoeStreams.Topology;

/// <summary>
/// The input positions folded into a stored value, per input partition (<c>topic/partition</c>). Records
/// of one input partition reach a stage-1 partition in offset order, so a value that has folded in
/// offset N of a partition has folded in everything of it up to N: a record at or below is a replay
/// (after a crash or a rebalance, the restored state can be ahead of the committed offsets). The
/// positions live in the value itself, so they are written in the same changelog record as the sums.
/// </summary>
public static class AppliedPositions
{
    public static IReadOnlyDictionary<string, long> None { get; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    /// <summary>The input partition a record came from, as progress marks name it too.</summary>
    public static string PartitionOf(string topic, int partition) => $"{topic}/{partition}";

    public static bool Includes(IReadOnlyDictionary<string, long> applied, SourceRecord source) =>
        applied.TryGetValue(PartitionOf(source.Topic, source.Partition), out var offset) && source.Offset <= offset;

    public static IReadOnlyDictionary<string, long> With(IReadOnlyDictionary<string, long> applied, SourceRecord source) =>
        new SortedDictionary<string, long>(applied.ToDictionary(), StringComparer.Ordinal) { [PartitionOf(source.Topic, source.Partition)] = source.Offset };
}
