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
    private volatile string state = "STARTING";

    /// <summary>The Kafka Streams state (RUNNING when healthy).</summary>
    public string State => state;

    public bool IsRunning => state == "RUNNING";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Starting PoeStreams: {Options}", options);
        await new StartupChecks(options, topology, registry, logger).RunAsync(stoppingToken).ConfigureAwait(false);

        StreamizLoggerFactory.Instance.ForwardTo(loggerFactory);
        var stream = new KafkaStream(PoeTopology.Build(topology, registry, clock, observer, backlog), StreamConfig());
        stream.StateChanged += (_, current) =>
        {
            state = current.ToString();
            logger.LogInformation("Stream state: {State}", state);
        };
        try
        {
            // Not the host's token: Streamiz would register its own Dispose on it and race the one below.
            await stream.StartAsync(CancellationToken.None).ConfigureAwait(false);
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
        SessionTimeoutMs = options.SessionTimeoutMs,
        SecurityProtocol = options.SecurityProtocol,
        SaslMechanism = options.SaslMechanism,
        SaslUsername = options.SaslUsername,
        SaslPassword = options.SaslPassword,
        SslCaLocation = options.SslCaLocation,
        Logger = StreamizLoggerFactory.Instance,
    };
}
