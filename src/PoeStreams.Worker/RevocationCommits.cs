using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Streamiz.Kafka.Net.Kafka;
using Streamiz.Kafka.Net.Metrics;

namespace PoeStreams.Worker;

/// <summary>
/// Keeps a failed commit of revoked tasks from stopping a stream thread (a Streamiz 1.8.2 defect).
/// <c>StreamsRebalanceListener.PartitionsRevoked</c> sets the task manager's rebalance flag, removes
/// the revoked tasks, commits their offsets and only then closes them and clears the flag, without
/// <c>try/finally</c>. When the commit fails because the group is already rebalancing again ("Group
/// rebalance in progress": a second worker joining or leaving), the revoked tasks are never closed
/// and the flag stays set, so the thread, which polls only while it is clear, sleeps forever.
/// </summary>
/// <remarks>
/// A commit refused during a revocation is therefore logged and absorbed here: the revocation then
/// completes, the tasks close and the thread rejoins. Nothing is lost by it. Under at-least-once the
/// next owner of those partitions reads again from the last committed offset, and every stage is
/// idempotent under such replays (the crash tests replay far more). A commit refused at any other time
/// still fails as Streamiz expects. Exactly-once commits through the producer's transaction, which
/// this does not touch. <see cref="StuckRebalanceGuard"/> stays as the backstop for any other way of
/// leaving the flag set.
/// </remarks>
public sealed class RevocationCommits(ILogger logger)
{
    private bool revoking;

    /// <summary>Runs a rebalance listener's revocation; commits made meanwhile are <see cref="Commit"/>'s to absorb.</summary>
    public void DuringRevocation(Action revoke)
    {
        revoking = true;
        try
        {
            revoke();
        }
        finally
        {
            revoking = false;
        }
    }

    /// <summary>Commits; a refusal during a revocation is logged and left to the replay, at any other time it is thrown.</summary>
    public void Commit(Action commit, IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        try
        {
            commit();
        }
        catch (KafkaException e) when (revoking)
        {
            logger.LogWarning(
                "A commit of {Count} partition offset(s) during a revocation was refused ({Reason}); those partitions are read again from the last commit",
                offsets.Count,
                e.Error.Reason);
        }
    }

    /// <summary>
    /// Streamiz's default clients, each stream-thread consumer wrapped so that its commits go through a
    /// <see cref="RevocationCommits"/> that knows when the thread's rebalance listener is revoking, and
    /// each producer so that a full queue makes a record wait (<see cref="QueueFullWaitingProducer"/>).
    /// </summary>
    public sealed class Supplier(IKafkaSupplier inner, ILogger logger) : IKafkaSupplier
    {
        public StreamMetricsRegistry MetricsRegistry
        {
            get => inner.MetricsRegistry;
            set => inner.MetricsRegistry = value;
        }

        public IConsumer<byte[], byte[]> GetConsumer(ConsumerConfig config, IConsumerRebalanceListener rebalanceListener)
        {
            if (rebalanceListener is null)
            {
                return inner.GetConsumer(config, rebalanceListener);
            }

            var commits = new RevocationCommits(logger);
            return new CommitRoutingConsumer(inner.GetConsumer(config, new Listener(rebalanceListener, commits)), commits);
        }

        public IProducer<byte[], byte[]> GetProducer(ProducerConfig config) => new QueueFullWaitingProducer(inner.GetProducer(config));

        public IConsumer<byte[], byte[]> GetRestoreConsumer(ConsumerConfig config) => inner.GetRestoreConsumer(config);

        public IConsumer<byte[], byte[]> GetGlobalConsumer(ConsumerConfig config) => inner.GetGlobalConsumer(config);

        public IAdminClient GetAdmin(AdminClientConfig config) => inner.GetAdmin(config);
    }

    /// <summary>A rebalance listener whose revocations run inside <see cref="DuringRevocation"/>.</summary>
    public sealed class Listener(IConsumerRebalanceListener inner, RevocationCommits commits) : IConsumerRebalanceListener
    {
        public void PartitionsAssigned(IConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) =>
            inner.PartitionsAssigned(consumer, partitions);

