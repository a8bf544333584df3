using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using PoeStreams.Configuration;
using PoeStreams.Contracts;
using PoeStreams.Storage.ClickHouse;
using PoeStreams.Topology;

namespace PoeStreams.Worker;

public enum ProcessingMode
{
    /// <summary>Default: outputs are keyed and deterministic, so a redelivered record only repeats an identical one.</summary>
    AtLeastOnce,

    /// <summary>Kafka transactions; needs a real broker (the local broker accepts but does not honour them).</summary>
    ExactlyOnce,
}

/// <summary>
/// The worker's settings, read from configuration keys that are also the environment variables with
/// the <c>POE_</c> prefix (<c>POE_BOOTSTRAP_SERVERS</c> → <c>BOOTSTRAP_SERVERS</c>). Secrets (SASL and
/// registry passwords) are only ever read, never logged: <see cref="ToString"/> masks them.
/// </summary>
public sealed record WorkerOptions
{
    public string BootstrapServers { get; init; } = "127.0.0.1:9092";

    public string ApplicationId { get; init; } = "poe-streams";

    /// <summary>Path of the poe_mining YAML; the built-in defaults when empty.</summary>
    public string? ConfigFile { get; init; }

    public int Partitions { get; init; } = 4;

    /// <summary>Overrides <c>epochs.length_seconds</c> of the YAML (e.g. short demo epochs).</summary>
    public int? EpochSeconds { get; init; }

    /// <summary>Overrides <c>epochs.grace_seconds</c> of the YAML.</summary>
    public int? GraceSeconds { get; init; }

    public ProcessingMode ProcessingGuarantee { get; init; } = ProcessingMode.AtLeastOnce;

    public SecurityProtocol? SecurityProtocol { get; init; }

    public SaslMechanism? SaslMechanism { get; init; }

    public string? SaslUsername { get; init; }

    public string? SaslPassword { get; init; }

    public string? SslCaLocation { get; init; }

    /// <summary>Confluent Schema Registry's URL (or the local one <c>poe dev-broker</c> and <c>make run</c> serve).</summary>
    public string SchemaRegistryUrl { get; init; } = SchemaRegistryClients.DefaultUrl;

    /// <summary><c>user:password</c> for the schema registry's basic auth.</summary>
    public string? SchemaRegistryBasicAuth { get; init; }

    /// <summary>ClickHouse HTTP URL; when set, the worker also runs the history sink.</summary>
    public string? ClickHouseUrl { get; init; }

    public string ClickHouseDatabase { get; init; } = "poe";

    public string? ClickHouseUser { get; init; }

    public string? ClickHousePassword { get; init; }

    public string MetricsHost { get; init; } = "127.0.0.1";

    /// <summary>Port of <c>/metrics</c> and <c>/health</c>; 0 turns the server off.</summary>
    public int MetricsPort { get; init; } = 9464;

