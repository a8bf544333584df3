using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace PoeStreams.Cli;

/// <summary>Publishes contract records as Avro (Confluent wire format) with Kafka's murmur2 partitioning.</summary>
public sealed class RecordPublisher : IDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly ContractSerializer serializer;
    private long failed;

    public RecordPublisher(string bootstrapServers, ISchemaRegistryClient registry)
    {
        serializer = new ContractSerializer(registry);
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Partitioner = Confluent.Kafka.Partitioner.Murmur2Random,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
    }

    /// <summary>Records the broker refused (delivery reports are asynchronous).</summary>
    public long Failed => Interlocked.Read(ref failed);

    public void Publish(GeneratedRecord record) =>
        Publish(record.Topic, record.Key, record.RawBytes ?? serializer.Serialize(record.Topic, record.Value!), record.EventTime);

    public void Publish(string topic, string key, ISpecificRecord value, DateTimeOffset eventTime) =>
        Publish(topic, key, serializer.Serialize(topic, value), eventTime);

    public void Flush(TimeSpan timeout) => producer.Flush(timeout);

    public void Dispose()
    {
        producer.Flush(TimeSpan.FromSeconds(10));
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
