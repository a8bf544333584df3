using Confluent.Kafka;
using PoeStreams.Cli.Commands;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary>The CLI's Kafka readers never jump silently over records the broker's retention deleted.</summary>
public class RetentionTests
{
    [Fact]
    public async Task Start_minings_watch_stops_with_one_line_when_the_broker_deleted_what_it_had_not_read()
    {
        await using var broker = LocalKafkaCluster.Start([new LocalTopic(PoeTopics.Sequenced, 1)], port: 0);
        using var watch = SequencedWatch.Open(broker.BootstrapServers);

        // More than the local broker keeps per partition (5 MiB), written after the watch took its position.
        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, LingerMs = 5 }).Build())
        {
            for (var i = 0; i < 6 * 1024; i++)
            {
                producer.Produce(new TopicPartition(PoeTopics.Sequenced, 0), new Message<Null, byte[]> { Value = new byte[1024] });
            }

            producer.Flush(TimeSpan.FromSeconds(30));
        }

        var error = Assert.Throws<InvalidOperationException>(() => watch.WaitFor(_ => false, TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None));
        Assert.StartsWith("poe.sequenced: the broker deleted records before they were read", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
