using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Streamiz.Kafka.Net.Kafka;

namespace PoeStreams.Worker.UnitTests;

/// <summary>
/// A commit the group refuses while a stream thread's partitions are revoked no longer leaves the thread
/// asleep (Streamiz 1.8.2); at any other time a refused commit fails as before.
/// </summary>
public class RevocationCommitsTests
{
    private static readonly List<TopicPartitionOffset> Offsets = [new("poe.jobs", 0, 42)];
    private readonly RevocationCommits commits = new(NullLogger.Instance);

    [Fact]
    public void A_commit_refused_while_partitions_are_revoked_is_absorbed_so_the_revocation_completes()
    {
        var completed = false;

        commits.DuringRevocation(() =>
        {
            commits.Commit(Refused, Offsets);
            completed = true;
        });

        Assert.True(completed);
    }

    [Fact]
    public void A_commit_refused_outside_a_revocation_still_fails()
    {
        var e = Assert.Throws<KafkaException>(() => commits.Commit(Refused, Offsets));
        Assert.Equal(ErrorCode.RebalanceInProgress, e.Error.Code);
    }

    [Fact]
    public void A_revocation_that_throws_ends_the_revocation_all_the_same()
    {
        Assert.Throws<InvalidOperationException>(() => commits.DuringRevocation(() => throw new InvalidOperationException()));

        Assert.Throws<KafkaException>(() => commits.Commit(Refused, Offsets));
    }

    [Fact]
    public void The_listener_runs_Streamiz_revocation_as_a_revocation()
    {
        var streamiz = new CommittingOnRevocation(commits);
        var listener = new RevocationCommits.Listener(streamiz, commits);

        listener.PartitionsRevoked(null!, Offsets);

        Assert.True(streamiz.Revoked);
    }

    [Fact]
    public void The_listener_passes_assignments_on_unchanged()
    {
        var streamiz = new CommittingOnRevocation(commits);
        var listener = new RevocationCommits.Listener(streamiz, commits);

        listener.PartitionsAssigned(null!, [new TopicPartition("poe.jobs", 3)]);

        Assert.Equal([new TopicPartition("poe.jobs", 3)], streamiz.Assigned);
    }

    private static void Refused() => throw new KafkaException(ErrorCode.RebalanceInProgress);

    // Streamiz's listener as far as it matters here: its revocation commits the revoked tasks' offsets.
    private sealed class CommittingOnRevocation(RevocationCommits commits) : IConsumerRebalanceListener
    {
        public bool Revoked { get; private set; }

        public List<TopicPartition> Assigned { get; } = [];

        public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) => Assigned.AddRange(partitions);

        public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
        {
            commits.Commit(Refused, partitions);
            Revoked = true;
        }

        public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions)
        {
        }
    }
}
