using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Topology;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Worker;

/// <summary>
/// Runs the topology as a Kafka Streams application until the host stops (SIGTERM, Ctrl-C), then
/// closes the stream, which commits offsets and leaves the consumer group.
/// </summary>
public sealed class PoeStreamsService(
    WorkerOptions options,
    PoeTopologyOptions topology,
    ISchemaRegistryClient registry,
    ITopologyObserver observer,
    IInputBacklog backlog,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger logger = loggerFactory.CreateLogger<PoeStreamsService>();
    private readonly StreamReadiness readiness = new();
    private readonly RecordFailurePolicy failures = new(loggerFactory.CreateLogger<RecordFailurePolicy>());

    /// <summary>The Kafka Streams state, and how many changelog partitions are still being restored.</summary>
    public string State => readiness.Describe();

    /// <summary>Ready: running, with every state store restored.</summary>
    public bool IsRunning => readiness.IsReady;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Starting PoeStreams: {Options}", options);
        await new StartupChecks(options, topology, registry, logger).RunAsync(stoppingToken).ConfigureAwait(false);

        StreamizLoggerFactory.Instance.ForwardTo(loggerFactory);
        var stream = new KafkaStream(PoeTopology.Build(topology, registry, clock, observer, backlog), StreamConfig());
        stream.StateChanged += (_, current) =>
        {
            readiness.StateChanged(current.ToString());
            logger.LogInformation("Stream state: {State}", current);
        };
        stream.OnRestoreStartEvent += (changelog, store, from, to) =>
        {
            readiness.RestoreStarted(store, changelog);
            logger.LogInformation("Restoring {Store} from {Changelog}: offsets {From} to {To}", store, changelog, from, to);
        };
        stream.OnRestoreEndEvent += (changelog, store, restored) =>
        {
            readiness.RestoreEnded(store, changelog);
            logger.LogInformation("Restored {Store} from {Changelog}: {Records} records", store, changelog, restored);
        };
        try
        {
            // Not the host's token: Streamiz would register its own Dispose on it and race the one below.
            await stream.StartAsync(CancellationToken.None).ConfigureAwait(false);
            await new StuckRebalanceGuard(stream, logger).WatchAsync(TimeSpan.FromSeconds(5), clock, stoppingToken).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            logger.LogInformation("Stopping PoeStreams: closing the stream and committing offsets");
            stream.Dispose();
        }
    }

    private StreamConfig StreamConfig() => new StreamConfig<StringSerDes, StringSerDes>
    {
        ApplicationId = options.ApplicationId,
        BootstrapServers = options.BootstrapServers,
        Guarantee = options.ProcessingGuarantee == ProcessingMode.ExactlyOnce ? ProcessingGuarantee.EXACTLY_ONCE : ProcessingGuarantee.AT_LEAST_ONCE,
        NumStreamThreads = options.NumStreamThreads,
        StateDir = Path.Combine(options.StateDirectory, options.ApplicationId),
        CommitIntervalMs = options.CommitIntervalMs,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        // Records are placed by their keys, as a Java producer places them: Streamiz's default sink
        // partitioner leaves the partition to the producer (reshuffle), whose partitioner is murmur2.
        Partitioner = Partitioner.Murmur2Random,
        DefaultPartitionerReshuffleEveryKey = true,

        // The internal topics and changelogs are JSON: compressed they take several times less broker
        // space and network, for little CPU.
        CompressionType = CompressionType.Lz4,
        SessionTimeoutMs = options.SessionTimeoutMs,
        SecurityProtocol = options.SecurityProtocol,
        SaslMechanism = options.SaslMechanism,
        SaslUsername = options.SaslUsername,
        SaslPassword = options.SaslPassword,
        SslCaLocation = options.SslCaLocation,
        Logger = StreamizLoggerFactory.Instance,
        ProductionExceptionHandler = failures.OnProduceFailed,
        DeserializationExceptionHandler = failures.OnUnreadable,
    };
}

/// <summary>
/// Whether the worker is ready: the stream RUNNING and no state store restoring. Streamiz reports
/// RUNNING while tasks still restore their stores from the changelogs, and those tasks process nothing.
/// </summary>
public sealed class StreamReadiness
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Store, TopicPartition Changelog), bool> restoring = new();
    private volatile string state = "STARTING";

    public bool IsReady => state == "RUNNING" && restoring.IsEmpty;

    public void StateChanged(string current) => state = current;

    public void RestoreStarted(string store, TopicPartition changelog) => restoring[(store, changelog)] = true;

    public void RestoreEnded(string store, TopicPartition changelog) => restoring.TryRemove((store, changelog), out _);

    /// <summary>The state, with the changelog partitions still restoring.</summary>
    public string Describe() => restoring.IsEmpty ? state : $"{state}, RESTORING {restoring.Count} changelog partition(s)";
}