        public void PartitionsRevoked(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions) =>
            commits.DuringRevocation(() => inner.PartitionsRevoked(consumer, partitions));

        public void PartitionsLost(IConsumer<byte[], byte[]> consumer, List<TopicPartitionOffset> partitions) =>
            inner.PartitionsLost(consumer, partitions);
    }

    // The stream thread's consumer, unchanged except that explicit-offset commits (the only ones Streamiz
    // makes) go through the RevocationCommits.
    private sealed class CommitRoutingConsumer(IConsumer<byte[], byte[]> inner, RevocationCommits commits) : IConsumer<byte[], byte[]>
    {
        public void Commit(IEnumerable<TopicPartitionOffset> offsets)
        {
            var list = offsets.ToList();
            commits.Commit(() => inner.Commit(list), list);
        }

        public string MemberId => inner.MemberId;

        public List<TopicPartition> Assignment => inner.Assignment;

        public List<string> Subscription => inner.Subscription;

        public IConsumerGroupMetadata ConsumerGroupMetadata => inner.ConsumerGroupMetadata;

        public Handle Handle => inner.Handle;

        public string Name => inner.Name;

        public ConsumeResult<byte[], byte[]> Consume(int millisecondsTimeout) => inner.Consume(millisecondsTimeout);

        public ConsumeResult<byte[], byte[]> Consume(CancellationToken cancellationToken = default) => inner.Consume(cancellationToken);

        public ConsumeResult<byte[], byte[]> Consume(TimeSpan timeout) => inner.Consume(timeout);

        public void Subscribe(IEnumerable<string> topics) => inner.Subscribe(topics);

        public void Subscribe(string topic) => inner.Subscribe(topic);

        public void Unsubscribe() => inner.Unsubscribe();

        public void Assign(TopicPartition partition) => inner.Assign(partition);

        public void Assign(TopicPartitionOffset partition) => inner.Assign(partition);

        public void Assign(IEnumerable<TopicPartitionOffset> partitions) => inner.Assign(partitions);

        public void Assign(IEnumerable<TopicPartition> partitions) => inner.Assign(partitions);

        public void IncrementalAssign(IEnumerable<TopicPartitionOffset> partitions) => inner.IncrementalAssign(partitions);

        public void IncrementalAssign(IEnumerable<TopicPartition> partitions) => inner.IncrementalAssign(partitions);

        public void IncrementalUnassign(IEnumerable<TopicPartition> partitions) => inner.IncrementalUnassign(partitions);

        public void Unassign() => inner.Unassign();

        public void StoreOffset(ConsumeResult<byte[], byte[]> result) => inner.StoreOffset(result);

        public void StoreOffset(TopicPartitionOffset offset) => inner.StoreOffset(offset);

        public List<TopicPartitionOffset> Commit() => inner.Commit();

        public void Commit(ConsumeResult<byte[], byte[]> result) => inner.Commit(result);

        public void Seek(TopicPartitionOffset tpo) => inner.Seek(tpo);

        public void Pause(IEnumerable<TopicPartition> partitions) => inner.Pause(partitions);

        public void Resume(IEnumerable<TopicPartition> partitions) => inner.Resume(partitions);

        public List<TopicPartitionOffset> Committed(TimeSpan timeout) => inner.Committed(timeout);

        public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout) => inner.Committed(partitions, timeout);

        public Offset Position(TopicPartition partition) => inner.Position(partition);

        public List<TopicPartitionOffset> OffsetsForTimes(IEnumerable<TopicPartitionTimestamp> timestampsToSearch, TimeSpan timeout) =>
            inner.OffsetsForTimes(timestampsToSearch, timeout);

        public WatermarkOffsets GetWatermarkOffsets(TopicPartition topicPartition) => inner.GetWatermarkOffsets(topicPartition);

        public WatermarkOffsets QueryWatermarkOffsets(TopicPartition topicPartition, TimeSpan timeout) => inner.QueryWatermarkOffsets(topicPartition, timeout);

        public void Close() => inner.Close();

        public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

        public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

        public void Dispose() => inner.Dispose();
    }
}
