using System.ComponentModel;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe analytics [--network] [--miners] [--performance]</c>: summaries of the history (all three by default).</summary>
public sealed class AnalyticsCommand : AsyncCommand<AnalyticsCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--network")]
        public bool Network { get; init; }

        [CommandOption("--miners")]
        public bool Miners { get; init; }

        [CommandOption("--performance")]
        public bool Performance { get; init; }

        [CommandOption("--top <N>")]
        [Description("Miners listed by --miners (default 10).")]
        public int Top { get; init; } = 10;

        public override ValidationResult Validate() =>
            Top is < 1 or > 1000 ? ValidationResult.Error($"--top must be between 1 and 1000, got {Top}") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var all = !settings.Network && !settings.Miners && !settings.Performance;
        using var store = settings.ClickHouse();
        var db = store.Options.Database;
        var sections = new Sections();
        if (all || settings.Network)
        {
            sections.Add("network", await store.QueryAsync(
                $"SELECT count() AS epochs, avg(toFloat64(phi)) AS mean_phi, avg(toFloat64(gamma)) AS mean_gamma, sum(verified_jobs) AS verified_jobs, max(active_miners) AS peak_active_miners FROM {db}.index_per_epoch",
                cancellationToken), "epochs", "mean_phi", "mean_gamma", "verified_jobs", "peak_active_miners");
        }

        if (all || settings.Miners)
        {
            sections.Add("miners", await store.QueryAsync(
                $"SELECT miner_id, sum(share) AS nex_earned, sum(job_count) AS jobs, count() AS active_epochs, max(reputation_after) AS reputation FROM {db}.miner_rewards FINAL GROUP BY miner_id ORDER BY nex_earned DESC, miner_id LIMIT {settings.Top}",
                cancellationToken), "miner_id", "nex_earned", "jobs", "active_epochs", "reputation");
        }

        if (all || settings.Performance)
        {
            sections.Add("performance", await store.QueryAsync(
                $"SELECT reason, count() AS dead_letters FROM {db}.dead_letters FINAL GROUP BY reason ORDER BY dead_letters DESC, reason",
                cancellationToken), "reason", "dead_letters");
        }

        sections.Write(settings);
        return 0;
    }
}

/// <summary><c>poe statistics --comprehensive [--export-csv FILE]</c>: job types, fee streams and mint totals.</summary>
public sealed class StatisticsCommand : AsyncCommand<StatisticsCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--comprehensive")]
        [Description("Every section (the default).")]
        public bool Comprehensive { get; init; }

        [CommandOption("--export-csv <FILE>")]
        [Description("Also write the statistics to FILE as CSV (section,name,metric,value).")]
        public string? ExportCsv { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var db = store.Options.Database;
        (string Section, string Key, string Query, string[] Metrics)[] sections =
        [
            ("job_type", "job_type", $"SELECT job_type, sum(jobs) AS jobs, sum(value) AS value FROM {db}.job_type_distribution GROUP BY job_type ORDER BY job_type", ["jobs", "value"]),
            ("fees", "day", $"SELECT toString(day) AS day, miner_locked, miner_spendable, owner_salary, treasury, total_fee FROM {db}.fees_by_stream ORDER BY day", ["miner_locked", "miner_spendable", "owner_salary", "treasury", "total_fee"]),
            ("mints", "token", $"SELECT token, minted, eligible_epochs, supply FROM {db}.mint_totals ORDER BY token", ["minted", "eligible_epochs", "supply"]),
        ];
        var results = new List<(string Section, string Key, string[] Metrics, List<Dictionary<string, string>> Rows)>();
        foreach (var (section, key, query, metrics) in sections)
        {
            results.Add((section, key, metrics, await store.QueryAsync(query, cancellationToken)));
        }

        if (settings.ExportCsv is { } path)
        {
            var csv = new StringBuilder("section,name,metric,value\n");
            foreach (var (section, key, metrics, rows) in results)
            {
                foreach (var row in rows)
                {
                    foreach (var metric in metrics)
                    {
                        csv.Append(CultureInfo.InvariantCulture, $"{section},{Csv(row[key])},{metric},{row[metric]}\n");
                    }
                }
            }

            await File.WriteAllTextAsync(path, csv.ToString(), cancellationToken);
        }

        if (settings.Json)
        {
            OperatorSettings.WriteJson(results.ToDictionary(r => r.Section, r => Rows.Objects(r.Rows, [r.Key, .. r.Metrics])));
            return 0;
        }

        foreach (var (section, key, metrics, rows) in results)
        {
            AnsiConsole.Write(new Rule(section).LeftJustified());
            Rows.Write(rows, settings, [key, .. metrics]);
        }

        if (settings.ExportCsv is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Written to {settings.ExportCsv}.");
        }

        return 0;
    }

    // Names come from the history; a leading = + - @ would make a spreadsheet evaluate the cell.
    private static string Csv(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
