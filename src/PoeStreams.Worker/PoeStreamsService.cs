using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Topology;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.Kafka;

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

    /// <summary>How many times the stream was replaced because a thread was stuck or every thread had died.</summary>
    public int Restarts => Volatile.Read(ref restarts);

    /// <summary>The stream now running (tests reach Streamiz's internals through it).</summary>
    internal KafkaStream? CurrentStream { get; private set; }

    private int restarts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Starting PoeStreams: {Options}", options);
        await new StartupChecks(options, topology, registry, logger).RunAsync(stoppingToken).ConfigureAwait(false);
        StreamizLoggerFactory.Instance.ForwardTo(loggerFactory);
        if (!StuckRebalanceGuard.Applicable)
        {
            logger.LogWarning("This Streamiz version has no KafkaStream.threads field: a stream thread stuck in a rebalance will not be detected");
        }

        while (await RunStreamAsync(stoppingToken).ConfigureAwait(false) is { } reason)
        {
            // A fresh stream rejoins the group and restores its stores from the local state and the changelogs.
            Interlocked.Increment(ref restarts);
            logger.LogWarning("Restarting the stream in {Delay}: {Reason}", RestartDelay, reason);
            await Task.Delay(RestartDelay, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>How often a running stream is checked for a thread stuck in a rebalance or for every thread dead.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(5);

    /// <summary>How long a stream that needs a restart waits before it starts again.</summary>
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    // Runs one stream until the host stops it (null) or it needs a restart (why).
    private async Task<string?> RunStreamAsync(CancellationToken stoppingToken)
    {
        if (stoppingToken.IsCancellationRequested)
        {
            return null;
        }

        var config = StreamConfig();
        var clients = new RevocationCommits.Supplier(new DefaultKafkaClientSupplier(new KafkaLoggerAdapter(config), config), loggerFactory.CreateLogger<RevocationCommits>());
        var stream = new KafkaStream(PoeTopology.Build(topology, registry, clock, observer, backlog), config, clients);
        CurrentStream = stream;
        var failed = false;
        stream.StateChanged += (_, current) =>
        {
            readiness.StateChanged(current.ToString());
            failed |= current == KafkaStream.State.ERROR;
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
            var guard = new StuckRebalanceGuard(stream);
            while (true)
            {
                await Task.Delay(CheckInterval, clock, stoppingToken).ConfigureAwait(false);
                if (failed)
                {
                    return "every stream thread died (state ERROR)";
                }

                if (guard.Stuck())
                {
                    return "a stream thread is stuck in a rebalance (Streamiz 1.8.2 left its rebalance flag set)";
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            logger.LogInformation("Stopping the stream: closing it and committing offsets");
            readiness.Restarting();
            stream.Dispose();
        }
    }

    private StreamConfig StreamConfig() => new SinkFriendlyStreamConfig
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

    /// <summary>The stream is being replaced: nothing it was restoring counts any more.</summary>
    public void Restarting() => restoring.Clear();

    public void RestoreStarted(string store, TopicPartition changelog) => restoring[(store, changelog)] = true;

    public void RestoreEnded(string store, TopicPartition changelog) => restoring.TryRemove((store, changelog), out _);

    /// <summary>The state, with the changelog partitions still restoring.</summary>
    public string Describe() => restoring.IsEmpty ? state : $"{state}, RESTORING {restoring.Count} changelog partition(s)";
}
