using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Topology;
using Polly;
using Polly.Retry;

namespace PoeStreams.Worker;

/// <summary>The cluster is reachable but not set up for the topology.</summary>
public sealed class ClusterNotReadyException(string message) : Exception(message);

/// <summary>
/// Before the stream starts: wait for the broker and the schema registry with bounded, logged retries,
/// then check that every topic the topology needs exists with the partitions it expects. The local
/// broker creates them all; on a real cluster the operator creates them from the same list.
/// </summary>
public sealed class StartupChecks(WorkerOptions options, PoeTopologyOptions topology, ISchemaRegistryClient registry, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<KafkaException>().Handle<HttpRequestException>().Handle<SchemaRegistryException>(e => (int)e.Status >= 500),
                MaxRetryAttempts = 8,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(5),
                UseJitter = true,
                OnRetry = args =>
                {
                    logger.LogWarning("Start-up check failed ({Reason}); retry {Attempt} in {Delay}", args.Outcome.Exception?.Message, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        var metadata = await retry.ExecuteAsync(_ => ValueTask.FromResult(ReadMetadata()), cancellationToken).ConfigureAwait(false);
        CheckTopics(metadata);
        await retry.ExecuteAsync(async _ => await RegisterOutputSchemasAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private Confluent.Kafka.Metadata ReadMetadata()
    {
        var config = new AdminClientConfig
        {
            BootstrapServers = options.BootstrapServers,
            SecurityProtocol = options.SecurityProtocol,
            SaslMechanism = options.SaslMechanism,
            SaslUsername = options.SaslUsername,
            SaslPassword = options.SaslPassword,
            SslCaLocation = options.SslCaLocation,
        };
        using var admin = new AdminClientBuilder(config).Build();
        return admin.GetMetadata(TimeSpan.FromSeconds(5));
    }

    private void CheckTopics(Confluent.Kafka.Metadata metadata)
    {
        var existing = metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError).ToDictionary(t => t.Topic, t => t.Partitions.Count);
        var problems = new List<string>();
        foreach (var topic in TopicCatalog.For(topology.Partitions, topology.ApplicationId))
        {
            if (!existing.TryGetValue(topic.Name, out var partitions))
            {
                problems.Add($"{topic.Name} is missing (create it with {topic.Partitions} partition(s){(topic.Compacted ? ", compacted" : "")})");
            }
            else if (partitions != topic.Partitions)
            {
                problems.Add($"{topic.Name} has {partitions} partition(s), the topology needs {topic.Partitions}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ClusterNotReadyException($"The cluster at {options.BootstrapServers} is not ready: {string.Join("; ", problems)}");
        }
    }

    // Registering up front turns a registry outage into a retried start-up error instead of failed records.
    private async Task RegisterOutputSchemasAsync()
    {
        foreach (var topic in TopicCatalog.Topics.Where(t => t.Role == TopicRole.Output))
        {
            await registry.RegisterSchemaAsync(topic.ValueSubject, new Schema(topic.ValueSchema!.ToString(), SchemaType.Avro)).ConfigureAwait(false);
        }
    }
}
