using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace PoeStreams.Cli;

/// <summary>Publishes contract records as Avro (Confluent wire format) with Kafka's murmur2 partitioning.</summary>
public sealed class RecordPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly ContractSerializer serializer;
    private readonly string bootstrapServers;
    private long published;
    private long failed;
    private bool abandoned;

    public RecordPublisher(string bootstrapServers, ISchemaRegistryClient registry)
    {
        this.bootstrapServers = bootstrapServers;
        serializer = new ContractSerializer(registry);
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
            EnableIdempotence = true,
            LingerMs = 5,
        }).SetLogHandler(KafkaLogs.Quiet).Build();
    }

    /// <summary>How long <see cref="Confirm"/> waits for the broker by default.</summary>
    public static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(10);

    // Records the broker refused (delivery reports are asynchronous).
    private long Failed => Interlocked.Read(ref failed);

    public void Publish(GeneratedRecord record) =>
        Publish(record.Topic, record.Key, record.RawBytes ?? serializer.Serialize(record.Topic, record.Value!), record.EventTime);

    public void Publish(string topic, string key, ISpecificRecord value, DateTimeOffset eventTime) =>
        Publish(topic, key, serializer.Serialize(topic, value), eventTime);

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);

    /// <summary>
    /// Waits until the broker has acknowledged every record published so far; throws
    /// <see cref="DeliveryNotConfirmedException"/> (one line) when some were refused or are still
    /// unacknowledged after <paramref name="timeout"/> — an unreachable broker, for instance — so a
    /// command never reports as published what was not.
    /// </summary>
    public void Confirm(TimeSpan? timeout = null)
    {
        var waited = timeout ?? ConfirmTimeout;
        var unacknowledged = producer.Flush(waited);
        if (unacknowledged > 0 || Failed > 0)
        {
            // Disposing does not wait for them again: the command has said they failed.
            abandoned = true;
            throw new DeliveryNotConfirmedException(
                unacknowledged > 0
                    ? $"the broker at {bootstrapServers} did not acknowledge {unacknowledged} of {Interlocked.Read(ref published)} records within {waited.TotalSeconds:0} s; nothing is claimed as published"
                    : $"the broker at {bootstrapServers} refused {Failed} of {Interlocked.Read(ref published)} records");
        }
    }

    public void Dispose()
    {
        if (!abandoned)
        {
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        producer.Dispose();
    }

    private void Publish(string topic, string key, byte[] value, DateTimeOffset eventTime)
    {
        // The record timestamp is the event time, as upstream systems set it.
        var message = new Message<string, byte[]> { Key = key, Value = value, Timestamp = new Timestamp(eventTime) };
        while (true)
        {
            try
            {
                Interlocked.Increment(ref published);
                producer.Produce(topic, message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failed);
                    }
                });
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}

/// <summary>The broker did not acknowledge what a command published.</summary>
public sealed class DeliveryNotConfirmedException(string message) : Exception(message);

/// <summary>
/// librdkafka's own log lines (hundreds a second while a broker is unreachable) are not printed: a
/// command reports what failed in its one line, from delivery reports and exceptions.
/// </summary>
internal static class KafkaLogs
{
    public static void Quiet<TClient>(TClient client, LogMessage message)
    {
    }
}
