using System.ComponentModel;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>Connection settings shared by every command; defaults come from the same POE_* variables as the worker.</summary>
public class ConnectionSettings : CommandSettings
{
    [CommandOption("--bootstrap-servers <SERVERS>")]
    [Description("Kafka bootstrap servers (default: POE_BOOTSTRAP_SERVERS or 127.0.0.1:9092).")]
    public string BootstrapServers { get; init; } = Environment.GetEnvironmentVariable("POE_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092";
}
