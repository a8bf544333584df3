using System.Net;
using System.Net.Sockets;
using Confluent.Kafka;
using PoeStreams.LocalKafka;

namespace PoeStreams.Worker.IntegrationTests;

public class LocalKafkaClusterTests
{
    [Fact]
    public async Task Clusters_started_one_after_another_carry_records_and_consumer_groups()
    {
        for (var round = 0; round < 2; round++)
        {
            await using var cluster = LocalKafkaCluster.Start([new LocalTopic("t", 4)], port: 0);
            using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
            {
                await producer.ProduceAsync("t", new Message<string, string> { Key = "k", Value = $"v{round}" });
            }

            using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = cluster.BootstrapServers, GroupId = $"g{round}", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
            consumer.Subscribe("t");
            var result = consumer.Consume(TimeSpan.FromSeconds(15));
            Assert.NotNull(result);
            Assert.Equal($"v{round}", result.Message.Value);
            Assert.StartsWith("127.0.0.1:", cluster.BootstrapServers, StringComparison.Ordinal);
            consumer.Close();
        }
    }

    [Fact]
    public void A_taken_port_is_a_clear_error()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var error = Assert.Throws<PortInUseException>(() => LocalKafkaCluster.Start([], port));

        Assert.Equal($"127.0.0.1:{port} is already in use, so the local broker cannot listen there: stop whatever listens there or choose another port.", error.Message);
    }
}
