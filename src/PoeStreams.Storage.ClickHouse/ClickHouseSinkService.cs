using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>
/// Runs the <see cref="ClickHouseSink"/> inside a host (the worker, or a service of its own). When records
/// were lost to retention before the sink read them, it says so in one line and stops the host with
/// exit code <see cref="RecordsLostExitCode"/>: the history would otherwise have a silent gap.
/// </summary>
public sealed class ClickHouseSinkService(
    ClickHouseOptions clickHouse, SinkOptions sink, ISchemaRegistryClient registry, TimeProvider clock, CollectorRegistry metrics,
    IHostApplicationLifetime lifetime, ILogger<ClickHouseSinkService> logger)
    : BackgroundService
{
    /// <summary>The process exit code after records were lost to retention (the worker uses the same).</summary>
    public const int RecordsLostExitCode = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var store = new ClickHouseStore(clickHouse);
        logger.LogInformation("ClickHouse sink: {Url} database {Database}, group {Group}", clickHouse.Url, clickHouse.Database, sink.GroupId);
        try
        {
            await new ClickHouseSink(store, sink, registry, clock, logger, metrics).RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (RecordsLostException lost)
        {
            logger.LogCritical("{Loss}; stopping (exit code {Code})", lost.Message, RecordsLostExitCode);
            Environment.ExitCode = RecordsLostExitCode;
            lifetime.StopApplication();
        }
    }
}
