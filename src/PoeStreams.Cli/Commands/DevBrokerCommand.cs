using System.ComponentModel;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>
/// <c>poe dev-broker</c>: an in-memory Kafka broker for development, with every topic created, and a
/// schema registry speaking Confluent's REST API with every topic's value schema registered.
/// </summary>
public sealed class DevBrokerCommand : AsyncCommand<DevBrokerCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--host <HOST>")]
        [Description("Address to listen on (default 127.0.0.1: loopback only).")]
        public string Host { get; init; } = "127.0.0.1";

        [CommandOption("--port <PORT>")]
        [Description("Port to listen on (default 9092).")]
        public int Port { get; init; } = 9092;

        [CommandOption("--registry-port <PORT>")]
        [Description("Port of the schema registry on the same address (default 8081).")]
        public int RegistryPort { get; init; } = 8081;

        [CommandOption("--partitions <N>")]
        [Description("Partitions of the input, sequenced and output topics (default 4; the worker's POE_PARTITIONS must match).")]
        public int Partitions { get; init; } = 4;

        [CommandOption("--application-id <ID>")]
        [Description("The worker's application id, which names its changelog topics (default poe-streams).")]
        public string ApplicationId { get; init; } = "poe-streams";

        public override ValidationResult Validate() =>
            Port is < 1 or > 65535 ? ValidationResult.Error($"--port must be between 1 and 65535, got {Port}")
            : RegistryPort is < 1 or > 65535 || RegistryPort == Port ? ValidationResult.Error($"--registry-port must be between 1 and 65535 and not --port, got {RegistryPort}")
            : Partitions is < 1 or > 1024 ? ValidationResult.Error($"--partitions must be between 1 and 1024, got {Partitions}")
            : !System.Net.IPAddress.TryParse(Host, out _) ? ValidationResult.Error($"--host must be an IP address, got '{Host}'")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var topics = TopicCatalog.For(settings.Partitions, settings.ApplicationId);
        await using var broker = StartBroker(topics, settings.Port, settings.Host);
        await using var registry = LocalSchemaRegistry.WithCatalog(settings.RegistryPort, settings.Host);
        AnsiConsole.MarkupLineInterpolated($"[green]Local broker listening on {broker.BootstrapServers}[/] with {topics.Count} topics. Ctrl-C stops it.");
        AnsiConsole.MarkupLineInterpolated($"[green]Schema registry on {registry.Url}[/] (Confluent's REST API) with {registry.Api.SubjectCount} subjects.");
        AnsiConsole.MarkupLine("[grey]In memory: nothing survives a stop; no transactions; no admin topic API. Production uses a real Kafka cluster and Schema Registry.[/]");
        WriteRetention();
        await WaitForCancellationAsync(cancellationToken);
        return 0;
    }

    // A partition nearing the retention limits or losing records is said when it happens.
    internal static LocalKafkaCluster StartBroker(IEnumerable<TopicSpec> topics, int port, string host = "127.0.0.1") =>
        LocalKafkaCluster.Start(
            topics.Select(t => new LocalTopic(t.Name, t.Partitions)), port, host, warn: message => AnsiConsole.MarkupLineInterpolated($"[yellow]! {message}[/]"));

    internal static void WriteRetention() =>
        AnsiConsole.MarkupLineInterpolated($"[grey]Retention (fixed in librdkafka's mock cluster): {LocalKafkaCluster.LimitsDescription}.[/]");

    internal static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new TaskCompletionSource().Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