    public string StateDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "poe-streams-state");

    public int NumStreamThreads { get; init; } = 1;

    /// <summary>How often each stream thread flushes its stores and commits its offsets (Kafka Streams' commit.interval.ms).</summary>
    public long CommitIntervalMs { get; init; } = 1000;

    public int SessionTimeoutMs { get; init; } = 10_000;

    /// <summary>Reads every setting from <paramref name="configuration"/>; unparsable values are reported by <see cref="Validate"/>.</summary>
    public static WorkerOptions From(IConfiguration configuration, List<string> problems)
    {
        string? Text(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();

        T? Parse<T>(string key, Func<string, T?> parse)
        {
            var text = Text(key);
            if (text is null)
            {
                return default;
            }

            var value = parse(text);
            if (value is null)
            {
                problems.Add($"POE_{key}: '{text}' is not a valid value");
            }

            return value;
        }

        int? Int(string key) => Parse<int?>(key, t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null);
        TEnum? Enum<TEnum>(string key)
            where TEnum : struct, System.Enum =>
            Parse<TEnum?>(key, t => System.Enum.TryParse<TEnum>(t.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var v) ? v : null);

        var defaults = new WorkerOptions();
        return new WorkerOptions
        {
            BootstrapServers = Text("BOOTSTRAP_SERVERS") ?? defaults.BootstrapServers,
            ApplicationId = Text("APPLICATION_ID") ?? defaults.ApplicationId,
            ConfigFile = Text("CONFIG"),
            Partitions = Int("PARTITIONS") ?? defaults.Partitions,
            EpochSeconds = Int("EPOCH_SECONDS"),
            GraceSeconds = Int("GRACE_SECONDS"),
            ProcessingGuarantee = Enum<ProcessingMode>("PROCESSING_GUARANTEE") ?? defaults.ProcessingGuarantee,
            SecurityProtocol = Enum<SecurityProtocol>("SECURITY_PROTOCOL"),
            SaslMechanism = Enum<SaslMechanism>("SASL_MECHANISM"),
            SaslUsername = Text("SASL_USERNAME"),
            SaslPassword = Text("SASL_PASSWORD"),
            SslCaLocation = Text("SSL_CA_LOCATION"),
            SchemaRegistryUrl = Text("SCHEMA_REGISTRY_URL") ?? defaults.SchemaRegistryUrl,
            SchemaRegistryBasicAuth = Text("SCHEMA_REGISTRY_BASIC_AUTH"),
            ClickHouseUrl = Text("CLICKHOUSE_URL"),
            ClickHouseDatabase = Text("CLICKHOUSE_DATABASE") ?? defaults.ClickHouseDatabase,
            ClickHouseUser = Text("CLICKHOUSE_USER"),
            ClickHousePassword = Text("CLICKHOUSE_PASSWORD"),
            MetricsHost = Text("METRICS_HOST") ?? defaults.MetricsHost,
            MetricsPort = Int("METRICS_PORT") ?? defaults.MetricsPort,
            StateDirectory = Text("STATE_DIR") ?? defaults.StateDirectory,
            NumStreamThreads = Int("STREAM_THREADS") ?? defaults.NumStreamThreads,
            CommitIntervalMs = Int("COMMIT_INTERVAL_MS") ?? defaults.CommitIntervalMs,
            SessionTimeoutMs = Int("SESSION_TIMEOUT_MS") ?? defaults.SessionTimeoutMs,
        };
    }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BootstrapServers))
        {
            problems.Add("POE_BOOTSTRAP_SERVERS: must not be empty");
        }

        if (Partitions is < 1 or > 1024)
        {
            problems.Add($"POE_PARTITIONS: must be between 1 and 1024, got {Partitions}");
        }

        if (MetricsPort is < 0 or > 65535)
        {
            problems.Add($"POE_METRICS_PORT: must be between 0 and 65535, got {MetricsPort}");
        }

        if (NumStreamThreads < 1)
        {
            problems.Add($"POE_STREAM_THREADS: must be at least 1, got {NumStreamThreads}");
        }

        if (CommitIntervalMs is < 1 or > 3_600_000)
        {
            problems.Add($"POE_COMMIT_INTERVAL_MS: must be between 1 and 3600000, got {CommitIntervalMs}");
        }

        if (SaslMechanism is not null && (SaslUsername is null || SaslPassword is null))
        {
            problems.Add("POE_SASL_MECHANISM is set but POE_SASL_USERNAME or POE_SASL_PASSWORD is missing");
        }

        if (SchemaRegistryClients.BasicAuthProblem(SchemaRegistryBasicAuth) is { } authProblem)
        {
            problems.Add($"POE_SCHEMA_REGISTRY_BASIC_AUTH: {authProblem}");
        }

        if (ClickHouseUrl is { } clickHouse && !Uri.TryCreate(clickHouse, UriKind.Absolute, out _))
        {
            problems.Add($"POE_CLICKHOUSE_URL: '{clickHouse}' is not an absolute URL");
        }

        if (ClickHouseOptions.DatabaseNameProblem(ClickHouseDatabase) is { } databaseProblem)
        {
            problems.Add($"POE_CLICKHOUSE_DATABASE: {databaseProblem}");
        }

        if (SchemaRegistryClients.UrlProblem(SchemaRegistryUrl) is { } registryProblem)
        {
            problems.Add($"POE_SCHEMA_REGISTRY_URL: {registryProblem}");
        }

        return problems;
    }

    /// <summary>The economics (YAML, with the epoch overrides) and stream settings the topology is built from.</summary>
    public PoeTopologyOptions TopologyOptions()
    {
        var economics = ConfigFile is null ? PoeMiningConfiguration.Default() : PoeMiningConfiguration.Load(ConfigFile);
        economics = economics with
        {
            Epochs = economics.Epochs with
            {
                LengthSeconds = EpochSeconds ?? economics.Epochs.LengthSeconds,
                GraceSeconds = GraceSeconds ?? economics.Epochs.GraceSeconds,
            },
        };
        return new PoeTopologyOptions { ApplicationId = ApplicationId, Partitions = Partitions, Economics = economics.EnsureValid() };
    }

    public override string ToString() =>
        $"bootstrap={BootstrapServers} application={ApplicationId} partitions={Partitions} guarantee={ProcessingGuarantee} "
        + $"security={SecurityProtocol?.ToString() ?? "plaintext"} sasl_user={SaslUsername ?? "-"} sasl_password={(SaslPassword is null ? "-" : "***")} "
        + $"schema_registry={SchemaRegistryUrl} clickhouse={ClickHouseUrl ?? "off"} metrics={MetricsHost}:{MetricsPort}";
}
