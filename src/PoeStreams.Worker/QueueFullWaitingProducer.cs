using Confluent.Kafka;

namespace PoeStreams.Worker;

/// <summary>
/// A stream thread's producer that waits while its queue is full instead of failing the record, as
/// Kafka's Java producer blocks (up to <c>max.block.ms</c>) when its buffer is full. Confluent's
/// <c>Produce</c> throws <c>Local_QueueFull</c> at once when librdkafka holds
/// <c>queue.buffering.max.messages</c> (100,000 by default) unacknowledged messages, and Streamiz hands
/// that to the production handler, which stops the thread for any record but a dead letter. A commit
/// that writes many stores' changelogs at once (stage 1's tallies and miners at a large epoch close)
/// reaches that while the broker is merely behind.
/// <para>
/// The record is offered again after each wait, before the stream thread produces anything else, so
/// the order of a partition's records is kept. After <see cref="MostWaits"/> waits (at most a minute)
/// the error goes to Streamiz as before: a broker that acknowledges nothing for that long is down.
/// </para>
/// </summary>
public sealed class QueueFullWaitingProducer(IProducer<byte[], byte[]> inner) : IProducer<byte[], byte[]>
{
    /// <summary>How long one wait serves delivery reports (and so frees the queue) at most.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMilliseconds(100);

    /// <summary>How many waits a record gets before its error goes to Streamiz.</summary>
    public const int MostWaits = 600;

    public Handle Handle => inner.Handle;

    public string Name => inner.Name;

    public void Produce(string topic, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        WhileQueueFull(topic, message, deliveryHandler, static (producer, to, record, handler) => producer.Produce(to, record, handler));

    public void Produce(TopicPartition topicPartition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>>? deliveryHandler = null) =>
        WhileQueueFull(topicPartition, message, deliveryHandler, static (producer, to, record, handler) => producer.Produce(to, record, handler));

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(string topic, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        inner.ProduceAsync(topic, message, cancellationToken);

    public Task<DeliveryResult<byte[], byte[]>> ProduceAsync(TopicPartition topicPartition, Message<byte[], byte[]> message, CancellationToken cancellationToken = default) =>
        inner.ProduceAsync(topicPartition, message, cancellationToken);

    public int Poll(TimeSpan timeout) => inner.Poll(timeout);

    public int Flush(TimeSpan timeout) => inner.Flush(timeout);

    public void Flush(CancellationToken cancellationToken = default) => inner.Flush(cancellationToken);

    public void InitTransactions(TimeSpan timeout) => inner.InitTransactions(timeout);

    public void BeginTransaction() => inner.BeginTransaction();

    public void CommitTransaction(TimeSpan timeout) => inner.CommitTransaction(timeout);

    public void CommitTransaction() => inner.CommitTransaction();

    public void AbortTransaction(TimeSpan timeout) => inner.AbortTransaction(timeout);

    public void AbortTransaction() => inner.AbortTransaction();

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout) =>
        inner.SendOffsetsToTransaction(offsets, groupMetadata, timeout);

    public int AddBrokers(string brokers) => inner.AddBrokers(brokers);

    public void SetSaslCredentials(string username, string password) => inner.SetSaslCredentials(username, password);

    public void Dispose() => inner.Dispose();

    // Polling serves delivery reports, which is what empties the queue (Confluent's own poll thread does too).
    // Every record written passes here: the produce call is a static lambda, so none allocates a closure.
    private void WhileQueueFull<TTarget>(
        TTarget target,
        Message<byte[], byte[]> message,
        Action<DeliveryReport<byte[], byte[]>>? deliveryHandler,
        Action<IProducer<byte[], byte[]>, TTarget, Message<byte[], byte[]>, Action<DeliveryReport<byte[], byte[]>>?> produce)
    {
        for (var waits = 0; ; waits++)
        {
            try
            {
                produce(inner, target, message, deliveryHandler);
                return;
            }
            catch (ProduceException<byte[], byte[]> full) when (full.Error.Code == ErrorCode.Local_QueueFull && waits < MostWaits)
            {
                inner.Poll(Wait);
            }
        }
    }
}
