using System.ComponentModel;
using Confluent.SchemaRegistry;
using PoeStreams.Contracts;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>Connection settings shared by every command; defaults come from the same POE_* variables as the worker.</summary>
public class ConnectionSettings : CommandSettings
{
    [CommandOption("--bootstrap-servers <SERVERS>")]
    [Description("Kafka bootstrap servers (default: POE_BOOTSTRAP_SERVERS or 127.0.0.1:9092).")]
    public string BootstrapServers { get; init; } = Environment.GetEnvironmentVariable("POE_BOOTSTRAP_SERVERS") ?? "127.0.0.1:9092";

    [CommandOption("--schema-registry-url <URL>")]
    [Description("Schema registry (default: POE_SCHEMA_REGISTRY_URL or http://127.0.0.1:8081, which poe dev-broker serves); basic auth from POE_SCHEMA_REGISTRY_BASIC_AUTH.")]
    public string SchemaRegistryUrl { get; init; } = Environment.GetEnvironmentVariable("POE_SCHEMA_REGISTRY_URL") ?? SchemaRegistryClients.DefaultUrl;

    /// <summary>Confluent's client for the configured registry, as the worker uses it.</summary>
    /// <exception cref="InvalidOperationException">The URL or the basic-auth variable is malformed (one line, no secret).</exception>
    public ISchemaRegistryClient SchemaRegistry()
    {
        var basicAuth = Environment.GetEnvironmentVariable("POE_SCHEMA_REGISTRY_BASIC_AUTH");
        return SchemaRegistryClients.UrlProblem(SchemaRegistryUrl) is { } urlProblem ? throw new InvalidOperationException($"--schema-registry-url {urlProblem}, got '{SchemaRegistryUrl}'")
            : SchemaRegistryClients.BasicAuthProblem(basicAuth) is { } authProblem ? throw new InvalidOperationException($"POE_SCHEMA_REGISTRY_BASIC_AUTH {authProblem}")
            : SchemaRegistryClients.Connect(SchemaRegistryUrl, basicAuth);
    }

    /// <summary>A publisher to the configured broker and registry.</summary>
    public RecordPublisher Publisher() => new(BootstrapServers, SchemaRegistry());
}
