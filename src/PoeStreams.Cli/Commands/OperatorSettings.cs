using System.ComponentModel;
using System.Text.Json;
using PoeStreams.Configuration;
using PoeStreams.Economics;
using PoeStreams.Economics.Configuration;
using PoeStreams.Storage.ClickHouse;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>Settings of the operator commands: Kafka to act, ClickHouse to look back, the economics YAML, and --json.</summary>
public class OperatorSettings : ConnectionSettings
{
    [CommandOption("--clickhouse-url <URL>")]
    [Description("ClickHouse HTTP URL (default: POE_CLICKHOUSE_URL or http://127.0.0.1:8123).")]
    public string ClickHouseUrl { get; init; } = Environment.GetEnvironmentVariable("POE_CLICKHOUSE_URL") ?? "http://127.0.0.1:8123";

    [CommandOption("--clickhouse-database <NAME>")]
    [Description("ClickHouse database (default: POE_CLICKHOUSE_DATABASE or poe).")]
    public string ClickHouseDatabase { get; init; } = Environment.GetEnvironmentVariable("POE_CLICKHOUSE_DATABASE") ?? "poe";

    [CommandOption("--config <FILE>")]
    [Description("The poe_mining YAML (default: POE_CONFIG or the built-in defaults).")]
    public string? ConfigFile { get; init; } = Environment.GetEnvironmentVariable("POE_CONFIG");

    [CommandOption("--json")]
    [Description("Machine-readable output.")]
    public bool Json { get; init; }

    [CommandOption("--wide")]
    [Description("Every column of a table, however wide the terminal (by default the columns that fit).")]
    public bool Wide { get; init; }

    public PoeMiningOptions Economics() => ConfigFile is null ? PoeMiningConfiguration.Default() : PoeMiningConfiguration.Load(ConfigFile);

    /// <summary>The history's store; the database name is checked by the worker's rule before it can reach SQL.</summary>
    public ClickHouseStore ClickHouse() =>
        ClickHouseOptions.DatabaseNameProblem(ClickHouseDatabase) is { } problem
            ? throw new ArgumentException($"--clickhouse-database {problem}")
            : new(new ClickHouseOptions { Url = ClickHouseUrl, Database = ClickHouseDatabase });

    public static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static void WriteJson(object value) => Console.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
}

/// <summary>Argument checks shared by the commands; each failure is one line for the user.</summary>
public static class Arguments
{
    public static bool IsMinerId(string? id) =>
        id is { Length: >= 1 and <= 128 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    /// <summary>The one line for a --miner-id that <see cref="IsMinerId"/> refuses.</summary>
    public static ValidationResult MinerIdRefused(string? id) => ValidationResult.Error($"--miner-id must be 1–128 letters, digits or - _ . :, got '{id}'");

    /// <summary>A job type by name, ignoring case, '-' and '_' (compute, DockLockHosting, dock-lock-hosting).</summary>
    public static bool TryJobType(string? text, out JobType type) =>
        TryName(text?.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal), out type);

    /// <summary>A token by its symbol, ignoring case.</summary>
    public static bool TryToken(string? text, out Token token) => TryName(text, out token);

    // Names only: Enum.TryParse would also take numbers ("2") and lists ("NEX,FLX").
    private static bool TryName<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string JobTypeNames => string.Join(", ", Enum.GetNames<JobType>());
}
