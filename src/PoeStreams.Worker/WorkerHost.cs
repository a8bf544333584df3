using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Economics.Configuration;
using PoeStreams.Storage.ClickHouse;
using PoeStreams.Topology;
using Prometheus;

namespace PoeStreams.Worker;

/// <summary>Settings that break rules; the message lists every problem.</summary>
public sealed class InvalidWorkerOptionsException(IReadOnlyList<string> problems)
    : Exception("Invalid worker configuration:" + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>Builds the worker's host; used by the worker executable, the <c>poe demo</c> command and tests.</summary>
public static class WorkerHost
{
    /// <summary>Reads and validates the options: every problem of the settings and of the YAML at once.</summary>
    public static (WorkerOptions Worker, PoeTopologyOptions Topology) ReadOptions(IConfiguration configuration)
    {
        var problems = new List<string>();
        var worker = WorkerOptions.From(configuration, problems);
        problems.AddRange(worker.Validate());
        PoeTopologyOptions? topology = null;
        try
        {
            topology = worker.TopologyOptions();
        }
        catch (InvalidPoeOptionsException e)
        {
            problems.AddRange(e.Problems);
        }

        return problems.Count == 0 ? (worker, topology!) : throw new InvalidWorkerOptionsException(problems);
    }

    public static IHost Build(IConfiguration configuration, TimeProvider? clock = null, Action<ILoggingBuilder>? logging = null)
    {
        var (worker, topology) = ReadOptions(configuration);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
            o.UseUtcTimestamp = true;
        });
        logging?.Invoke(builder.Logging);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddSingleton(worker);
        builder.Services.AddSingleton(topology);
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddSingleton(Metrics.NewCustomRegistry());
        builder.Services.AddSingleton<ITopologyObserver>(s => new PrometheusObserver(s.GetRequiredService<CollectorRegistry>(), topology.Economics.Epochs.Grace));
        builder.Services.AddSingleton(_ => SchemaRegistryClients.Connect(worker.SchemaRegistryUrl, worker.SchemaRegistryBasicAuth));
        builder.Services.AddSingleton<InputBacklogProbe>();
        builder.Services.AddSingleton<IInputBacklog>(s => s.GetRequiredService<InputBacklogProbe>());
        builder.Services.AddHostedService(s => s.GetRequiredService<InputBacklogProbe>());
        builder.Services.AddSingleton<PoeStreamsService>();
        builder.Services.AddHostedService(s => s.GetRequiredService<PoeStreamsService>());
        builder.Services.AddHostedService<MonitoringService>();
        if (worker.ClickHouseUrl is { } clickHouseUrl)
        {
            builder.Services.AddSingleton(new ClickHouseOptions { Url = clickHouseUrl, Database = worker.ClickHouseDatabase, Username = worker.ClickHouseUser, Password = worker.ClickHousePassword });
            builder.Services.AddSingleton(new SinkOptions { BootstrapServers = worker.BootstrapServers, GroupId = $"{worker.ApplicationId}-clickhouse-sink", SessionTimeoutMs = worker.SessionTimeoutMs });
            builder.Services.AddHostedService<ClickHouseSinkService>();
        }
        return builder.Build();
    }
}

/// <summary>Hosts the <see cref="MonitoringServer"/> when a metrics port is configured.</summary>
internal sealed class MonitoringService(WorkerOptions options, CollectorRegistry registry, PoeStreamsService stream, ILogger<MonitoringService> logger) : IHostedService, IAsyncDisposable
{
    private MonitoringServer? server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.MetricsPort == 0)
        {
            return Task.CompletedTask;
        }

        server = new MonitoringServer(options.MetricsHost, options.MetricsPort, registry, () => (stream.IsRunning, stream.State), logger);
        server.Start();
        logger.LogInformation("Metrics on http://{Host}:{Port}/metrics, health on /health", options.MetricsHost, options.MetricsPort);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server = null;
        }
    }
}
