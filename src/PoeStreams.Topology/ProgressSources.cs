using PoeStreams.Contracts;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology;

/// <summary>
/// The upstream partitions whose progress marks a stage waits for before it closes an epoch. Stage 1
/// hears from each ingest task (one mark for the four input topics ingest sends straight to it, so
/// their number grows with the partitions, not with the topics) and from each claim partition (jobs
/// pass through the claim stage); the claim stage hears from each partition of poe.jobs.
/// </summary>
public static class ProgressSources
{
    /// <summary>What ingest's marks to stage 1 are named after: <c>ingest/{partition}</c>.</summary>
    public const string Ingest = "ingest";

    /// <summary>The input topics whose boundaries ingest's marks to stage 1 carry: the lowest of them.</summary>
    public static IReadOnlyList<string> IngestTopics { get; } = [.. PoeTopics.Inputs.Where(topic => topic != PoeTopics.Jobs)];

    /// <summary>Ingest's marks to stage 1 from its task for partition <paramref name="partition"/>.</summary>
    public static string OfIngest(int partition) => SourceRecord.InputPartitionOf(Ingest, partition);

    /// <summary>Ingest's marks to the claim stage from partition <paramref name="partition"/> of poe.jobs.</summary>
    public static string OfJobs(int partition) => SourceRecord.InputPartitionOf(PoeTopics.Jobs, partition);

    /// <summary>A claim task's marks to stage 1.</summary>
    public static string OfClaims(int partition) => SourceRecord.InputPartitionOf(PoeTopics.JobClaims, partition);

    /// <summary>Every source stage 1 waits for when each stage has <paramref name="partitions"/> partitions.</summary>
    public static IReadOnlySet<string> OfStageOne(int partitions) =>
        Enumerable.Range(0, partitions)
            .SelectMany(partition => new[] { OfIngest(partition), OfClaims(partition) })
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The keys that carry <paramref name="source"/>'s marks, one placed in each partition: a mark is
    /// written to every partition of the topic its records went to.
    /// </summary>
    public static string[] MarkKeys(string source, int partitions) => KafkaPartitioner.KeysInEveryPartition($"progress-{source}", partitions);
}
