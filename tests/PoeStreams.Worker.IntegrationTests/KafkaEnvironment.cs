using System.Net.Sockets;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using Testcontainers.Kafka;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// A Kafka cluster for one test, chosen in this order: an external cluster named by
/// <c>POE_TEST_BOOTSTRAP_SERVERS</c> (give it a dedicated, empty cluster); a Testcontainers Kafka
/// container when a Docker engine answers; otherwise the in-process local broker. The tests are the
/// same in every mode. The schema registry is the local one (Confluent's REST API) in every mode,
/// started with the catalog's subjects, so every run gives each schema the same id and outputs of
/// separate runs compare byte for byte.
/// </summary>
public sealed class KafkaEnvironment : IAsyncDisposable
{
    private readonly LocalKafkaCluster? local;
    private readonly KafkaContainer? container;
    private readonly LocalSchemaRegistry registry;

    private KafkaEnvironment(string bootstrapServers, string mode, LocalKafkaCluster? local, KafkaContainer? container, LocalSchemaRegistry registry)
    {
        BootstrapServers = bootstrapServers;
        Mode = mode;
        this.local = local;
        this.container = container;
        this.registry = registry;
    }

    public string BootstrapServers { get; }

    public string SchemaRegistryUrl => registry.Url;

    public string Mode { get; }

    public static async Task<KafkaEnvironment> StartAsync(IEnumerable<TopicSpec> topics)
    {
        var specs = topics.ToList();
        var registry = LocalSchemaRegistry.WithCatalog(port: 0);
        if (Environment.GetEnvironmentVariable("POE_TEST_BOOTSTRAP_SERVERS") is { Length: > 0 } external)
        {
            await CreateTopicsAsync(external, specs);
            return new KafkaEnvironment(external, "external", null, null, registry);
        }

        if (DockerEngineAnswers())
        {
            var container = new KafkaBuilder(ContainerImages.Kafka).Build();
            await container.StartAsync();
            var bootstrap = container.GetBootstrapAddress();
            await CreateTopicsAsync(bootstrap, specs);
            return new KafkaEnvironment(bootstrap, "testcontainers", null, container, registry);
        }

        var cluster = LocalKafkaCluster.Start(specs.Select(t => new LocalTopic(t.Name, t.Partitions)), port: 0);
        return new KafkaEnvironment(cluster.BootstrapServers, "local", cluster, null, registry);
    }

    public async ValueTask DisposeAsync()
    {
        await registry.DisposeAsync();
        if (local is not null)
        {
            await local.DisposeAsync();
        }

        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }

    private static async Task CreateTopicsAsync(string bootstrapServers, List<TopicSpec> topics)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        try
        {
            await admin.CreateTopicsAsync(topics.Select(t => new TopicSpecification
            {
                Name = t.Name,
                NumPartitions = t.Partitions,
                ReplicationFactor = 1,
                Configs = t.Compacted ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
            }));
        }
        catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
        {
        }
    }

    private static bool DockerEngineAnswers()
    {
        const string socket = "/var/run/docker.sock";
        if (!File.Exists(socket))
        {
            return false;
        }

        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
