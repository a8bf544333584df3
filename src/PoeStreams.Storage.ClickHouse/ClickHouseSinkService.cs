using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>Runs the <see cref="ClickHouseSink"/> inside a host (the worker, or a service of its own).</summary>
public sealed class ClickHouseSinkService(
    ClickHouseOptions clickHouse, SinkOptions sink, ISchemaRegistryClient registry, TimeProvider clock, CollectorRegistry metrics, ILogger<ClickHouseSinkService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var store = new ClickHouseStore(clickHouse);
        logger.LogInformation("ClickHouse sink: {Url} database {Database}, group {Group}", clickHouse.Url, clickHouse.Database, sink.GroupId);
        await new ClickHouseSink(store, sink, registry, clock, logger, metrics).RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
